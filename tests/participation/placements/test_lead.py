"""The lead's home page: their networks with the experts in them, seen through what each
expert shares."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.models import BenefitSituation, ConsentGiver, ConsentPurpose
from experts.profiles.selectors import SharedProfile, shared_profiles
from participation.models import PlacementStatus
from participation.placements.selectors import networks_for_lead
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    LearningNetworkFactory,
    PlacementFactory,
    ThemeFactory,
)


def test_lead_sees_own_network_members_not_others(lead_client, network, other_network):
    mine = PlacementFactory(network=network, expert=ExpertFactory(first_name="Mila"))
    theirs = PlacementFactory(network=other_network, expert=ExpertFactory(first_name="Teun"))
    body = lead_client.get(reverse("lead:home")).content.decode()
    assert mine.expert.full_name in body
    assert theirs.expert.full_name not in body


def test_lead_sees_only_active_members(lead_client, network):
    PlacementFactory(network=network, expert=ExpertFactory(first_name="Actief"))
    PlacementFactory(
        network=network,
        expert=ExpertFactory(first_name="Voorgesteld"),
        status=PlacementStatus.PROPOSED,
    )
    body = lead_client.get(reverse("lead:home")).content.decode()
    assert "Actief" in body
    assert "Voorgesteld" not in body


def test_lead_sees_contact_details_only_when_shared(lead_client, network):
    shared = ExpertFactory(
        email="deelt@samen.test", phone="0612345678", share_email_with_leads=True
    )
    ConsentFactory(expert=shared, purpose="sharing")
    private = ExpertFactory(
        email="prive@samen.test", phone="0687654321", share_phone_with_leads=False
    )
    ConsentFactory(expert=private, purpose="sharing")
    PlacementFactory(network=network, expert=shared)
    PlacementFactory(network=network, expert=private)
    body = lead_client.get(reverse("lead:home")).content.decode()
    assert "deelt@samen.test" in body
    assert "0612345678" not in body  # the e-mail address is shared, the phone number is not
    assert "prive@samen.test" not in body
    assert "0687654321" not in body


def test_lead_sees_shared_contact_details_only_with_the_consent_to_share(
    lead_client, network, expert, expert_client
):
    """The sharing choice alone shows nothing; the consent shows what was chosen; withdrawing
    it (the expert, in their own door) hides it again that same day."""
    expert.email = "deelt@samen.test"
    expert.phone = "0612345678"
    expert.share_email_with_leads = True
    expert.share_phone_with_leads = True
    expert.save()
    PlacementFactory(network=network, expert=expert)
    body = lead_client.get(reverse("lead:home")).content.decode()
    assert expert.full_name in body
    assert "deelt@samen.test" not in body and "0612345678" not in body

    expert_client.post(reverse("expert:my_consent_give"), {"purpose": "sharing"})
    body = lead_client.get(reverse("lead:home")).content.decode()
    assert "deelt@samen.test" in body and "0612345678" in body

    expert_client.post(reverse("expert:my_consent_withdraw"), {"purpose": "sharing"})
    body = lead_client.get(reverse("lead:home")).content.decode()
    assert expert.full_name in body
    assert "deelt@samen.test" not in body and "0612345678" not in body


def test_lead_reads_the_introduction_the_expert_wrote_for_leads(lead_client, network):
    PlacementFactory(network=network, expert=ExpertFactory(bio="Ik ben moeder van drie."))
    assert "Ik ben moeder van drie." in lead_client.get(reverse("lead:home")).content.decode()


def test_private_data_never_reaches_the_lead(lead_client, network):
    expert = ExpertFactory(
        private_notes="Geheime notitie",
        benefit_situation=BenefitSituation.SOCIAL_ASSISTANCE,
        email="niet-gedeeld@samen.test",
        share_email_with_leads=False,
    )
    expert.themes.add(ThemeFactory(name="Jeugdzorg thuis"))
    PlacementFactory(network=network, expert=expert)

    with CaptureQueriesContext(connection) as queries:
        response = lead_client.get(reverse("lead:home"))

    body = response.content.decode()
    for secret in ["Geheime notitie", "Jeugdzorg thuis", "bijstand", "niet-gedeeld@samen.test"]:
        assert secret not in body
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    for column in ["private_notes", "benefit_situation", "date_of_birth", "themes"]:
        assert column not in sql, column
    [member] = response.context["networks"][0].members
    assert isinstance(member.profile, SharedProfile)
    assert member.profile.email == ""


def _withdrawn(expert, *, by=ConsentGiver.SELF):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    ConsentFactory(
        expert=expert,
        given_by=by,
        given_by_name="" if by == ConsentGiver.SELF else "Petra de Vries",
        given_at=yesterday - datetime.timedelta(days=30),
        withdrawn_at=yesterday,
    )
    return expert


def test_lead_no_longer_sees_an_expert_who_withdrew_consent_to_take_part(lead_client, network):
    PlacementFactory(network=network, expert=ExpertFactory(first_name="Blijft"))
    gone = _withdrawn(
        ExpertFactory(
            first_name="Trekt",
            last_name="Terug",
            email="terug@samen.test",
            share_email_with_leads=True,
            bio="Ik ben vader van twee.",
        )
    )
    # The placement is still open: the coordinator has not ended it yet.
    PlacementFactory(network=network, expert=gone)

    response = lead_client.get(reverse("lead:home"))

    body = response.content.decode()
    assert "Blijft" in body
    for seen in ["Trekt", "Terug", "terug@samen.test", "Ik ben vader van twee."]:
        assert seen not in body
    assert [m.profile.full_name.split()[0] for m in response.context["networks"][0].members] == [
        "Blijft"
    ]


def test_lead_sees_the_expert_again_after_a_new_consent(lead_client, network):
    expert = _withdrawn(ExpertFactory(first_name="Terug"))
    PlacementFactory(network=network, expert=expert)
    assert "Terug" not in lead_client.get(reverse("lead:home")).content.decode()

    ConsentFactory(expert=expert)

    assert "Terug" in lead_client.get(reverse("lead:home")).content.decode()


def test_shared_profiles_leave_out_who_withdrew_consent_to_take_part(db):
    kept = ExpertFactory()
    # Withdrawn from another purpose only: still seen.
    photos = ExpertFactory()
    ConsentFactory(
        expert=photos,
        purpose=ConsentPurpose.PHOTOS,
        given_at=timezone.now() - datetime.timedelta(days=3),
        withdrawn_at=timezone.now() - datetime.timedelta(days=1),
    )
    withdrawn = _withdrawn(ExpertFactory())
    child = _withdrawn(
        ExpertFactory(date_of_birth=timezone.localdate().replace(year=2015)),
        by=ConsentGiver.PARENT,
    )
    experts = type(kept).objects.filter(pk__in=[kept.pk, photos.pk, withdrawn.pk, child.pk])

    assert set(shared_profiles(experts)) == {kept.pk, photos.pk}
    # The day the consent was withdrawn on counts: the day before, the lead still saw them.
    day_before = timezone.localdate() - datetime.timedelta(days=2)
    assert set(shared_profiles(experts, today=day_before)) == {
        kept.pk,
        photos.pk,
        withdrawn.pk,
        child.pk,
    }


def test_shared_profile_has_no_room_for_private_data():
    fields = set(SharedProfile.__dataclass_fields__)
    assert fields == {"pk", "full_name", "kind", "kind_label", "bio", "email", "phone"}


def test_shared_profiles_apply_each_experts_own_choice(db):
    both = ExpertFactory(
        email="a@samen.test", phone="1", share_email_with_leads=True, share_phone_with_leads=True
    )
    phone_only = ExpertFactory(email="b@samen.test", phone="2", share_phone_with_leads=True)
    for expert in (both, phone_only):
        ConsentFactory(expert=expert, purpose="sharing")
    profiles = shared_profiles(type(both).objects.filter(pk__in=[both.pk, phone_only.pk]))
    assert (profiles[both.pk].email, profiles[both.pk].phone) == ("a@samen.test", "1")
    assert (profiles[phone_only.pk].email, profiles[phone_only.pk].phone) == ("", "2")


@pytest.mark.parametrize("size", [1, 6])
def test_lead_page_queries_do_not_grow_with_networks_and_members(
    lead, lead_client, django_assert_max_num_queries, size
):
    for _ in range(size):
        network = LearningNetworkFactory(leads=[lead])
        for _ in range(size):
            PlacementFactory(network=network)
        PlacementFactory(network=network, expert=_withdrawn(ExpertFactory()))
    # Framework (2): session, user. Ours (4): the lead's networks, their active placements,
    # the placements' roles, the shared profiles of the experts in them.
    with django_assert_max_num_queries(6):
        response = lead_client.get(reverse("lead:home"))
    assert sum(len(n.members) for n in response.context["networks"]) == size * size


def test_selector_leaves_out_networks_the_user_does_not_lead(lead, other_network, network):
    assert [n.pk for n in networks_for_lead(lead)] == [network.pk]


def test_a_lead_without_networks_costs_one_query(lead_client, django_assert_num_queries):
    # Framework (2): session, user. Ours (1): the lead's networks, none.
    with django_assert_num_queries(3):
        response = lead_client.get(reverse("lead:home"))
    assert response.context["networks"] == []
