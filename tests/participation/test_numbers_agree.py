"""The same figure on two pages is the same number: an expert's hours left this month on the
request page and in the placement preview (``room_left``), and a meeting's size in the
placement preview and on the network's page after saving (``joined_by_new_member``)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertKind
from learning_networks.models import MeetingStatus
from participation.models import PaymentScheme, Placement, PlacementStatus
from participation.placements import services as placement_services
from tests.factories import (
    ActivityLogFactory,
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    MeetingFactory,
    PlacementFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db

ONE_WEEK = datetime.timedelta(days=7)


def _placement_data(expert, network, *, hours="2", starts_on=None) -> dict:
    return {
        "expert": expert.pk,
        "network": network.pk,
        "starts_on": str(starts_on or timezone.localdate()),
        "ladder_level": "3",
        "circle": "",
        "expectations": "Meedenken in de bijeenkomsten.",
        "hours_per_month": hours,
        "attendance_agreement": "Elke bijeenkomst",
        "continuity_agreement": "Een jaar",
        "payment_scheme": PaymentScheme.VOLUNTEER_ALLOWANCE,
        "fee_rate": "",
        "travel_costs_reimbursed": "on",
    }


def _preview(client, data):
    response = client.post(reverse("coordinator:placement_create"), {**data, "preview": "1"})
    assert response.status_code == 200
    assert response.context["effect"] is not None, response.context["form"].errors
    return response


def _save(client, data, preview):
    return client.post(
        reverse("coordinator:placement_create"),
        {**data, "save": "1", "previewed": preview.context["fingerprint"]},
    )


# --- Hours left this month ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agreed", "logged", "left", "left_after"),
    [
        pytest.param("4", None, "6", "4", id="agreed-placement-hours-not-logged-yet"),
        pytest.param("4", "3", "6", "4", id="placement-hours-partly-logged"),
        pytest.param("4", "7", "3", "3", id="more-logged-than-agreed-and-the-new-two"),
        pytest.param(None, "2.5", "7,5", "7,5", id="only-logged"),
    ],
)
def test_request_page_and_placement_preview_give_the_same_hours_left(
    coordinator_client, agreed, logged, left, left_after
):
    """10 hours given; the preview adds a placement of 2 hours per month."""
    expert = ExpertFactory(
        first_name="Mila", last_name="Smit", availability_hours_per_month=Decimal("10")
    )
    ConsentFactory(expert=expert, purpose="participation")
    if agreed:
        PlacementFactory(expert=expert, hours_per_month=Decimal(agreed))
    if logged:
        ActivityLogFactory(expert=expert, date=timezone.localdate(), hours=Decimal(logged))
    request = RequestFactory(title="Gastles", expected_hours=Decimal("1"))

    request_page = coordinator_client.get(reverse("coordinator:request_detail", args=[request.pk]))
    preview = _preview(coordinator_client, _placement_data(expert, LearningNetworkFactory()))

    [suggestion] = request_page.context["suggestions"]
    effect = preview.context["effect"]
    assert suggestion.room_hours == effect.room_left_before == Decimal(left.replace(",", "."))
    assert effect.room_left_after == Decimal(left_after.replace(",", "."))
    # And the pages say it in the same words.
    assert f"{left} uur over deze maand" in request_page.content.decode()
    room_line = re.search(r'id="effect-room-left">([^<]*)<', preview.content.decode())
    assert f"Uren over deze maand: {left} nu, {left_after} met deze koppeling" in room_line[1]


def test_an_expert_whose_agreed_hours_fill_their_month_is_not_suggested(coordinator_client):
    expert = ExpertFactory(availability_hours_per_month=Decimal("6"))
    ConsentFactory(expert=expert, purpose="participation")
    PlacementFactory(expert=expert, hours_per_month=Decimal("6"))
    request = RequestFactory(expected_hours=Decimal("1"))

    page = coordinator_client.get(reverse("coordinator:request_detail", args=[request.pk]))
    preview = _preview(coordinator_client, _placement_data(expert, LearningNetworkFactory()))

    assert page.context["suggestions"] == []
    assert preview.context["effect"].room_left_before == 0


# --- The size of a meeting ----------------------------------------------------------------------


def _network_page_size(client, network, meeting) -> str:
    page = client.get(reverse("coordinator:network_detail", args=[network.pk]))
    [shown] = [m for m in page.context["meetings"] if m.pk == meeting.pk]
    return f"{shown.expected_participants}/{page.context['group_limit']}"


def test_the_preview_and_the_network_page_give_the_same_meeting_size(coordinator_client):
    network = LearningNetworkFactory(max_group_size=None)
    meeting = MeetingFactory(network=network, expected_participants=9)
    expert = ExpertFactory(consent_to_take_part=True, kind=ExpertKind.PARENT)
    data = _placement_data(expert, network)
    assert _network_page_size(coordinator_client, network, meeting) == "9/10"

    preview = _preview(coordinator_client, data)
    effect = preview.context["effect"]
    assert (effect.next_meeting, effect.next_meeting_size_after) == (meeting, 10)
    assert "krijgt 10 mensen" in preview.content.decode()

    assert _save(coordinator_client, data, preview).status_code == 302
    assert _network_page_size(coordinator_client, network, meeting) == "10/10"


def test_the_preview_and_the_page_agree_when_the_expert_starts_after_the_next_meeting(
    coordinator_client,
):
    network = LearningNetworkFactory(max_group_size=None)
    now = timezone.now()
    sooner = MeetingFactory(network=network, expected_participants=9, starts_at=now + ONE_WEEK)
    later = MeetingFactory(network=network, expected_participants=5, starts_at=now + 5 * ONE_WEEK)
    data = _placement_data(
        ExpertFactory(consent_to_take_part=True),
        network,
        starts_on=timezone.localdate() + 3 * ONE_WEEK,
    )

    preview = _preview(coordinator_client, data)
    assert preview.context["effect"].next_meeting == later
    assert preview.context["effect"].next_meeting_size_after == 6
    _save(coordinator_client, data, preview)

    assert _network_page_size(coordinator_client, network, sooner) == "9/10"
    assert _network_page_size(coordinator_client, network, later) == "6/10"


def test_only_planned_meetings_still_to_come_count_the_new_member(coordinator):
    network = LearningNetworkFactory()
    now = timezone.now()
    past = MeetingFactory(network=network, expected_participants=7, starts_at=now - ONE_WEEK)
    cancelled = MeetingFactory(
        network=network, expected_participants=7, status=MeetingStatus.CANCELLED
    )
    prep = MeetingFactory(network=network, expected_participants=3, kind="prep")
    elsewhere = MeetingFactory(expected_participants=7)
    coming = [
        MeetingFactory(network=network, expected_participants=7, starts_at=now + n * ONE_WEEK)
        for n in (1, 2)
    ]

    placement_services.placement_create(
        expert=ExpertFactory(consent_to_take_part=True),
        network=network,
        ladder_level=3,
        starts_on=timezone.localdate(),
        agreements=placement_services.Agreements(),
        created_by=coordinator,
    )

    for meeting in [past, cancelled, prep, elsewhere, *coming]:
        meeting.refresh_from_db()
    sizes = [m.expected_participants for m in (past, cancelled, prep, elsewhere, *coming)]
    assert sizes == [7, 7, 3, 7, 8, 8]


def test_ending_a_placement_takes_the_expert_out_of_the_coming_meetings(coordinator):
    placement = PlacementFactory(starts_on=timezone.localdate() - 10 * ONE_WEEK)
    coming = MeetingFactory(network=placement.network, expected_participants=8)
    empty = MeetingFactory(
        network=placement.network,
        expected_participants=0,
        starts_at=timezone.now() + 2 * ONE_WEEK,
    )

    placement_services.placement_end(
        placement=placement, ends_on=timezone.localdate(), reason="Verhuisd", ended_by=coordinator
    )

    coming.refresh_from_db()
    empty.refresh_from_db()
    assert (coming.expected_participants, empty.expected_participants) == (7, 0)
    assert Placement.objects.get().status == PlacementStatus.ENDED


def test_reopening_a_placement_counts_the_expert_in_the_coming_meetings_again(coordinator):
    placement = PlacementFactory(
        starts_on=timezone.localdate() - 10 * ONE_WEEK,
        expert=ExpertFactory(consent_to_take_part=True),
    )
    coming = MeetingFactory(network=placement.network, expected_participants=8)
    placement_services.placement_end(
        placement=placement,
        ends_on=timezone.localdate(),
        reason="Per ongeluk",
        ended_by=coordinator,
    )
    coming.refresh_from_db()
    assert coming.expected_participants == 7

    placement_services.placement_reopen(placement=placement, reopened_by=coordinator)

    coming.refresh_from_db()
    assert coming.expected_participants == 8
