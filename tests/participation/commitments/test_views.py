"""The expert's page of commitments (/mijn/afspraken/): who may open it and its forms, what it
shows (only the expert's own), answering a proposal and a meeting through the page, the
calendar link (public, its token the key, renewable) and query counts that do not grow."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from learning_networks.models import MeetingKind, MeetingStatus
from participation.commitments.models import CalendarFeed
from participation.models import Attendance, AttendanceStatus, Match, MatchSide, MatchStatus
from participation.requests.services import match_confirm
from tests.factories import (
    FeeRateFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    PlacementFactory,
    RequestFactory,
)

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
OTHER_DOOR = {"anonymous": 302, "lead": 403, "coordinator": 403, "admin": 403}


@pytest.fixture
def world(expert, other_expert, network, other_network):
    """The expert in the lead's network with a proposal and a coming meeting; the other
    expert the same in the other network."""
    placement = PlacementFactory(
        expert=expert,
        network=network,
        status="active",
        starts_on=datetime.date(2025, 1, 1),
        expectations="Meedenken over de folder.",
        attendance_agreement="Minstens vier van de zes bijeenkomsten.",
        continuity_agreement="Een jaar, daarna kijken we samen.",
        fee_rate=FeeRateFactory(),
    )
    PlacementFactory(expert=other_expert, network=other_network, status="active")
    return {
        "placement": placement,
        "match": MatchFactory(
            expert=expert, request=RequestFactory(title="Gastles op de hogeschool")
        ),
        "other_match": MatchFactory(
            expert=other_expert, request=RequestFactory(title="Geheim verzoek van Otto")
        ),
        "meeting": MeetingFactory(network=network, title="Voorjaarsbijeenkomst"),
        "other_meeting": MeetingFactory(network=other_network, title="Bijeenkomst van Otto"),
    }


def _post_urls(world) -> dict[str, tuple[str, dict]]:
    return {
        "proposal": (
            reverse("expert:proposal_answer", args=[world["match"].pk]),
            {"answer": "yes"},
        ),
        "meeting": (
            reverse("expert:meeting_answer", args=[world["meeting"].pk]),
            {"answer": AttendanceStatus.COMING},
        ),
        "renew": (reverse("expert:calendar_feed_renew"), {}),
    }


# Access: the five visitors, and the other expert's ids.


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_the_expert_opens_the_page(visitor, world):
    name, client = visitor
    response = client.get(reverse("expert:commitments"))
    assert response.status_code == (200 if name == "expert" else OTHER_DOOR[name])
    if name == "anonymous":
        assert "login" in response["Location"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("kind", ["proposal", "meeting", "renew"])
def test_only_the_expert_answers(visitor, world, kind):
    name, client = visitor
    url, data = _post_urls(world)[kind]
    assert client.get(url).status_code == 405
    response = client.post(url, data)
    assert response.status_code == (302 if name == "expert" else OTHER_DOOR[name])
    if name == "expert":
        assert response["Location"].startswith(reverse("expert:commitments"))
    else:
        assert not Attendance.objects.exists()
        assert not CalendarFeed.objects.exists()
        assert Match.objects.get(pk=world["match"].pk).expert_confirmed_at is None


def test_another_experts_proposal_is_not_found(expert_client, world):
    other = world["other_match"]
    for answer in [{"answer": "yes"}, {"answer": "no", "reason": "Geen tijd"}]:
        response = expert_client.post(reverse("expert:proposal_answer", args=[other.pk]), answer)
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == MatchStatus.PROPOSED
    assert other.expert_confirmed_at is None


def test_another_networks_meeting_is_not_found(expert_client, world):
    url = reverse("expert:meeting_answer", args=[world["other_meeting"].pk])
    response = expert_client.post(url, {"answer": AttendanceStatus.COMING})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_an_expert_cannot_answer_a_meeting_for_someone_else(expert_client, world, other_expert):
    """The expert is always the logged-in one: an id in the form is ignored."""
    url = reverse("expert:meeting_answer", args=[world["meeting"].pk])
    expert_client.post(url, {"answer": AttendanceStatus.COMING, "expert": other_expert.pk})
    assert not Attendance.objects.filter(expert=other_expert).exists()
    assert Attendance.objects.get().expert == world["placement"].expert


def test_a_withdrawn_proposal_is_not_found(expert_client, world):
    match = world["match"]
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.WITHDRAWN)
    url = reverse("expert:proposal_answer", args=[match.pk])
    assert expert_client.post(url, {"answer": "yes"}).status_code == 404


def test_unknown_ids_are_not_found(expert_client, world):
    for name in ["expert:proposal_answer", "expert:meeting_answer"]:
        assert expert_client.post(reverse(name, args=[999_999]), {}).status_code == 404


def test_an_account_without_a_profile_sees_a_plain_message(client, db):
    from samen.accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.EXPERT))
    response = client.get(reverse("expert:commitments"))
    assert response.status_code == 200
    assert "nog niet gekoppeld" in response.content.decode()
    assert client.post(reverse("expert:calendar_feed_renew")).status_code == 404


# What the page shows.


def test_the_page_shows_own_agreements_proposals_and_meetings(expert_client, world):
    world["meeting"].agenda = "1. Welkom\n2. De nieuwe folder"
    world["meeting"].location = "Stadhuis Delft, zaal 3"
    world["meeting"].save()
    page = expert_client.get(reverse("expert:commitments")).content.decode()
    for text in [
        "Meedenken over de folder.",
        "Minstens vier van de zes bijeenkomsten.",
        "Een jaar, daarna kijken we samen.",
        "4 uur per maand",
        "Gastles op de hogeschool",
        "Voorjaarsbijeenkomst",
        "De nieuwe folder",
        "Stadhuis Delft, zaal 3",
        "Je hebt nog niet geantwoord",
    ]:
        assert text in page, text
    assert "Geheim verzoek van Otto" not in page
    assert "Bijeenkomst van Otto" not in page


def test_past_meetings_and_meetings_before_the_placement_are_left_out(
    expert_client, world, network
):
    MeetingFactory(
        network=network,
        title="Bijeenkomst van vorige week",
        starts_at=timezone.now() - datetime.timedelta(days=7),
    )
    world["placement"].starts_on = timezone.localdate() + datetime.timedelta(days=30)
    world["placement"].save()
    page = expert_client.get(reverse("expert:commitments")).content.decode()
    assert "Bijeenkomst van vorige week" not in page
    assert "Voorjaarsbijeenkomst" not in page


def test_an_online_meeting_links_only_to_a_web_address(expert_client, world, network):
    world["meeting"].is_online = True
    world["meeting"].location = "https://meet.example.nl/samen-123"
    world["meeting"].save()
    MeetingFactory(network=network, is_online=True, location="javascript:alert(1)", title="Raar")
    page = expert_client.get(reverse("expert:commitments")).content.decode()
    assert 'href="https://meet.example.nl/samen-123"' in page
    assert 'href="javascript' not in page


def test_the_home_page_links_to_the_commitments(expert_client, world):
    page = expert_client.get(reverse("expert:home")).content.decode()
    assert reverse("expert:commitments") in page


# Answering a proposal.


def test_saying_yes_records_the_experts_side_through_the_matching_service(
    expert_client, expert_user, world
):
    match = world["match"]
    url = reverse("expert:proposal_answer", args=[match.pk])
    response = expert_client.post(url, {"answer": "yes"}, follow=True)
    assert "We wachten nu op de andere kant" in response.content.decode()
    match.refresh_from_db()
    first = match.expert_confirmed_at
    assert first is not None
    assert match.status == MatchStatus.PROPOSED
    assert match.history.first().history_user == expert_user
    # Sending it again does no harm.
    assert expert_client.post(url, {"answer": "yes"}).status_code == 302
    match.refresh_from_db()
    assert match.expert_confirmed_at == first
    assert match.history.count() == 2  # made, and the one answer


def test_saying_yes_after_the_requester_confirms_the_match(expert_client, world):
    match = match_confirm(match=world["match"], side=MatchSide.REQUESTER, by=None)
    expert_client.post(reverse("expert:proposal_answer", args=[match.pk]), {"answer": "yes"})
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    page = expert_client.get(reverse("expert:commitments")).content.decode()
    assert "Vragen waar je aan meehelpt" in page


def test_saying_no_needs_a_reason(expert_client, world):
    match = world["match"]
    url = reverse("expert:proposal_answer", args=[match.pk])
    response = expert_client.post(url, {"answer": "no", "reason": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Schrijf in een paar woorden waarom je nee zegt." in page
    assert "Annuleren" in page
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_saying_no_with_a_reason_declines_for_the_experts_side(expert_client, world):
    match = world["match"]
    url = reverse("expert:proposal_answer", args=[match.pk])
    reason = "<script>alert(1)</script> Ik heb examens."
    assert expert_client.post(url, {"answer": "no", "reason": reason}).status_code == 302
    assert expert_client.post(url, {"answer": "no", "reason": "anders"}).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED
    assert match.declined_side == MatchSide.EXPERT
    assert match.declined_reason == reason  # the second send changed nothing


@pytest.mark.parametrize("data", [{}, {"answer": "misschien"}])
def test_a_missing_or_strange_answer_is_refused_in_dutch(expert_client, world, data):
    url = reverse("expert:proposal_answer", args=[world["match"].pk])
    response = expert_client.post(url, data)
    assert response.status_code == 400
    assert "Kies ja of nee." in response.content.decode()


def test_a_proposal_without_clear_agreements_is_not_confirmed(expert_client, world):
    match = match_confirm(match=world["match"], side=MatchSide.REQUESTER, by=None)
    Match.objects.filter(pk=match.pk).update(expectations="")
    url = reverse("expert:proposal_answer", args=[match.pk])
    response = expert_client.post(url, {"answer": "yes"}, follow=True)
    assert "Vraag het de coördinator." in response.content.decode()
    assert Match.objects.get(pk=match.pk).expert_confirmed_at is None


def test_a_declined_proposal_can_no_longer_be_confirmed(expert_client, world):
    url = reverse("expert:proposal_answer", args=[world["match"].pk])
    expert_client.post(url, {"answer": "no", "reason": "Geen tijd"})
    response = expert_client.post(url, {"answer": "yes"}, follow=True)
    assert (
        "Deze vraag is al afgesloten. Je antwoord is niet opgeslagen." in response.content.decode()
    )
    assert Match.objects.get(pk=world["match"].pk).status == MatchStatus.DECLINED


# Answering a meeting.


def test_saying_coming_and_then_not_coming(expert_client, world, expert):
    url = reverse("expert:meeting_answer", args=[world["meeting"].pk])
    response = expert_client.post(url, {"answer": AttendanceStatus.COMING}, follow=True)
    assert "Je antwoord: je komt." in response.content.decode()
    expert_client.post(url, {"answer": AttendanceStatus.COMING})
    assert Attendance.objects.get(expert=expert).status == AttendanceStatus.COMING
    expert_client.post(url, {"answer": AttendanceStatus.DECLINED})
    assert Attendance.objects.get(expert=expert).status == AttendanceStatus.DECLINED


@pytest.mark.parametrize("answer", ["", AttendanceStatus.PRESENT, "ja"])
def test_a_strange_meeting_answer_stores_nothing(expert_client, world, answer):
    url = reverse("expert:meeting_answer", args=[world["meeting"].pk])
    response = expert_client.post(url, {"answer": answer}, follow=True)
    assert "Kies of je komt." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_started_meeting_can_no_longer_be_answered(expert_client, world, network):
    started = MeetingFactory(
        network=network, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    url = reverse("expert:meeting_answer", args=[started.pk])
    response = expert_client.post(url, {"answer": AttendanceStatus.COMING}, follow=True)
    assert "al begonnen" in response.content.decode()
    assert not Attendance.objects.exists()


# The calendar link.


def _feed_url(feed: CalendarFeed) -> str:
    return reverse("calendar_feed", args=[feed.token])


def test_making_and_renewing_the_calendar_link(expert_client, client, world, expert):
    expert_client.post(reverse("expert:calendar_feed_renew"))
    old = CalendarFeed.objects.get(expert=expert)
    page = expert_client.get(reverse("expert:commitments")).content.decode()
    assert _feed_url(old) in page
    assert client.get(_feed_url(old)).status_code == 200

    response = expert_client.post(reverse("expert:calendar_feed_renew"), follow=True)
    assert "De oude link werkt niet meer." in response.content.decode()
    new = CalendarFeed.objects.get(expert=expert)
    assert new.token != old.token
    assert len(new.token) >= 40
    assert client.get(_feed_url(old)).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200


def test_the_calendar_holds_only_the_experts_own_meetings_with_stable_ids(
    client, world, expert, other_expert
):
    feed = CalendarFeed.objects.create(expert=expert)
    CalendarFeed.objects.create(expert=other_expert)
    prep = MeetingFactory(
        network=world["meeting"].network,
        kind=MeetingKind.PREP,
        prepares=world["meeting"],
        title="Voorbereiding",
        status=MeetingStatus.CANCELLED,
    )
    response = client.get(_feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        f"meeting-{world['meeting'].pk}@samen",
        f"meeting-{prep.pk}@samen",
        f"placement-{world['placement'].pk}@samen",
    }
    assert "Voorjaarsbijeenkomst" in str(events[f"meeting-{world['meeting'].pk}@samen"]["SUMMARY"])
    assert str(events[f"meeting-{prep.pk}@samen"]["STATUS"]) == "CANCELLED"
    assert b"Otto" not in response.content
    # A second read gives the same events: a calendar updates them instead of adding them.
    again = Calendar.from_ical(client.get(_feed_url(feed)).content)
    assert {str(event["UID"]) for event in again.walk("VEVENT")} == set(events)


@pytest.mark.parametrize("token", ["onbekend", "x" * 43, "%00"])
def test_an_unknown_calendar_link_is_not_found(client, db, token):
    assert client.get(f"/agenda/{token}.ics").status_code == 404


def test_the_calendar_link_answers_only_get(client, world, expert):
    feed = CalendarFeed.objects.create(expert=expert)
    assert client.post(_feed_url(feed)).status_code == 405


# Query counts.


@pytest.mark.parametrize("size", [1, 8])
def test_page_queries_do_not_grow_with_the_rows(
    expert, expert_client, django_assert_max_num_queries, size
):
    rate = FeeRateFactory()
    for _ in range(size):
        network = LearningNetworkFactory()
        placement = PlacementFactory(expert=expert, network=network, status="active", fee_rate=rate)
        placement.roles.create(role="education")
        for _ in range(2):
            meeting = MeetingFactory(network=network)
            MeetingFactory(network=network, kind=MeetingKind.PREP, prepares=meeting)
        Attendance.objects.create(meeting=meeting, expert=expert, status=AttendanceStatus.COMING)
        MatchFactory(expert=expert, request=RequestFactory(network=network, organisation=None))
        MatchFactory(expert=expert, expert_confirmed_at=timezone.now(), hours=Decimal("2"))
    CalendarFeed.objects.create(expert=expert)
    # Framework (2): session, user. Ours (6): the expert, the matches with their requests,
    # the placements with network and rate, their roles, the meetings with the answer, the
    # calendar link.
    with django_assert_max_num_queries(8):
        response = expert_client.get(reverse("expert:commitments"))
    found = response.context["commitments"]
    assert len(found.placements) == size
    assert len(found.meetings) == size * 4
    assert len(found.to_answer) == size
    assert len(found.waiting) == size


@pytest.mark.parametrize("size", [1, 8])
def test_calendar_queries_do_not_grow_with_the_rows(
    expert, client, django_assert_max_num_queries, size
):
    for _ in range(size):
        network = LearningNetworkFactory()
        PlacementFactory(expert=expert, network=network, status="active")
        MeetingFactory.create_batch(3, network=network)
    feed = CalendarFeed.objects.create(expert=expert)
    # The link with its expert, the meetings with their network and answer, the placements.
    with django_assert_max_num_queries(3):
        response = client.get(_feed_url(feed))
    assert response.content.count(b"BEGIN:VEVENT") == size * 4


def test_the_calendar_is_dutch_and_marks_meetings_the_expert_does_not_come_to(
    client, world, expert
):
    feed = CalendarFeed.objects.create(expert=expert)
    Attendance.objects.create(
        meeting=world["meeting"], expert=expert, status=AttendanceStatus.DECLINED
    )
    response = client.get(_feed_url(feed), HTTP_ACCEPT_LANGUAGE="en")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Mijn afspraken in Samen"
    event = next(
        event
        for event in calendar.walk("VEVENT")
        if str(event["UID"]) == f"meeting-{world['meeting'].pk}@samen"
    )
    assert str(event["SUMMARY"]).endswith("je komt niet")
    assert str(event["TRANSP"]) == "TRANSPARENT"
