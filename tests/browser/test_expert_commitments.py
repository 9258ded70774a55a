"""The expert's page of commitments in a real browser, on a phone (360 px) and a laptop
(1280 px): from the home page to the page, answer a proposal (a "no" without a reason first,
then a yes), say "coming" to a meeting, and make the calendar link. The page has no WCAG 2.1
A or AA violation (axe-core) and does not scroll sideways, in every state on the way."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from learning_networks.models import MeetingKind
from participation.commitments.models import CalendarFeed
from participation.models import Attendance, AttendanceStatus, Match, MatchStatus
from tests.factories import (
    FeeRateFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    PlacementFactory,
    RequestFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "laptop": 1280}


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _seed(expert) -> dict:
    network = LearningNetworkFactory(name="Kwetsbare Gezinnen in Leidschendam-Voorburg")
    PlacementFactory(
        expert=expert,
        network=network,
        status="active",
        expectations="Meedenken over de nieuwe folder voor ouders, en één keer een gastles.",
        attendance_agreement="Minstens vier van de zes bijeenkomsten per jaar.",
        continuity_agreement="Een jaar, daarna kijken we samen hoe het gaat.",
        fee_rate=FeeRateFactory(),
    ).roles.create(role="education")
    meeting = MeetingFactory(
        network=network,
        title="Voorjaarsbijeenkomst over de wachtlijsten in de jeugdhulp",
        location="Gemeentehuis Leidschendam-Voorburg, Vlietzaal (tweede verdieping)",
        agenda="1. Welkom\n2. Wat doen we met de wachtlijsten?\n3. Rondvraag",
    )
    MeetingFactory(
        network=network,
        kind=MeetingKind.PREP,
        prepares=meeting,
        title="Voorbereiding met de trekker",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        is_online=True,
        location="https://meet.example.nl/voorbereiding-voorjaarsbijeenkomst-2026-kwetsbare-gezinnen",
    )
    match = MatchFactory(
        expert=expert,
        request=RequestFactory(
            title="Gastles op de hogeschool over ervaringen met jeugdhulp",
            respond_by=timezone.localdate() + datetime.timedelta(days=10),
        ),
    )
    return {"meeting": meeting, "match": match}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_expert_answers_a_proposal_and_a_meeting(
    page, live_server, log_in, assert_accessible, expert_user, width
):
    data = _seed(expert_user.expert)
    page.set_viewport_size({"width": width, "height": 640})

    def check_the_page() -> None:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert_accessible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"
        assert page.locator("h1").count() == 1

    log_in(expert_user.email)
    page.wait_for_url(live_server.url + reverse("expert:home"))
    check_the_page()
    page.get_by_role(
        "link", name=_dutch("My commitments: questions, meetings and agreements")
    ).click()
    page.wait_for_url(live_server.url + reverse("expert:commitments"))
    check_the_page()
    expect(page.get_by_text("Minstens vier van de zes bijeenkomsten per jaar.")).to_be_visible()

    # A proposal: "no" without a reason is refused, in Dutch, next to the field.
    proposal = page.locator(f"#proposal-{data['match'].pk}")
    proposal.get_by_label(_dutch("No"), exact=True).check()
    proposal.get_by_role("button", name=_dutch("Send my answer")).click()
    page.wait_for_load_state()
    expect(page.get_by_text(_dutch("Write in a few words why you say no."))).to_be_visible()
    check_the_page()
    assert Match.objects.get(pk=data["match"].pk).status == MatchStatus.PROPOSED

    # Then yes.
    proposal = page.locator(f"#proposal-{data['match'].pk}")
    proposal.get_by_label(_dutch("Yes"), exact=True).check()
    proposal.get_by_role("button", name=_dutch("Send my answer")).click()
    page.wait_for_load_state()
    expect(
        page.get_by_text(_dutch("Thank you! You said yes. We are now waiting for the other side."))
    ).to_be_visible()
    check_the_page()
    assert Match.objects.get(pk=data["match"].pk).expert_confirmed_at is not None

    # A meeting: coming.
    meeting = page.locator(f"#meeting-{data['meeting'].pk}")
    meeting.get_by_role("button", name=_dutch("I am coming"), exact=True).click()
    page.wait_for_load_state()
    meeting = page.locator(f"#meeting-{data['meeting'].pk}")
    expect(meeting.get_by_text(_dutch("Your answer: you are coming."))).to_be_visible()
    check_the_page()
    attendance = Attendance.objects.get(meeting=data["meeting"], expert=expert_user.expert)
    assert attendance.status == AttendanceStatus.COMING

    # The calendar link.
    page.get_by_role("button", name=_dutch("Make my calendar link")).click()
    page.wait_for_load_state()
    feed = CalendarFeed.objects.get(expert=expert_user.expert)
    expect(page.get_by_label(_dutch("Your calendar link"))).to_have_value(
        live_server.url + reverse("calendar_feed", args=[feed.token])
    )
    check_the_page()
