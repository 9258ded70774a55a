"""The access rules of the experts app, for every door."""

import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from experts.access import (
    experts_visible_to,
    get_consent_for_user,
    get_expert_for_user,
    get_invitation_for_user,
    get_organisation_for_user,
    get_recruitment_contact_for_user,
)
from experts.models import Invitation
from tests.factories import ConsentFactory, RecruitmentContactFactory


def _outcome(helper, user, pk):
    request = RequestFactory().get("/")
    request.user = user
    try:
        helper(request, pk)
    except Http404:
        return 404
    return "ok"


@pytest.mark.parametrize(
    ("visitor", "own", "other"),
    [
        ("coordinator", "ok", "ok"),
        ("admin", "ok", "ok"),
        # A lead never gets an expert's record, only what shared_profiles gives.
        ("lead", 404, 404),
        ("expert_user", "ok", 404),
    ],
)
def test_an_expert_record_is_for_the_coordinator_and_the_expert_alone(
    request, expert, other_expert, visitor, own, other
):
    user = request.getfixturevalue(visitor)
    assert _outcome(get_expert_for_user, user, expert.pk) == own
    assert _outcome(get_expert_for_user, user, other_expert.pk) == other


def test_visible_experts_are_scoped_per_door(coordinator, lead, expert_user, expert, other_expert):
    assert set(experts_visible_to(coordinator)) == {expert, other_expert}
    assert list(experts_visible_to(expert_user)) == [expert]
    assert not experts_visible_to(lead).exists()


@pytest.mark.parametrize(
    ("visitor", "outcome"),
    [("coordinator", "ok"), ("admin", "ok"), ("lead", 404), ("expert_user", 404)],
)
def test_recruitment_is_the_coordinators_work(request, visitor, outcome):
    user = request.getfixturevalue(visitor)
    contact = RecruitmentContactFactory()
    assert _outcome(get_organisation_for_user, user, contact.organisation_id) == outcome
    assert _outcome(get_recruitment_contact_for_user, user, contact.pk) == outcome


@pytest.mark.parametrize(
    ("visitor", "outcome"),
    [("coordinator", "ok"), ("admin", "ok"), ("lead", 404), ("expert_user", 404)],
)
def test_an_invitation_is_opened_by_coordinators_only(request, expert, visitor, outcome):
    """Even the invited expert reaches their invitation through its link only."""
    user = request.getfixturevalue(visitor)
    invitation = Invitation.objects.create(
        expert=expert,
        email=expert.email,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    assert _outcome(get_invitation_for_user, user, invitation.pk) == outcome
    assert _outcome(get_invitation_for_user, user, 999999) == 404


@pytest.mark.parametrize(
    ("visitor", "own", "other"),
    [
        ("coordinator", "ok", "ok"),
        ("admin", "ok", "ok"),
        ("lead", 404, 404),
        # An expert will give and withdraw their own consents in their own door.
        ("expert_user", "ok", 404),
    ],
)
def test_a_consent_goes_with_its_expert(request, expert, other_expert, visitor, own, other):
    user = request.getfixturevalue(visitor)
    assert _outcome(get_consent_for_user, user, ConsentFactory(expert=expert).pk) == own
    assert _outcome(get_consent_for_user, user, ConsentFactory(expert=other_expert).pk) == other
