"""The access rules of placements, requests and matches, for every door: what each visitor
gets for their own and for someone else's object, to read and to change."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory as HttpRequestFactory

from participation.access import (
    get_match_for_user,
    get_meeting_for_user,
    get_placement_for_user,
    get_request_for_user,
    matches_visible_to,
    meetings_visible_to,
    placements_visible_to,
    requests_visible_to,
)
from participation.models import MatchStatus
from tests.factories import MatchFactory, MeetingFactory, PlacementFactory, RequestFactory

OK, NOT_FOUND, FORBIDDEN = "ok", 404, 403


def _outcome(helper, user, pk, *, write):
    request = HttpRequestFactory().get("/")
    request.user = user
    try:
        helper(request, pk, write=write)
    except Http404:
        return NOT_FOUND
    except PermissionDenied:
        return FORBIDDEN
    return OK


@pytest.fixture
def world(network, other_network, expert, other_expert):
    """One placement, request and match in the lead's network for the expert, and the same
    in the other lead's network for the other expert."""
    own_request = RequestFactory(network=network, organisation=None)
    other_request = RequestFactory(network=other_network, organisation=None)
    return {
        "placement": PlacementFactory(network=network, expert=expert),
        "other_placement": PlacementFactory(network=other_network, expert=other_expert),
        "request": own_request,
        "other_request": other_request,
        "match": MatchFactory(request=own_request, expert=expert),
        "other_match": MatchFactory(request=other_request, expert=other_expert),
        "meeting": MeetingFactory(network=network),
        "other_meeting": MeetingFactory(network=other_network),
    }


def _users(coordinator, admin, lead, other_lead, expert_user, other_expert_user):
    return {
        "coordinator": coordinator,
        "admin": admin,
        "lead": lead,
        "other_lead": other_lead,
        "expert": expert_user,
        "other_expert": other_expert_user,
    }


# For "their own" objects (the lead's network, the expert's placement) and the others':
# (read, write) per visitor.
EXPECTED = {
    "coordinator": {"own": (OK, OK), "other": (OK, OK)},
    "admin": {"own": (OK, OK), "other": (OK, OK)},
    "lead": {"own": (OK, FORBIDDEN), "other": (NOT_FOUND, NOT_FOUND)},
    "expert": {"own": (OK, FORBIDDEN), "other": (NOT_FOUND, NOT_FOUND)},
}
# An expert answers their own side of their own match, and says whether they come to their
# own meetings, in their own door.
EXPERT_WRITES = {"match", "meeting"}


@pytest.mark.parametrize("visitor", list(EXPECTED))
@pytest.mark.parametrize(
    ("helper", "kind"),
    [
        (get_placement_for_user, "placement"),
        (get_request_for_user, "request"),
        (get_match_for_user, "match"),
        (get_meeting_for_user, "meeting"),
    ],
)
def test_each_door_reaches_only_its_own_objects(
    world, coordinator, admin, lead, other_lead, expert_user, other_expert_user, visitor, helper,
    kind
):  # fmt: skip
    user = _users(coordinator, admin, lead, other_lead, expert_user, other_expert_user)[visitor]
    own, other = world[kind], world[f"other_{kind}"]
    expected = dict(EXPECTED[visitor])
    if visitor == "expert" and kind in EXPERT_WRITES:
        expected["own"] = (OK, OK)
    assert (
        _outcome(helper, user, own.pk, write=False),
        _outcome(helper, user, own.pk, write=True),
    ) == expected["own"]
    assert (
        _outcome(helper, user, other.pk, write=False),
        _outcome(helper, user, other.pk, write=True),
    ) == expected["other"]


def test_unknown_id_is_404_for_the_coordinator(coordinator, db):
    assert _outcome(get_placement_for_user, coordinator, 999_999, write=False) == NOT_FOUND


def test_an_inactive_account_reaches_nothing(world, lead):
    lead.is_active = False
    for helper, kind in [(get_placement_for_user, "placement"), (get_match_for_user, "match")]:
        assert _outcome(helper, lead, world[kind].pk, write=False) == NOT_FOUND


def test_expert_no_longer_sees_a_withdrawn_proposal_nor_its_request(world, expert_user):
    match = world["match"]
    match.status = MatchStatus.WITHDRAWN
    match.save(update_fields=["status"])
    assert _outcome(get_match_for_user, expert_user, match.pk, write=False) == NOT_FOUND
    assert _outcome(get_request_for_user, expert_user, match.request_id, write=False) == NOT_FOUND


def test_lead_of_two_networks_sees_both(world, lead, other_network):
    other_network.leads.add(lead)
    assert set(placements_visible_to(lead)) == {world["placement"], world["other_placement"]}
    assert set(requests_visible_to(lead)) == {world["request"], world["other_request"]}
    assert set(matches_visible_to(lead)) == {world["match"], world["other_match"]}


def test_visible_lists_are_scoped_per_door(world, coordinator, lead, expert_user):
    assert set(placements_visible_to(expert_user)) == {world["placement"]}
    assert set(requests_visible_to(expert_user)) == {world["request"]}
    assert set(matches_visible_to(lead)) == {world["match"]}
    assert placements_visible_to(coordinator).count() == 2


def test_an_organisations_request_is_for_the_coordinator_only(world, lead, coordinator):
    from tests.factories import OrganisationFactory

    outside = RequestFactory(network=None, organisation=OrganisationFactory())
    assert _outcome(get_request_for_user, lead, outside.pk, write=False) == NOT_FOUND
    assert _outcome(get_request_for_user, coordinator, outside.pk, write=False) == OK


def test_an_expert_sees_the_meetings_of_their_active_placements_only(world, expert_user, lead):
    """Not before the placement starts, not after it ends, not while it is paused."""
    import datetime

    from django.utils import timezone

    placement = world["placement"]
    assert set(meetings_visible_to(expert_user)) == {world["meeting"]}
    assert set(meetings_visible_to(lead)) == {world["meeting"]}
    day = timezone.localdate()
    for change in [
        {"starts_on": day + datetime.timedelta(days=30)},
        {"starts_on": datetime.date(2025, 1, 1), "ends_on": day},
        {"ends_on": None, "status": "paused"},
    ]:
        for field, value in change.items():
            setattr(placement, field, value)
        placement.save()
        assert set(meetings_visible_to(expert_user)) == set(), change


def test_logged_hours_are_seen_by_their_expert_and_the_coordinators_only(
    coordinator, admin, lead, other_lead, expert_user, other_expert_user, expert, other_expert
):
    from participation.access import activity_logs_visible_to, get_activity_log_for_user
    from tests.factories import ActivityLogFactory

    own, other = ActivityLogFactory(expert=expert), ActivityLogFactory(expert=other_expert)
    users = _users(coordinator, admin, lead, other_lead, expert_user, other_expert_user)
    # (own, other) per visitor; a lead sees no one's hours or receipts.
    expected = {
        "coordinator": (OK, OK),
        "admin": (OK, OK),
        "lead": (NOT_FOUND, NOT_FOUND),
        "expert": (OK, NOT_FOUND),
        "other_expert": (NOT_FOUND, OK),
    }
    for name, outcomes in expected.items():
        for write in (False, True):
            found = tuple(
                _outcome(get_activity_log_for_user, users[name], log.pk, write=write)
                for log in (own, other)
            )
            assert found == outcomes, (name, write)
    assert set(activity_logs_visible_to(expert_user)) == {own}
