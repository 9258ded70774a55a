"""WCAG 2.1 AA (axe-core), small screens, keyboard use, language and the Content-Security-Policy,
checked in a real browser, on the pages outside the doors: logging in, the account settings and
the pages behind an invitation's link.
The pages of the doors: test_every_page.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.invitations.services import expert_invite, invitation_resend, invitation_withdraw
from experts.models import Invitation
from tests.factories import PASSWORD, ExpertFactory

pytestmark = pytest.mark.browser

SMALL_SCREEN = {"width": 360, "height": 740}

# Pages a visitor sees before logging in. Each browser test costs a database flush, so one test
# walks through all of them.
ENTRANCE_PAGES = [
    ("account_login", {}),
    ("account_reset_password", {}),
    ("account_reset_password_done", {}),
    ("account_reset_password_from_key", {"uidb36": "0", "key": "bad-key"}),
    ("account_confirm_email", {"key": "bad-key"}),
]


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_entrance_pages_have_one_heading_and_no_wcag_violations_and_fit_a_phone(
    page, db, assert_accessible
):
    for viewport in [SMALL_SCREEN, {"width": 1280, "height": 720}]:
        page.set_viewport_size(viewport)
        for name, kwargs in ENTRANCE_PAGES:
            page.goto(reverse(name, kwargs=kwargs))

            assert page.locator("h1").count() == 1, name
            assert _scroll_width(page) <= viewport["width"], name
            assert_accessible()


def _invitation_links(coordinator) -> dict[str, str]:
    """The link of an invitation in each situation its page explains, and a working one."""

    def invite() -> Invitation:
        return expert_invite(
            expert=ExpertFactory(email=f"ouder{Invitation.objects.count()}@samen.test"),
            sent_by=coordinator,
        )

    def link(invitation: Invitation) -> str:
        invitation.refresh_from_db()
        return reverse("invitation_open", kwargs={"token": invitation.link_token()})

    expired, withdrawn, replaced, accepted = invite(), invite(), invite(), invite()
    Invitation.objects.filter(pk=expired.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=20),
        expires_at=timezone.now() - datetime.timedelta(days=6),
    )
    invitation_withdraw(invitation=withdrawn, withdrawn_by=coordinator)
    replaced_link = link(replaced)
    invitation_resend(invitation=replaced, sent_by=coordinator, times_sent=1)
    accepted.expert.user.set_password(PASSWORD)
    accepted.expert.user.save()
    return {
        "unknown": reverse("invitation_open", kwargs={"token": "12.1:onbekend"}),
        "expired": link(expired),
        "withdrawn": link(withdrawn),
        "replaced": replaced_link,
        "accepted": link(accepted),
        "choose a password": link(invite()),
    }


def test_invitation_link_pages_explain_what_to_do_without_wcag_violations(
    page, coordinator, assert_accessible
):
    links = _invitation_links(coordinator)
    for viewport in [SMALL_SCREEN, {"width": 1280, "height": 720}]:
        page.set_viewport_size(viewport)
        for situation, url in links.items():
            response = page.goto(url)
            expected = {"unknown": 404, "accepted": 200, "choose a password": 200}
            assert response.status == expected.get(situation, 410), situation
            assert page.locator("h1").count() == 1, situation
            assert "Ongeldige sleutel" not in page.content(), situation
            assert _scroll_width(page) <= viewport["width"], situation
            assert_accessible()
    # The working link ends on the form to choose a password, with a way back.
    assert page.get_by_label("Nieuw wachtwoord", exact=False).first.is_visible()
    assert page.get_by_role("button", name="Annuleren").is_visible()


def test_login_page_offers_password_reset_and_no_sign_up(page, db):
    page.goto(reverse("account_login"))

    reset = page.get_by_role("link", name="Wachtwoord vergeten?")
    assert reset.get_attribute("href") == reverse("account_reset_password")
    assert page.locator(f"a[href='{reverse('account_signup')}']").count() == 0


def test_field_errors_are_shown_and_linked_to_their_field(page, db, assert_accessible):
    page.goto(reverse("account_reset_password"))
    email = page.get_by_label("E-mailadres")
    # Switch off the browser's own check so that the server's message is tested.
    email.evaluate("input => input.setAttribute('type', 'text')")
    email.fill("no-address")
    email.press("Enter")
    page.wait_for_load_state()

    email = page.get_by_label("E-mailadres")
    assert email.get_attribute("aria-invalid") == "true"
    error = page.locator("#" + email.get_attribute("aria-describedby").split()[-1])
    assert "invalid-feedback" in error.get_attribute("class")
    assert error.is_visible()
    assert_accessible()


def test_account_settings_pages_have_no_wcag_or_content_security_policy_violations(
    page, live_server, log_in, coordinator, assert_accessible, csp_violations
):
    log_in(coordinator.email)
    page.wait_for_url(live_server.url + reverse("coordinator:dashboard"))

    # allauth asks for the password again before the second factor can be changed.
    page.goto(reverse("mfa_activate_totp"))
    page.wait_for_url(f"{live_server.url}{reverse('account_reauthenticate')}?*")
    assert_accessible()
    password = page.get_by_label("Wachtwoord")
    password.fill(PASSWORD)
    password.press("Enter")
    page.wait_for_url(live_server.url + reverse("mfa_activate_totp"))
    assert page.locator("img.qr-code").evaluate("img => img.naturalWidth") > 0
    assert page.get_by_label("Authenticator code").is_visible()
    assert_accessible()
    for name in ["mfa_index", "usersessions_list", "account_logout"]:
        page.goto(reverse(name))

        assert page.url == live_server.url + reverse(name)
        assert page.locator("h1").count() == 1, name
        assert_accessible()
    # The scripts came from our own origin and ran; nothing was refused.
    assert page.evaluate("typeof bootstrap") == "object"
    assert page.evaluate("typeof htmx") == "object"
    assert csp_violations == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, db):
    page.goto(reverse("account_login"))

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    assert skip_link.get_attribute("href") == "#main"
    assert skip_link.is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_turns_the_page_english(page, db):
    page.goto(reverse("account_login"))
    assert page.locator("html").get_attribute("lang") == "nl"

    page.locator("#language-select").select_option("en")
    page.locator("form:has(#language-select) button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Log in"
    assert page.get_by_label("Email").is_visible()
