"""An expert's account in a real browser, on a phone (360 px) and a laptop (1280 px): from
their home page to "Mijn account", where they are logged in (and logging out on another
device), setting up two-step login, and choosing English. Every page on the way has no WCAG
2.1 A or AA violation (axe-core) and does not scroll sideways."""

import pytest
from allauth.usersessions.models import UserSession
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from samen.accounts.models import Language
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_expert_manages_their_account(
    page, browser, live_server, log_in, assert_accessible, expert_user, width
):
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})

    def check_the_page() -> None:
        assert page.locator("h1").count() == 1, page.url
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    # Logged in on another device too: a phone with another browser.
    other = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        user_agent="Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0",
    )
    other_page = other.new_page()
    other_page.goto(reverse("account_login"))
    other_page.get_by_label("E-mailadres").fill(expert_user.email)
    other_page.get_by_label("Wachtwoord").fill(PASSWORD)
    other_page.get_by_label("Wachtwoord").press("Enter")
    other_page.wait_for_url(live_server.url + reverse("expert:home"))

    log_in(expert_user.email)
    page.wait_for_url(live_server.url + reverse("expert:home"))
    page.locator("main").get_by_role(
        "link",
        name=_dutch("My account: password, two-step login, where I am logged in and my language"),
    ).click()
    page.wait_for_url(live_server.url + reverse("expert:account"))
    check_the_page()

    # Where I am logged in: this browser and the phone; log out on the phone.
    page.locator("main").get_by_role("link", name=_dutch("Where I am logged in")).click()
    page.wait_for_url(live_server.url + reverse("usersessions_list"))
    check_the_page()
    expect(page.get_by_text(_dutch("This device"), exact=True)).to_be_visible()
    phone = UserSession.objects.get(user=expert_user, user_agent__contains="Firefox")
    page.get_by_role("button", name=_dutch("Log out there")).click()
    page.wait_for_url(live_server.url + reverse("usersessions_list"))
    check_the_page()
    assert not UserSession.objects.filter(pk=phone.pk).exists()
    assert page.get_by_role("button", name=_dutch("Log out there")).count() == 0
    other_page.goto(reverse("expert:home"))
    assert "/accounts/login/" in other_page.url
    other.close()

    # Two-step login: the password again, then the page with the QR code.
    page.goto(reverse("expert:account"))
    page.locator("main").get_by_role("link", name=_dutch("Turn on two-step login")).click()
    page.wait_for_url(f"{live_server.url}{reverse('account_reauthenticate')}?*")
    check_the_page()
    password = page.get_by_label("Wachtwoord")
    password.fill(PASSWORD)
    password.press("Enter")
    page.wait_for_url(live_server.url + reverse("mfa_activate_totp"))
    check_the_page()
    assert page.locator("img.qr-code").evaluate("img => img.naturalWidth") > 0
    page.goto(reverse("mfa_index"))
    check_the_page()

    # English, for the e-mails and this browser.
    page.goto(reverse("expert:account"))
    page.get_by_label("English").check()
    page.get_by_role("button", name=_dutch("Save my language")).click()
    page.wait_for_url(live_server.url + reverse("expert:account"))
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_text("Your language is saved.")).to_be_visible()
    check_the_page()
    expert_user.refresh_from_db()
    assert expert_user.language == Language.ENGLISH
