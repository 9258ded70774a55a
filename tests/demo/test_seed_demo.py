"""``seed_demo`` loads the reference data of docs/domain.md, and a second run changes nothing."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from experts.models import (
    ConsentGiver,
    ConsentPurpose,
    Expert,
    ExpertKind,
    ExpertStatus,
    OrganisationKind,
    RecruitmentChannel,
    RecruitmentContact,
)
from learning_networks.models import LearningNetwork
from participation.models import AllowanceLimit, Placement, circle_for_level
from samen.accounts.models import Role, User
from samen.demo.data import DEMO_PASSWORD

DOMAIN_APPS = ["accounts", "experts", "learning_networks", "participation", "evaluations"]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    """Rows per model of the five apps, with m2m tables and history tables."""
    counts = {
        model._meta.label: model._default_manager.count()
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    counts["account.EmailAddress"] = EmailAddress.objects.count()
    return counts


@pytest.fixture
def seeded(db):
    return _seed()


def test_seed_demo_twice_gives_exactly_the_same_rows(db):
    _seed()
    once = _row_counts()

    _seed()

    assert _row_counts() == once
    assert once["learning_networks.LearningNetwork"] == 4
    # The history tables are in the comparison: a second run must not even re-save a row.
    assert once["participation.HistoricalPlacement"] == once["participation.Placement"]


@pytest.mark.parametrize(
    ("name", "youth", "parents"),
    [
        ("Integraal Werken", 3, 0),
        ("Normaliseren", 2, 0),
        ("Kwetsbare Gezinnen", 3, 1),
        ("Complexe Scheidingen", 2, 1),
    ],
)
def test_networks_have_their_year_one_composition(seeded, name, youth, parents):
    active = Placement.objects.current().filter(network__name=name)

    assert active.filter(expert__kind=ExpertKind.YOUTH).count() == youth
    assert active.filter(expert__kind=ExpertKind.PARENT).count() == parents


def test_every_network_has_one_lead_with_a_login(seeded):
    for network in LearningNetwork.objects.prefetch_related("leads"):
        leads = list(network.leads.all())
        assert len(leads) == 1, network
        assert leads[0].role == Role.LEAD
        assert leads[0].email.startswith("trekker.")


def test_placement_circles_follow_the_ladder_level(seeded):
    placements = list(Placement.objects.all())

    assert {p.ladder_level for p in placements} == {1, 2, 3, 4, 5}
    assert all(p.circle == circle_for_level(p.ladder_level) for p in placements)
    assert all(p.roles.exists() and p.expectations for p in placements)


def test_recruitment_evening_brought_three_parents(seeded):
    evening = RecruitmentContact.objects.get(channel=RecruitmentChannel.INFORMATION_EVENING)

    assert evening.organisation.name == "Enver"
    assert evening.parents_reached == 3
    assert evening.experts.count() == 3
    assert set(evening.experts.values_list("kind", flat=True)) == {ExpertKind.PARENT}


def test_each_client_council_was_contacted(seeded):
    councils = RecruitmentContact.objects.filter(
        organisation__kind=OrganisationKind.CLIENT_COUNCIL
    ).values_list("organisation__name", flat=True)

    assert {name.split()[-1] for name in councils} == {
        "Jeugdformaat",
        "Cardea",
        "Horizon",
        "Curium",
    }


def test_expert_under_16_has_consent_from_a_parent(seeded):
    minors = [e for e in Expert.objects.all() if e.needs_parental_consent]

    assert len(minors) == 1
    consent = minors[0].consents.in_force().get(purpose=ConsentPurpose.PARTICIPATION)
    assert consent.given_by == ConsentGiver.PARENT
    assert consent.given_by_name


def test_candidates_have_no_placement(seeded):
    candidates = Expert.objects.filter(status=ExpertStatus.CANDIDATE)

    assert candidates.count() >= 2
    assert not Placement.objects.filter(expert__in=candidates).exists()


def test_allowance_limits_are_not_duplicated(seeded):
    assert list(AllowanceLimit.objects.order_by("year").values_list("year", flat=True)) == [
        2023,
        2024,
        2025,
    ]


def test_expert_accounts_are_linked_and_verified(seeded):
    users = User.objects.filter(role=Role.EXPERT)

    assert users.count() >= 2
    for user in users:
        assert user.expert.email == user.email
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()


def test_demo_coordinator_logs_in_through_the_login_form(seeded, client):
    response = client.post(
        reverse("account_login"),
        {"login": "coordinator@samen.demo", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302

    response = client.get("/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("coordinator:dashboard")


def test_second_run_keeps_a_changed_password(seeded, client):
    user = User.objects.get(email="sanne@samen.demo")
    user.set_password("een-eigen-wachtwoord")
    user.save()

    _seed()

    user.refresh_from_db()
    assert user.check_password("een-eigen-wachtwoord")


def test_logins_are_printed_at_the_end(db):
    output = _seed()

    assert "coordinator@samen.demo" in output
    assert "beheer@samen.demo" in output
    assert "trekker.integraal@samen.demo" in output
    assert DEMO_PASSWORD in output


def test_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True

    with translation.override("en"), pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())

    assert not LearningNetwork.objects.exists()
    assert not User.objects.exists()


def test_force_runs_in_production(db, settings):
    settings.PRODUCTION = True

    call_command("seed_demo", "--force", stdout=StringIO())

    assert LearningNetwork.objects.count() == 4


def test_experts_were_added_when_they_were_recruited(seeded):
    for expert in Expert.objects.select_related("recruitment_source"):
        assert timezone.localdate(expert.created_at) == expert.recruitment_source.date


def test_the_dashboard_has_a_follow_up_to_do(seeded):
    due = RecruitmentContact.objects.follow_up_due(on=timezone.localdate())
    assert due.count() == 1
