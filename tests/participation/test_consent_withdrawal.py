"""What withdrawing the consent to take part does, end to end: the coordinator records the
withdrawal (``consent_withdraw``), and from that day on the expert gets no new link and no
suggestion, leads no longer see them, and a link that still runs is flagged on the dashboard
(docs/domain.md, "Withdrawing consent to take part")."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts.consents.services import consent_withdraw
from participation.placements import services as placement_services
from participation.requests.matching import rank_experts_for_request, suggestions_for_request
from participation.requests.services import match_propose
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    PlacementFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def daan(network):
    """Daan takes part: a consent to take part since a month, linked to the lead's network."""
    expert = ExpertFactory(
        first_name="Daan",
        last_name="Bakker",
        email="daan@samen.test",
        share_email_with_leads=True,
        availability_hours_per_month=Decimal("10"),
    )
    ConsentFactory(expert=expert, given_at=timezone.now() - datetime.timedelta(days=30))
    # And to show the e-mail address it shares to the lead.
    ConsentFactory(
        expert=expert, purpose="sharing", given_at=timezone.now() - datetime.timedelta(days=30)
    )
    PlacementFactory(expert=expert, network=network, hours_per_month=Decimal("2"))
    return expert


def _withdraw(expert, coordinator) -> None:
    consent_withdraw(
        consent=expert.consents.get(purpose="participation"),
        withdrawn_on=timezone.localdate(),
        withdrawn_by=coordinator,
    )


def test_no_new_link_after_the_withdrawal(daan, coordinator):
    other = LearningNetworkFactory()
    _withdraw(daan, coordinator)

    with pytest.raises(ValidationError) as refused:
        placement_services.placement_create(
            expert=daan,
            network=other,
            ladder_level=3,
            starts_on=timezone.localdate(),
            agreements=placement_services.Agreements(),
            created_by=coordinator,
        )

    assert list(refused.value.message_dict) == ["expert"]
    assert not daan.placements.filter(network=other).exists()


def test_no_suggestion_and_no_proposal_after_the_withdrawal(daan, coordinator):
    request = RequestFactory(expected_hours=Decimal("2"))
    assert [s.expert for s in rank_experts_for_request(request)] == [daan]

    _withdraw(daan, coordinator)

    ranking = suggestions_for_request(request)
    assert ranking.shown == []
    assert ranking.left_out.no_consent == 1
    assert ranking.left_out.without_consent == [daan]
    with pytest.raises(ValidationError):
        match_propose(
            request=request,
            experts=[daan],
            proposed_by=coordinator,
            expectations="Meedenken.",
            hours=Decimal("2"),
        )


def test_the_lead_no_longer_sees_the_expert_after_the_withdrawal(daan, coordinator, lead_client):
    before = lead_client.get(reverse("lead:home")).content.decode()
    assert "Daan Bakker" in before
    assert "daan@samen.test" in before

    _withdraw(daan, coordinator)

    after = lead_client.get(reverse("lead:home")).content.decode()
    assert "Daan" not in after
    assert "daan@samen.test" not in after


def test_the_link_that_still_runs_is_flagged_to_the_coordinator(
    daan, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw(daan, coordinator)

    response = coordinator_client.get(reverse("coordinator:dashboard"))
    signal = next(s for s in response.context["signals"] if s["key"] == "consent_withdrawn_linked")
    assert signal["count"] == 1
    assert signal["names"][0]["url"] == reverse("coordinator:expert_detail", args=[daan.pk])
    listed = coordinator_client.get(signal["url"]).context["page"]
    assert [expert.pk for expert in listed] == [daan.pk]

    # Ended by the coordinator: no longer flagged.
    with django_capture_on_commit_callbacks(execute=True):
        placement_services.placement_end(
            placement=daan.placements.get(),
            ends_on=timezone.localdate(),
            reason="Toestemming ingetrokken",
            ended_by=coordinator,
        )
    response = coordinator_client.get(reverse("coordinator:dashboard"))
    signal = next(s for s in response.context["signals"] if s["key"] == "consent_withdrawn_linked")
    assert signal["count"] == 0
