"""The expert's first steps in a real browser, on a phone (360 px) and a laptop (1280 px):

- an invited expert chooses a password with the link in their e-mail, logs in, reads the
  welcome, says yes or no per purpose and lands on their own page; later they withdraw one;
- an expert under 16 asks their parent, waits (their other pages lead back to the waiting
  page), and the parent opens the link from the e-mail in the same browser, answers, and
  withdraws one consent again; then the expert's door opens.

Every page on the way has no WCAG 2.1 A or AA violation (axe-core) and does not scroll
sideways."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from experts.invitations.services import expert_invite
from experts.models import Consent, ConsentGiver, ConsentMethod, Expert
from tests.factories import PASSWORD, ExpertFactory, ParentalConsentRequestFactory, UserFactory

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}
INVITATION_LINK = re.compile(r"https?://[^/\s]+(/uitnodiging/[^\s]+/)")
PARENT_LINK = re.compile(r"https?://[^/\s]+(/toestemming-ouder/[A-Za-z0-9_-]+/)")


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _button(page, message: str):
    return page.get_by_role("button", name=_dutch(message), exact=True)


@pytest.fixture
def check_the_page(page, assert_accessible):
    def check() -> None:
        assert page.locator("h1").count() == 1, page.url
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    return check


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_invited_expert_reads_the_welcome_and_chooses_their_consents(
    page, live_server, log_in, check_the_page, coordinator, width
):
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})
    expert = ExpertFactory(first_name="Noor", email="noor@samen.test", welcomed_at=None)
    expert_invite(expert=expert, sent_by=coordinator)
    [invitation] = mail.outbox

    # The link in the e-mail: choose a password.
    page.goto(INVITATION_LINK.search(invitation.body).group(1))
    passwords = page.locator("input[type=password]")
    passwords.nth(0).fill(PASSWORD)
    passwords.nth(1).fill(PASSWORD)
    _button(page, "Save password").click()
    page.wait_for_load_state()

    # The first login: the welcome first.
    log_in("noor@samen.test")
    page.wait_for_url(live_server.url + reverse("expert:welcome"))
    check_the_page()
    expect(page.get_by_role("heading", name=_dutch("Who sees it, and why?"))).to_be_visible()
    _button(page, "Next: my consents").click()

    # Yes or no per purpose.
    page.wait_for_url(live_server.url + reverse("expert:my_consents_choose"))
    check_the_page()
    _button(page, "Save my choices").click()  # nothing chosen yet: said next to each
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback").first).to_contain_text(_dutch("Choose yes or no."))
    check_the_page()
    answers = {"participation": 0, "special_data": 0, "sharing": 1, "contact": 0, "photos": 1}
    for purpose, choice in answers.items():  # 0: yes, 1: no
        page.locator(f"#id_{purpose}_{choice}").check()
    _button(page, "Save my choices").click()

    # Their own page.
    page.wait_for_url(live_server.url + reverse("expert:home"))
    check_the_page()
    expert.refresh_from_db()
    assert expert.welcomed_at is not None
    consents = Consent.objects.filter(expert=expert)
    assert {c.purpose for c in consents} == {"participation", "special_data", "contact"}
    assert {(c.method, c.given_by, c.recorded_by) for c in consents} == {
        (ConsentMethod.ONLINE, ConsentGiver.SELF, expert.user)
    }

    # Later: withdraw one, after reading what that does.
    page.get_by_role("link", name=_dutch("Give or withdraw consent")).click()
    page.wait_for_url(live_server.url + reverse("expert:my_consents"))
    check_the_page()
    page.locator("a[href$='?purpose=contact']").click()
    page.wait_for_url(re.compile(re.escape(reverse("expert:my_consent_withdraw"))))
    check_the_page()
    expect(page.locator("#withdrawal-effects li").first).to_be_visible()
    _button(page, "Yes, withdraw").click()
    page.wait_for_url(live_server.url + reverse("expert:my_consents"))
    assert not consents.get(purpose="contact").in_force


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_expert_under_16_waits_for_and_receives_a_parents_consent(
    page, live_server, log_in, check_the_page, width
):
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})
    user = UserFactory(email="sem@samen.test", name="Sem de Vries")
    expert = ExpertFactory(
        user=user,
        first_name="Sem",
        email=user.email,
        date_of_birth=_years_ago(14),
        welcomed_at=None,
    )

    log_in(user.email)
    page.wait_for_url(live_server.url + reverse("expert:welcome"))
    check_the_page()
    _button(page, "Next: my consents").click()

    # Under 16: the parent decides. Sem names them.
    page.wait_for_url(live_server.url + reverse("expert:parent_ask"))
    check_the_page()
    page.locator("#id_parent_name").fill("Anja de Vries-van den Heuvel")
    page.locator("#id_parent_email").fill("anja.devries-vandenheuvel@ouders-jeugdzorg.nl")
    page.locator("#id_relation_0").check()
    _button(page, "Send the e-mail").click()

    # Waiting: the home page says whom they asked; other pages lead back to it.
    page.wait_for_url(live_server.url + reverse("expert:home"))
    check_the_page()
    expect(page.locator("#parent-link")).to_contain_text(
        "anja.devries-vandenheuvel@ouders-jeugdzorg.nl"
    )
    page.goto(reverse("expert:my_hours"))
    page.wait_for_url(live_server.url + reverse("expert:home"))
    page.goto(reverse("expert:my_consents"))
    check_the_page()

    # The parent opens the link from the e-mail, in the same browser.
    [message] = mail.outbox
    assert message.to == ["anja.devries-vandenheuvel@ouders-jeugdzorg.nl"]
    link = PARENT_LINK.search(message.body).group(1)
    page.goto(link)
    check_the_page()
    page.locator("#id_name").fill("Anja de Vries")
    _button(page, "Send my answer").click()  # nothing chosen: said next to each question
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check_the_page()
    for purpose in ["participation", "special_data", "sharing", "contact", "photos"]:
        page.locator(f"#id_{purpose}_0").check()
    page.locator("#id_name").fill("Anja de Vries")
    _button(page, "Send my answer").click()
    page.wait_for_url(live_server.url + link)
    check_the_page()
    consents = Consent.objects.filter(expert=expert)
    assert consents.count() == 5
    assert {(c.given_by, c.given_by_name) for c in consents} == {("parent", "Anja de Vries")}

    # And withdraws the photos again, through the same link.
    page.locator("a[href$='?purpose=photos']").click()
    page.wait_for_url(re.compile(re.escape(link + "intrekken/")))
    check_the_page()
    _button(page, "Yes, withdraw").click()
    page.wait_for_url(live_server.url + link)
    assert not consents.get(purpose="photos").in_force

    # A link Samen did not make says so.
    response = page.goto(reverse("parental_consent", args=["x" * 43]))
    assert response.status == 404
    check_the_page()

    # Sem's door is open now.
    page.goto(reverse("expert:my_hours"))
    page.wait_for_url(live_server.url + reverse("expert:my_hours"))
    assert Expert.objects.get(pk=expert.pk).may_take_part(on=timezone.localdate())


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_coordinator_sees_who_waits_for_a_parent_and_sends_the_link_again(
    page, live_server, log_in, check_the_page, coordinator, width
):
    page.set_viewport_size({"width": width, "height": 640 if width == 360 else 800})
    expert = ExpertFactory(first_name="Sem", last_name="de Vries", date_of_birth=_years_ago(14))
    ParentalConsentRequestFactory(
        expert=expert, parent_name="Anja de Vries", parent_email="anja@ouders-jeugdzorg.nl"
    )

    log_in(coordinator.email)
    page.wait_for_url(live_server.url + reverse("coordinator:dashboard"))
    signal = page.locator("#signal-waiting_for_parent")
    expect(signal.locator(".stat")).to_have_text("1")
    signal.locator("summary").click()
    signal.get_by_role("link", name="Sem de Vries").click()

    page.wait_for_url(live_server.url + reverse("coordinator:expert_detail", args=[expert.pk]))
    check_the_page()
    expect(page.get_by_text("anja@ouders-jeugdzorg.nl")).to_be_visible()
    _button(page, "Send the link again").click()
    page.wait_for_url(live_server.url + reverse("coordinator:expert_detail", args=[expert.pk]))
    check_the_page()
    assert [m.to for m in mail.outbox] == [["anja@ouders-jeugdzorg.nl"]]
