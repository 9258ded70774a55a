"""The coordinator's dashboard ("stand van zaken") and the list of hours waiting for approval:
who may open them, that the numbers are right on constructed data, and that the number of
queries does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.consents import services as consent_services
from experts.models import ExpertKind, ExpertStatus
from experts.recruitment import services as recruitment_services
from participation.dashboard import cache as dashboard_cache
from participation.dashboard import selectors
from participation.models import (
    ActivityStatus,
    AttendanceStatus,
    ErasureRequest,
    MatchStatus,
    PlacementStatus,
    RequestStatus,
)
from tests.factories import (
    ActivityLogFactory,
    AttendanceFactory,
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    OrganisationFactory,
    ParentalConsentRequestFactory,
    PlacementFactory,
    RecruitmentContactFactory,
    RequestFactory,
)

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
URLS = ["coordinator:dashboard", "coordinator:activity_waiting"]
# The badges in the network table (their text is translated, their colour is not).
NO_PARENTS_BADGE = "badge text-bg-warning"
TOO_LARGE_BADGE = "badge text-bg-danger"
ALLOWED = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 200, "admin": 200}


@pytest.fixture(autouse=True)
def _fresh_dashboard(settings):
    """The dashboard's figures are cached as in production (the shared conftest turns that
    off); each test starts without them."""
    settings.SAMEN_DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _today() -> datetime.date:
    return timezone.localdate()


def _added_long_ago() -> datetime.datetime:
    """When an expert who has been in Samen for a while was added: before any quiet spell."""
    return timezone.now() - datetime.timedelta(days=400)


def _years_ago(years: int, days: int = 0) -> datetime.date:
    today = _today()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - datetime.timedelta(
        days=days
    )


def _signal(response, key: str) -> dict:
    return next(signal for signal in response.context["signals"] if signal["key"] == key)


def _approved(**kwargs):
    return ActivityLogFactory(status=ActivityStatus.APPROVED, approved_at=timezone.now(), **kwargs)


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("url_name", URLS)
def test_only_coordinators_and_admins_reach_the_dashboard_pages(visitor, url_name):
    name, client = visitor
    response = client.get(reverse(url_name))
    assert response.status_code == ALLOWED[name], (name, url_name)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


# --- The network rows -------------------------------------------------------------------------


def test_network_row_counts_active_youth_and_parents_against_the_target(coordinator_client):
    network = LearningNetworkFactory(name="Kwetsbare Gezinnen", target_youth=3, target_parents=2)
    PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.PARENT))
    PlacementFactory(
        network=network,
        expert=ExpertFactory(kind=ExpertKind.PARENT),
        status=PlacementStatus.ENDED,
        ends_on=datetime.date(2025, 3, 1),
        end_reason="Verhuisd",
    )
    PlacementFactory(
        network=network,
        expert=ExpertFactory(kind=ExpertKind.YOUTH),
        status=PlacementStatus.PROPOSED,
    )

    response = coordinator_client.get(reverse("coordinator:dashboard"))

    [row] = response.context["networks"]
    composition = row.composition
    assert (composition.youth, composition.parents) == (1, 1)
    assert (composition.youth_shortfall, composition.parent_shortfall) == (2, 1)
    assert composition.shortfall == 3
    assert not composition.without_parents


def test_network_row_spreads_circles_and_ladder_levels(coordinator_client):
    network = LearningNetworkFactory()
    for level in (1, 2, 2, 3, 5):
        PlacementFactory(network=network, ladder_level=level)
    PlacementFactory(
        network=network,
        ladder_level=1,
        status=PlacementStatus.ENDED,
        ends_on=datetime.date(2025, 3, 1),
        end_reason="Klaar",
    )

    [row] = coordinator_client.get(reverse("coordinator:dashboard")).context["networks"]

    assert row.circles == [3, 1, 1]
    assert row.levels == [1, 2, 1, 0, 1]


def test_network_without_parents_is_flagged_and_counted(coordinator_client):
    lonely = LearningNetworkFactory(name="Normaliseren")
    PlacementFactory(network=lonely, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    mixed = LearningNetworkFactory(name="Complexe Scheidingen")
    PlacementFactory(network=mixed, expert=ExpertFactory(kind=ExpertKind.PARENT))

    response = coordinator_client.get(reverse("coordinator:dashboard"))

    flags = {row.name: row.composition.without_parents for row in response.context["networks"]}
    assert flags == {"Normaliseren": True, "Complexe Scheidingen": False}
    signal = _signal(response, "without_parents")
    assert signal["count"] == 1
    assert [n["name"] for n in signal["names"]] == ["Normaliseren"]
    assert NO_PARENTS_BADGE in response.content.decode()


def test_inactive_network_has_no_row(coordinator_client):
    LearningNetworkFactory(name="Gestopt netwerk", is_active=False)
    response = coordinator_client.get(reverse("coordinator:dashboard"))
    assert response.context["networks"] == []


def test_largest_recent_meeting_over_the_group_size_is_flagged(coordinator_client, settings):
    settings.SAMEN_MAX_GROUP_SIZE = 10
    now = timezone.now()
    crowded = LearningNetworkFactory(name="A druk")
    MeetingFactory(network=crowded, expected_participants=8, starts_at=now - datetime.timedelta(5))
    MeetingFactory(
        network=crowded, expected_participants=12, starts_at=now - datetime.timedelta(30)
    )
    old = LearningNetworkFactory(name="B lang geleden")
    MeetingFactory(network=old, expected_participants=14, starts_at=now - datetime.timedelta(120))
    MeetingFactory(network=old, expected_participants=6, starts_at=now - datetime.timedelta(10))
    roomy = LearningNetworkFactory(name="C ruim", max_group_size=14)
    MeetingFactory(network=roomy, expected_participants=12, starts_at=now - datetime.timedelta(3))
    LearningNetworkFactory(name="D geen bijeenkomst")

    response = coordinator_client.get(reverse("coordinator:dashboard"))

    rows = {
        row.name: (row.largest_meeting, row.meeting_too_large)
        for row in response.context["networks"]
    }
    assert rows == {
        "A druk": (12, True),
        "B lang geleden": (6, False),
        "C ruim": (12, False),
        "D geen bijeenkomst": (None, False),
    }
    assert response.content.decode().count(TOO_LARGE_BADGE) == 1


# --- The signals ------------------------------------------------------------------------------


def test_experts_over_their_availability_this_month_are_signalled(coordinator_client):
    today = _today()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    over = ExpertFactory(first_name="Overvol", availability_hours_per_month=Decimal("4"))
    ActivityLogFactory(expert=over, date=today, hours=Decimal("3"))
    _approved(expert=over, date=today.replace(day=1), hours=Decimal("2"))
    exact = ExpertFactory(first_name="Precies", availability_hours_per_month=Decimal("5"))
    ActivityLogFactory(expert=exact, date=today, hours=Decimal("5"))
    rejected = ExpertFactory(first_name="Afgewezen", availability_hours_per_month=Decimal("4"))
    ActivityLogFactory(expert=rejected, date=today, hours=Decimal("3"))
    ActivityLogFactory(
        expert=rejected, date=today, hours=Decimal("6"), status=ActivityStatus.REJECTED
    )
    earlier = ExpertFactory(first_name="Vorigemaand", availability_hours_per_month=Decimal("1"))
    _approved(expert=earlier, date=last_month, hours=Decimal("9"))

    signal = _signal(coordinator_client.get(reverse("coordinator:dashboard")), "over_availability")

    assert signal["count"] == 1
    [person] = signal["names"]
    assert (person["pk"], person["hours"], person["availability"]) == (
        over.pk,
        Decimal("5"),
        Decimal("4"),
    )


def test_inactive_experts_are_those_with_an_open_placement_and_no_recent_activity(
    coordinator_client,
):
    today = _today()
    now = timezone.now()

    def placed(name, **kwargs):
        expert = ExpertFactory(first_name=name, created_at=_added_long_ago(), **kwargs)
        PlacementFactory(expert=expert)
        return expert

    silent = placed("Stil")
    long_ago = placed("Langgeleden")
    ActivityLogFactory(expert=long_ago, date=today - datetime.timedelta(days=45))
    logged = placed("Gelogd")
    ActivityLogFactory(expert=logged, date=today - datetime.timedelta(days=10))
    attended = placed("Aanwezig")
    AttendanceFactory(
        expert=attended,
        status=AttendanceStatus.PRESENT,
        meeting=MeetingFactory(starts_at=now - datetime.timedelta(days=5)),
    )
    invited_only = placed("Uitgenodigd")
    AttendanceFactory(
        expert=invited_only,
        status=AttendanceStatus.INVITED,
        meeting=MeetingFactory(starts_at=now - datetime.timedelta(days=5)),
    )
    placed("Gestopt", status=ExpertStatus.STOPPED)
    ExpertFactory(first_name="Zonderkoppeling", created_at=_added_long_ago())
    # Added today with a placement from long ago (an import), and in Samen for long but
    # linked today: neither has been quiet for 30 days.
    PlacementFactory(expert=ExpertFactory(first_name="Nieuw"))
    PlacementFactory(
        expert=ExpertFactory(first_name="Netgekoppeld", created_at=_added_long_ago()),
        starts_on=today,
    )

    signal = _signal(coordinator_client.get(reverse("coordinator:dashboard")), "inactive")

    assert signal["count"] == 3
    assert {person["pk"] for person in signal["names"]} == {
        silent.pk,
        long_ago.pk,
        invited_only.pk,
    }


def test_under_16_without_parental_consent_in_force_are_signalled(coordinator_client):
    def young(name):
        return ExpertFactory(first_name=name, date_of_birth=_years_ago(13))

    missing = young("Geen")
    parent_ok = young("Ouder")
    ConsentFactory(expert=parent_ok, given_by="parent", given_by_name="Mama Ouder")
    guardian_ok = young("Voogd")
    ConsentFactory(expert=guardian_ok, given_by="guardian", given_by_name="Voogd Jansen")
    withdrawn = young("Ingetrokken")
    ConsentFactory(
        expert=withdrawn,
        given_by="parent",
        given_by_name="Papa Ouder",
        given_at=timezone.now() - datetime.timedelta(days=20),
        withdrawn_at=timezone.now() - datetime.timedelta(days=2),
    )
    self_only = young("Zelf")
    ConsentFactory(expert=self_only, given_by="self")
    other_purpose = young("Fotos")
    ConsentFactory(
        expert=other_purpose, purpose="photos", given_by="parent", given_by_name="Mama Foto"
    )
    ExpertFactory(first_name="Oud", date_of_birth=_years_ago(17))
    ExpertFactory(first_name="Onbekend", date_of_birth=None)

    signal = _signal(
        coordinator_client.get(reverse("coordinator:dashboard")), "under_16_without_consent"
    )

    assert signal["count"] == 4
    assert {p["pk"] for p in signal["names"]} == {
        missing.pk,
        withdrawn.pk,
        self_only.pk,
        other_purpose.pk,
    }


def test_under_16_waiting_for_the_parent_they_asked_are_signalled(coordinator_client):
    def young(name, **kwargs):
        return ExpertFactory(first_name=name, date_of_birth=_years_ago(14), **kwargs)

    waiting = young("Wacht")
    ParentalConsentRequestFactory(expert=waiting)
    expired = young("Verlopen")
    ParentalConsentRequestFactory(
        expert=expired,
        created_at=timezone.now() - datetime.timedelta(days=20),
        expires_at=timezone.now() - datetime.timedelta(days=6),
    )
    said_no = young("Nee")
    ParentalConsentRequestFactory(
        expert=said_no, answered_at=timezone.now(), answered_by_name="Mama"
    )
    consented = young("Ja")
    ParentalConsentRequestFactory(expert=consented)
    ConsentFactory(expert=consented, given_by="parent", given_by_name="Mama")
    young("Nooit gevraagd")
    stopped = young("Gestopt", status=ExpertStatus.STOPPED)
    ParentalConsentRequestFactory(expert=stopped)
    grown_up = ExpertFactory(first_name="Zestien", date_of_birth=_years_ago(16))
    ParentalConsentRequestFactory(expert=grown_up)

    response = coordinator_client.get(reverse("coordinator:dashboard"))

    signal = _signal(response, "waiting_for_parent")
    assert signal["count"] == 3
    assert {p["pk"] for p in signal["names"]} == {waiting.pk, expired.pk, said_no.pk}
    assert 'id="signal-waiting_for_parent"' in response.content.decode()
    # Still under 16 without consent as well: both signals count them.
    assert _signal(response, "under_16_without_consent")["count"] == 4


def _withdrawn_consent(expert, *, days_ago: int = 1, **kwargs):
    now = timezone.now()
    return ConsentFactory(
        expert=expert,
        given_at=now - datetime.timedelta(days=days_ago + 20),
        withdrawn_at=now - datetime.timedelta(days=days_ago),
        **kwargs,
    )


def test_experts_still_linked_after_withdrawing_consent_to_take_part_are_signalled(
    coordinator_client,
):
    def linked(name, status=PlacementStatus.ACTIVE):
        expert = ExpertFactory(first_name=name)
        PlacementFactory(expert=expert, status=status)
        return expert

    active = linked("Actief")
    _withdrawn_consent(active)
    paused = linked("Gepauzeerd", status=PlacementStatus.PAUSED)
    _withdrawn_consent(paused, days_ago=0)  # from today on
    proposed = linked("Voorgesteld", status=PlacementStatus.PROPOSED)
    _withdrawn_consent(proposed)
    child = linked("Kind")
    child.date_of_birth = _years_ago(13)
    child.save()
    ConsentFactory(expert=child, given_at=timezone.now() - datetime.timedelta(days=40))
    _withdrawn_consent(child, given_by="parent", given_by_name="Mama")
    # Not flagged: given again since, withdrawn from another purpose, never given, no open link.
    again = linked("Opnieuw")
    _withdrawn_consent(again, days_ago=10)
    ConsentFactory(expert=again, given_at=timezone.now() - datetime.timedelta(days=2))
    photos = linked("Fotos")
    _withdrawn_consent(photos, purpose="photos")
    linked("Nooit")
    ended = ExpertFactory(first_name="Gestopt")
    PlacementFactory(
        expert=ended, status=PlacementStatus.ENDED, ends_on=_today(), end_reason="Toestemming"
    )
    _withdrawn_consent(ended)
    _withdrawn_consent(ExpertFactory(first_name="Los"))

    response = coordinator_client.get(reverse("coordinator:dashboard"))
    signal = _signal(response, "consent_withdrawn_linked")

    assert signal["count"] == 4
    assert [p["pk"] for p in signal["names"]] == [active.pk, paused.pk, child.pk, proposed.pk]
    # Each name links to the expert's page, where the placement is ended.
    expert_page = reverse("coordinator:expert_detail", args=[active.pk])
    assert signal["names"][0]["url"] == expert_page
    assert f'<a href="{expert_page}">Actief' in response.content.decode()


def test_waiting_work_is_counted_and_linked(coordinator_client):
    RequestFactory(status=RequestStatus.OPEN)
    RequestFactory(status=RequestStatus.OPEN)
    RequestFactory(status=RequestStatus.DONE)
    matching = RequestFactory(status=RequestStatus.MATCHING)
    MatchFactory(request=matching, status=MatchStatus.PROPOSED)
    MatchFactory(request=matching, status=MatchStatus.DECLINED)
    ActivityLogFactory(hours=Decimal("2.5"))
    ActivityLogFactory(hours=Decimal("1"))
    _approved(hours=Decimal("4"))

    response = coordinator_client.get(reverse("coordinator:dashboard"))

    # The request with a proposed match has no confirmed expert yet: still waiting.
    assert _signal(response, "open_requests")["count"] == 3
    assert _signal(response, "proposed_matches")["count"] == 1
    hours = _signal(response, "waiting_hours")
    assert hours["count"] == 2
    assert "3,5" in hours["detail"]  # a Dutch decimal comma
    assert hours["url"] == reverse("coordinator:activity_waiting")


def _confirmed(request):
    now = timezone.now()
    return MatchFactory(
        request=request,
        status=MatchStatus.CONFIRMED,
        expert_confirmed_at=now,
        requester_confirmed_at=now,
    )


def test_a_request_waits_for_a_match_until_it_has_the_experts_it_asked_for(coordinator_client):
    half = RequestFactory(title="Twee gevraagd, een bevestigd", experts_wanted=2)
    _confirmed(half)
    half.status = RequestStatus.MATCHING
    half.save()
    full = RequestFactory(title="Een gevraagd, een bevestigd", experts_wanted=1)
    _confirmed(full)
    full.status = RequestStatus.MATCHED
    full.save()
    nobody = RequestFactory(title="Nog niemand", experts_wanted=2)
    RequestFactory(title="Geannuleerd", status=RequestStatus.CANCELLED, experts_wanted=3)

    response = coordinator_client.get(reverse("coordinator:dashboard"))
    signal = _signal(response, "open_requests")
    listed = coordinator_client.get(signal["url"]).context["page"].object_list

    assert signal["count"] == 2
    assert signal["url"] == f"{reverse('coordinator:request_list')}?waiting=yes"
    assert {r.pk for r in listed} == {half.pk, nobody.pk}


def test_follow_ups_of_recruitment_contacts_reach_the_dashboard_when_due(coordinator_client):
    today = _today()
    late = RecruitmentContactFactory(
        organisation=OrganisationFactory(name="Cardea"),
        follow_up_on=today - datetime.timedelta(days=3),
    )
    on_the_day = RecruitmentContactFactory(
        organisation=OrganisationFactory(name="Youz"), follow_up_on=today
    )
    RecruitmentContactFactory(follow_up_on=today + datetime.timedelta(days=1))
    RecruitmentContactFactory(follow_up_on=None)
    finished = RecruitmentContactFactory(follow_up_on=today - datetime.timedelta(days=9))
    recruitment_services.recruitment_follow_up_done(contact=finished, by=None)

    response = coordinator_client.get(reverse("coordinator:dashboard"))
    signal = _signal(response, "follow_ups")
    listed = coordinator_client.get(signal["url"]).context["page"]

    assert signal["count"] == 2
    assert [(n["pk"], n["name"]) for n in signal["names"]] == [
        (late.pk, "Cardea"),
        (on_the_day.pk, "Youz"),
    ]
    assert signal["url"] == f"{reverse('coordinator:recruitment_list')}?follow_up=due"
    assert {c.pk for c in listed.object_list} == {late.pk, on_the_day.pk}
    edit = reverse("coordinator:recruitment_edit", args=[late.pk])
    assert f'<a href="{edit}">Cardea</a>' in response.content.decode()


def test_a_follow_up_marked_done_leaves_the_cached_dashboard_at_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    contact = RecruitmentContactFactory(follow_up_on=_today())
    url = reverse("coordinator:dashboard")
    assert _signal(coordinator_client.get(url), "follow_ups")["count"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("coordinator:recruitment_follow_up_done", args=[contact.pk]),
            {"next": url},
        )

    assert response["Location"] == url
    assert _signal(coordinator_client.get(url), "follow_ups")["count"] == 0


def test_names_under_a_signal_link_to_their_own_page(coordinator_client):
    network = LearningNetworkFactory(name="Normaliseren")
    quiet = ExpertFactory(first_name="Stil", last_name="", created_at=_added_long_ago())
    PlacementFactory(expert=quiet, network=network)

    body = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()

    network_page = reverse("coordinator:network_detail", args=[network.pk])
    expert_page = reverse("coordinator:expert_detail", args=[quiet.pk])
    signals = body[body.index('id="signals-heading"') : body.index('id="networks"')]
    assert f'<a href="{network_page}">Normaliseren</a>' in signals
    assert f'<a href="{expert_page}">Stil</a>' in signals


def test_networks_without_parents_opens_those_networks(coordinator_client):
    lonely = LearningNetworkFactory(name="Normaliseren")
    PlacementFactory(network=lonely, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    empty = LearningNetworkFactory(name="Integraal Werken")
    mixed = LearningNetworkFactory(name="Complexe Scheidingen")
    PlacementFactory(network=mixed, expert=ExpertFactory(kind=ExpertKind.PARENT))
    LearningNetworkFactory(name="Gestopt", is_active=False)

    signal = _signal(coordinator_client.get(reverse("coordinator:dashboard")), "without_parents")
    listed = coordinator_client.get(signal["url"])

    assert signal["url"] == f"{reverse('coordinator:network_list')}?parents=none"
    assert signal["count"] == 2
    assert [n.pk for n in listed.context["networks"]] == [empty.pk, lonely.pk]
    assert listed.context["without_parents"]


EXPERT_SIGNAL_FILTERS = {
    "over_availability": "load=over",
    "inactive": "inactive=yes",
    "under_16_without_consent": "consent=missing_parental",
    "waiting_for_parent": "consent=waiting_parent",
    "consent_withdrawn_linked": "consent=withdrawn_linked",
}


@pytest.mark.parametrize(("key", "query"), EXPERT_SIGNAL_FILTERS.items())
def test_expert_signals_link_to_the_filtered_expert_list(coordinator_client, key, query):
    response = coordinator_client.get(reverse("coordinator:dashboard"))

    url = f"{reverse('coordinator:expert_list')}?{query}"
    assert _signal(response, key)["url"] == url
    assert f'<a href="{url}">' in response.content.decode()


def _signal_world() -> None:
    """Experts who do and do not belong under each of the five expert signals, more than
    the ten names a signal shows."""
    today = _today()
    now = timezone.now()
    for number in range(12):
        # Inactive, under 16 without consent, and over their hours on odd numbers.
        expert = ExpertFactory(
            first_name=f"Signaal{number:02d}",
            date_of_birth=_years_ago(14),
            availability_hours_per_month=Decimal("2"),
            created_at=_added_long_ago(),
        )
        PlacementFactory(expert=expert)
        # Their parent withdrew the consent to take part; they are still linked. They asked
        # their parent again through a link.
        _withdrawn_consent(expert, given_by="parent", given_by_name="Ouder")
        ParentalConsentRequestFactory(expert=expert)
        if number % 2:
            ActivityLogFactory(
                expert=expert, date=today - datetime.timedelta(days=40), hours=Decimal("1")
            )
    busy = ExpertFactory(
        first_name="Druk", availability_hours_per_month=Decimal("2"), created_at=_added_long_ago()
    )
    PlacementFactory(expert=busy)
    ActivityLogFactory(expert=busy, date=today, hours=Decimal("3"))
    ActivityLogFactory(expert=busy, date=today, hours=Decimal("9"), status=ActivityStatus.REJECTED)
    present = ExpertFactory(
        first_name="Aanwezig", date_of_birth=_years_ago(15), created_at=_added_long_ago()
    )
    PlacementFactory(expert=present)
    AttendanceFactory(
        expert=present,
        status=AttendanceStatus.PRESENT,
        meeting=MeetingFactory(starts_at=now - datetime.timedelta(days=3)),
    )
    ConsentFactory(expert=present, given_by="self")
    covered = ExpertFactory(first_name="Toestemming", date_of_birth=_years_ago(13))
    ConsentFactory(expert=covered, given_by="parent", given_by_name="Mama")
    withdrawn = ExpertFactory(first_name="Ingetrokken", date_of_birth=_years_ago(13))
    ConsentFactory(
        expert=withdrawn,
        given_by="guardian",
        given_by_name="Voogd",
        given_at=now - datetime.timedelta(days=9),
        withdrawn_at=now - datetime.timedelta(days=1),
    )
    gone = ExpertFactory(
        first_name="Gestopt", status=ExpertStatus.STOPPED, date_of_birth=_years_ago(14)
    )
    ActivityLogFactory(expert=gone, date=today, hours=Decimal("20"))
    ExpertFactory(first_name="Gewist", status=ExpertStatus.ERASED, date_of_birth=_years_ago(14))
    for number in range(11):
        over = ExpertFactory(
            first_name=f"Vol{number:02d}", availability_hours_per_month=Decimal("1")
        )
        ActivityLogFactory(expert=over, date=today, hours=Decimal("1.5"))


@pytest.mark.parametrize("key", EXPERT_SIGNAL_FILTERS)
def test_expert_signal_counts_what_its_filtered_list_shows(coordinator_client, key):
    _signal_world()

    signal = _signal(coordinator_client.get(reverse("coordinator:dashboard")), key)
    listed = coordinator_client.get(signal["url"]).context["page"]

    assert signal["count"] > len(signal["names"])  # more than the names it shows
    assert listed.paginator.count == signal["count"]
    shown = {person["pk"] for person in signal["names"]}
    assert shown <= {expert.pk for expert in listed.paginator.object_list}


def test_signals_show_at_most_ten_names_but_count_all(coordinator_client):
    for number in range(12):
        PlacementFactory(
            expert=ExpertFactory(first_name=f"Stil{number:02d}", created_at=_added_long_ago())
        )

    signal = _signal(coordinator_client.get(reverse("coordinator:dashboard")), "inactive")

    assert signal["count"] == 12
    assert len(signal["names"]) == 10
    assert signal["more"] == 2


# --- The charts -------------------------------------------------------------------------------


def test_monthly_chart_covers_twelve_months_with_counting_hours(coordinator_client):
    today = _today()
    this_month = today.replace(day=1)
    expert = ExpertFactory()
    ActivityLogFactory(expert=expert, date=today, hours=Decimal("2"))
    _approved(expert=expert, date=this_month, hours=Decimal("1.5"))
    ActivityLogFactory(expert=ExpertFactory(), date=today, hours=Decimal("1"))
    ActivityLogFactory(date=today, hours=Decimal("7"), status=ActivityStatus.REJECTED)
    ActivityLogFactory(date=this_month - datetime.timedelta(days=400), hours=Decimal("3"))

    response = coordinator_client.get(reverse("coordinator:dashboard"))

    monthly = response.context["monthly"]
    assert len(monthly) == 12
    assert monthly[-1]["month"] == this_month
    assert (monthly[-1]["experts"], monthly[-1]["hours"]) == (2, Decimal("4.5"))
    assert sum(row["hours"] for row in monthly[:-1]) == 0
    assert response.context["monthly_chart"]["hours"][-1] == 4.5


def test_charts_are_fed_by_json_and_a_static_script_with_the_numbers_as_text(
    coordinator_client,
):
    network = LearningNetworkFactory(name="Integraal Werken")
    PlacementFactory(network=network, ladder_level=2)

    body = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()

    assert 'id="ladder-chart-data" type="application/json"' in body
    assert 'id="monthly-chart-data" type="application/json"' in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    assert "js/dashboard.js" in body
    assert "cdn" not in body.lower()
    # Screen readers get the same numbers as a table: the ladder's are the networks table's
    # ladder columns (one table, not a copy), the months' have their own.
    assert 'aria-describedby="ladder-chart-numbers"' in body
    assert 'id="ladder-chart-numbers"><a href="#networks">' in body
    assert 'id="networks"' in body
    assert '<details id="monthly-chart-numbers">' in body


# --- Query counts -----------------------------------------------------------------------------


def _populate(*, networks: int, experts: int) -> None:
    """A small world with every kind of row the dashboard reads."""
    today = _today()
    now = timezone.now()
    nets = [LearningNetworkFactory() for _ in range(networks)]
    for index, net in enumerate(nets):
        MeetingFactory(
            network=net,
            expected_participants=6 + index % 8,
            starts_at=now - datetime.timedelta(days=10 + index),
        )
    people = []
    for index in range(experts):
        person = ExpertFactory(
            kind=ExpertKind.PARENT if index % 3 == 0 else ExpertKind.YOUTH,
            date_of_birth=_years_ago(14) if index % 7 == 0 else _years_ago(25),
            availability_hours_per_month=Decimal(index % 5),
            created_at=_added_long_ago(),
        )
        people.append(person)
        PlacementFactory(expert=person, network=nets[index % networks], ladder_level=1 + index % 5)
        if index % 2:
            ActivityLogFactory(expert=person, date=today, hours=Decimal("3"))
            _approved(expert=person, date=today - datetime.timedelta(days=70), hours=Decimal("2"))
        if index % 4 == 0:
            ConsentFactory(expert=person, given_by="parent", given_by_name="Ouder")
        elif index % 4 == 1:
            _withdrawn_consent(person)
        if index % 7 == 0:
            ParentalConsentRequestFactory(expert=person)
    for index in range(max(2, experts // 10)):
        request = RequestFactory(status=RequestStatus.OPEN)
        MatchFactory(request=request, expert=people[index])
    for index in range(max(2, experts // 10)):
        RecruitmentContactFactory(follow_up_on=today - datetime.timedelta(days=index % 3))
    for person in people[: max(2, experts // 10)]:
        ErasureRequest.objects.create(expert=person)


def _count_dashboard_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("coordinator:dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_data(
    coordinator_client, django_assert_max_num_queries
):
    _populate(networks=5, experts=30)
    small = _count_dashboard_queries(coordinator_client)
    _populate(networks=15, experts=120)
    cache.clear()
    assert len(coordinator_client.get(reverse("coordinator:dashboard")).context["networks"]) == 20
    large = _count_dashboard_queries(coordinator_client)

    assert small == large
    # Framework (2): 1 session, 2 user.
    # Ours (11): 3 the networks with their kept counts and largest recent meeting, 4 the
    # chart's twelve monthly totals, the first ten and the total of: 5 experts over their
    # availability, 6 inactive experts, 7 under 16 without consent, 8 under 16 waiting for the
    # parent they asked, 9 consent to take part withdrawn and still linked, 10 recruitment
    # follow-ups due; 11 hours waiting (summed over the monthly totals), 12 the counts of
    # requests waiting for a match, proposed matches and requests to erase data (one UNION ALL).
    cache.clear()
    with django_assert_max_num_queries(12):
        coordinator_client.get(reverse("coordinator:dashboard"))


# --- The cache --------------------------------------------------------------------------------


def test_figures_are_computed_once_and_served_from_the_cache(coordinator_client):
    LearningNetworkFactory(name="Integraal Werken")
    url = reverse("coordinator:dashboard")
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        coordinator_client.get(url)
    with CaptureQueriesContext(connection) as second:
        cached = coordinator_client.get(url)

    # The ten queries for the figures are gone; only the session and the user are read.
    assert len(second) == len(first) - 10
    assert len(second) == 2
    assert NO_PARENTS_BADGE in cached.content.decode()
    assert '<h1 class="mb-0">' in cached.content.decode()  # HTML, not escaped text


def test_a_saved_placement_shows_at_once(coordinator_client, django_capture_on_commit_callbacks):
    network = LearningNetworkFactory(name="Integraal Werken")
    url = reverse("coordinator:dashboard")
    before = coordinator_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.PARENT))

    after = coordinator_client.get(url).content.decode()

    assert NO_PARENTS_BADGE in before
    assert NO_PARENTS_BADGE not in after


def test_a_recorded_withdrawal_shows_at_once(
    coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(first_name="Daan")
    PlacementFactory(expert=expert)
    consent = ConsentFactory(expert=expert, given_at=timezone.now() - datetime.timedelta(days=5))
    url = reverse("coordinator:dashboard")
    assert _signal(coordinator_client.get(url), "consent_withdrawn_linked")["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        consent_services.consent_withdraw(
            consent=consent, withdrawn_on=_today(), withdrawn_by=coordinator
        )

    # Served from the cache unless the withdrawal made it forget the figures.
    signal = _signal(coordinator_client.get(url), "consent_withdrawn_linked")
    assert [p["pk"] for p in signal["names"]] == [expert.pk]


def test_the_cache_is_forgotten_only_after_commit(coordinator_client):
    """Within the writing transaction nothing changes yet; a rolled-back write forgets nothing."""
    network = LearningNetworkFactory(name="Integraal Werken")
    key = dashboard_cache.dashboard_cache_key("nl")
    PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.PARENT))
    assert dashboard_cache.dashboard_cache_key("nl") == key


@pytest.mark.parametrize(
    "make",
    [
        lambda: PlacementFactory(),
        lambda: ActivityLogFactory(),
        lambda: ExpertFactory(),
        lambda: LearningNetworkFactory(),
        lambda: MeetingFactory(),
        lambda: MatchFactory(),
        lambda: ConsentFactory(),
        lambda: AttendanceFactory(),
        lambda: RequestFactory(),
        lambda: RecruitmentContactFactory(),
        lambda: OrganisationFactory(),
        lambda: ParentalConsentRequestFactory(),
    ],
    ids=[
        "placement",
        "activity",
        "expert",
        "network",
        "meeting",
        "match",
        "consent",
        "attendance",
        "request",
        "recruitment-contact",
        "organisation",
        "parental-consent-request",
    ],
)
def test_every_change_the_dashboard_counts_forgets_its_figures(
    db, make, django_capture_on_commit_callbacks
):
    key = dashboard_cache.dashboard_cache_key("nl")
    with django_capture_on_commit_callbacks(execute=True):
        row = make()
    changed = dashboard_cache.dashboard_cache_key("nl")
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()

    assert changed != key
    assert dashboard_cache.dashboard_cache_key("nl") not in {key, changed}


def test_figures_computed_during_a_change_are_not_served_after_it(coordinator_client):
    """A visit that read the old data and stores its figures after the change committed
    stores them under the old version, which is never served again."""
    network = LearningNetworkFactory(name="Integraal Werken")
    url = reverse("coordinator:dashboard")
    old_key = dashboard_cache.dashboard_cache_key("nl")
    PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.PARENT))
    dashboard_cache.forget_dashboard()  # what the commit of that placement does
    cache.set(old_key, "stale figures", 60)  # the slow visit finishes late

    assert "stale figures" not in coordinator_client.get(url).content.decode()


def test_refresh_computes_the_figures_again(coordinator_client):
    url = reverse("coordinator:dashboard")
    coordinator_client.get(url)
    key = dashboard_cache.dashboard_cache_key("nl")

    coordinator_client.get(url, {"refresh": "1"})

    assert dashboard_cache.dashboard_cache_key("nl") != key
    assert cache.get(dashboard_cache.dashboard_cache_key("nl")) is not None


def test_forget_dashboard_drops_the_cached_figures(coordinator_client):
    network = LearningNetworkFactory(name="Integraal Werken")
    url = reverse("coordinator:dashboard")
    coordinator_client.get(url)
    PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.PARENT))

    dashboard_cache.forget_dashboard()

    assert NO_PARENTS_BADGE not in coordinator_client.get(url).content.decode()


def test_cached_figures_follow_the_language(coordinator_client):
    LearningNetworkFactory()
    url = reverse("coordinator:dashboard")
    dutch = coordinator_client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    english = coordinator_client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert dutch["Content-Language"] == "nl" and english["Content-Language"] == "en"
    assert cache.get(dashboard_cache.dashboard_cache_key("nl")) is not None
    assert cache.get(dashboard_cache.dashboard_cache_key("en")) is not None


# --- Hours waiting for approval ---------------------------------------------------------------


def test_waiting_list_shows_only_submitted_hours_oldest_first(coordinator_client):
    today = _today()
    newer = ActivityLogFactory(
        expert=ExpertFactory(first_name="Nieuw"), date=today, description="Leesgroep"
    )
    older = ActivityLogFactory(
        expert=ExpertFactory(first_name="Oud"),
        date=today - datetime.timedelta(days=3),
        description="Voorbespreking",
    )
    _approved(expert=ExpertFactory(first_name="Goedgekeurd"), description="Al klaar")
    ActivityLogFactory(
        expert=ExpertFactory(first_name="Afgewezen"),
        status=ActivityStatus.REJECTED,
        description="Niet goed",
    )

    response = coordinator_client.get(reverse("coordinator:activity_waiting"))

    assert list(response.context["page"].object_list) == [older, newer]
    body = response.content.decode()
    assert "Voorbespreking" in body and "Leesgroep" in body
    assert "Al klaar" not in body and "Niet goed" not in body


def test_waiting_list_is_paginated(coordinator_client):
    expert = ExpertFactory()
    for day in range(55):
        ActivityLogFactory(expert=expert, date=_today() - datetime.timedelta(days=day))

    first = coordinator_client.get(reverse("coordinator:activity_waiting"))
    second = coordinator_client.get(reverse("coordinator:activity_waiting"), {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    assert first.context["page"].paginator.count == 55


def _count_waiting_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("coordinator:activity_waiting"))
    assert response.status_code == 200
    return len(queries)


def test_waiting_list_queries_do_not_grow_with_the_rows(
    coordinator_client, django_assert_max_num_queries
):
    network = LearningNetworkFactory()

    def add(count):
        for _ in range(count):
            expert = ExpertFactory()
            placement = PlacementFactory(expert=expert, network=network)
            ActivityLogFactory(expert=expert, placement=placement)
            ActivityLogFactory(expert=expert, match=MatchFactory(expert=expert))
            ActivityLogFactory(expert=expert, meeting=MeetingFactory(network=network))

    add(2)
    small = _count_waiting_queries(coordinator_client)
    add(15)
    large = _count_waiting_queries(coordinator_client)

    assert small == large
    # Framework (2): session, user.
    # Ours (2): the paginator's count, the page of rows with expert, network, request and
    # meeting joined in.
    with django_assert_max_num_queries(4):
        coordinator_client.get(reverse("coordinator:activity_waiting"))


def test_a_late_entry_for_last_month_shows_in_the_chart_at_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    url = reverse("coordinator:dashboard")
    last_month = _today().replace(day=1) - datetime.timedelta(days=1)
    coordinator_client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        ActivityLogFactory(date=last_month, hours=Decimal("7"))

    series = selectors.monthly_activity(today=_today())
    assert series[-2]["hours"] == Decimal("7")


def test_a_network_name_is_shown_as_text_not_as_html(coordinator_client):
    LearningNetworkFactory(name="<b>Vet</b> & co")
    body = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()
    assert "&lt;b&gt;Vet&lt;/b&gt; &amp; co" in body
    assert "<b>Vet</b>" not in body
