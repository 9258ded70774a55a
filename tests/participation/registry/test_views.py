"""The coordinator's expert registry: who may open it, what the list filters and shows, the
detail page, the form, the invitation by e-mail and the export; with query counts that do not
grow with the data."""

import csv
import datetime
import io
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from experts.models import (
    ConsentGiver,
    Expert,
    Expertise,
    ExpertKind,
    ExpertPreferredRole,
    ExpertRole,
    ExpertStatus,
    Invitation,
    InvitationState,
    RecruitmentChannel,
)
from participation.hours.services import months_rebuild
from participation.models import ActivityLog, ActivityStatus, AttendanceStatus, PlacementStatus
from samen.accounts.models import Role, User
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
    ThemeFactory,
    TrainingRecordFactory,
)

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
ALLOWED = {"anonymous": 302, "expert": 403, "lead": 403, "coordinator": 200, "admin": 200}
GET_URLS = [
    ("coordinator:expert_list", False),
    ("coordinator:expert_detail", True),
    ("coordinator:expert_create", False),
    ("coordinator:expert_edit", True),
    ("coordinator:expert_export", False),
]
NEW_PASSWORD = "Zomer-fiets-2026!"


def _added_long_ago() -> datetime.datetime:
    """When an expert who has been in Samen for a while was added: before any quiet spell."""
    return timezone.now() - datetime.timedelta(days=400)


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _listed(response) -> list[str]:
    return [expert.first_name for expert in response.context["page"].object_list]


def _form_data(**overrides) -> dict:
    data = {
        "first_name": "Noor",
        "last_name": "Jansen",
        "email": "noor@samen.test",
        "phone": "",
        "city": "Leiden",
        "date_of_birth": "2001-03-04",
        "kind": ExpertKind.YOUTH,
        "expertise": Expertise.EXPERTISE,
        "status": ExpertStatus.ACTIVE,
        "availability_hours_per_month": "6",
        "availability_notes": "",
        "paused_until": "",
        "coach": "",
        "coach_contact": "",
        "recruitment_source": "",
        "benefit_situation": "unknown",
        "private_notes": "",
        "bio": "",
    }
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(("url_name", "needs_pk"), GET_URLS)
def test_registry_pages_are_for_coordinators_and_admins_only(
    visitor, url_name, needs_pk, other_expert
):
    name, client = visitor
    url = reverse(url_name, args=[other_expert.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == ALLOWED[name], (name, url_name, response.status_code)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_invite_answers_get_with_405_for_everyone(visitor, other_expert):
    _, client = visitor
    response = client.get(reverse("coordinator:expert_invite", args=[other_expert.pk]))
    assert response.status_code == 405
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_only_coordinators_and_admins_can_invite(
    visitor, other_expert, django_capture_on_commit_callbacks
):
    name, client = visitor
    url = reverse("coordinator:expert_invite", args=[other_expert.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    if name == "anonymous":
        assert reverse("account_login") in response["Location"]
    elif name in {"expert", "lead"}:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("coordinator:expert_detail", args=[other_expert.pk])
    assert Invitation.objects.exists() == (name in {"coordinator", "admin"})


@pytest.mark.parametrize("visitor", ["expert", "lead"], indirect=True)
def test_nobody_but_a_coordinator_can_change_an_expert(visitor, other_expert):
    _, client = visitor
    url = reverse("coordinator:expert_edit", args=[other_expert.pk])
    response = client.post(url, _form_data(first_name="Gehackt", email=other_expert.email))
    assert response.status_code == 403
    other_expert.refresh_from_db()
    assert other_expert.first_name == "Otto"


def test_unknown_expert_is_404(coordinator_client, db):
    response = coordinator_client.get(reverse("coordinator:expert_detail", args=[999999]))
    assert response.status_code == 404


# The list ----------------------------------------------------------------------------------


def test_coordinator_sees_every_expert(coordinator_client, expert, other_expert):
    network = LearningNetworkFactory()
    PlacementFactory(expert=expert, network=network)
    response = coordinator_client.get(reverse("coordinator:expert_list"))
    assert set(_listed(response)) == {"Esra", "Otto"}
    body = response.content.decode()
    assert network.name in body
    assert expert.get_kind_display() in body


def test_erased_experts_are_left_out_unless_asked_for(coordinator_client, db):
    ExpertFactory(first_name="Weg", status=ExpertStatus.ERASED)
    ExpertFactory(first_name="Hier")
    url = reverse("coordinator:expert_list")
    assert _listed(coordinator_client.get(url)) == ["Hier"]
    assert _listed(coordinator_client.get(url, {"status": "erased"})) == ["Weg"]


def test_list_shows_hours_this_month_and_flags_over_load(coordinator_client, db):
    busy = ExpertFactory(first_name="Druk", availability_hours_per_month=Decimal("3"))
    calm = ExpertFactory(first_name="Rustig", availability_hours_per_month=Decimal("10"))
    ActivityLogFactory(expert=busy, hours=Decimal("2.5"))
    ActivityLogFactory(expert=busy, hours=Decimal("2"))
    ActivityLogFactory(expert=busy, hours=Decimal("9"), status=ActivityStatus.REJECTED)
    ActivityLogFactory(expert=calm, hours=Decimal("4"))
    ActivityLogFactory(
        expert=calm,
        hours=Decimal("9"),
        date=timezone.localdate().replace(day=1) - datetime.timedelta(days=1),
    )
    response = coordinator_client.get(reverse("coordinator:expert_list"))
    rows = {e.first_name: e for e in response.context["page"].object_list}
    assert rows["Druk"].hours_this_month == Decimal("4.5")
    assert rows["Druk"].over_load is True
    assert rows["Rustig"].hours_this_month == Decimal("4")
    assert rows["Rustig"].over_load is False


def test_list_pages_by_25(coordinator_client, db):
    for i in range(27):
        ExpertFactory(first_name=f"Persoon{i:02d}")
    url = reverse("coordinator:expert_list")
    first = coordinator_client.get(url)
    second = coordinator_client.get(url, {"page": 2})
    assert len(_listed(first)) == 25
    assert _listed(second) == ["Persoon25", "Persoon26"]


def test_htmx_request_gets_only_the_results(coordinator_client, expert):
    response = coordinator_client.get(
        reverse("coordinator:expert_list"), {"q": "Esra"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "Esra" in body
    assert "<html" not in body
    assert "<form" not in body


@pytest.fixture
def registry(db):
    """Experts that differ in exactly one way from the plain one (Anna)."""
    network = LearningNetworkFactory(name="Kwetsbare Gezinnen")
    other_network = LearningNetworkFactory(name="Normaliseren")
    theme = ThemeFactory(name="Scheiding")
    cardea = OrganisationFactory(name="Cardea")
    via_cardea = RecruitmentContactFactory(organisation=cardea, channel=RecruitmentChannel.EMAIL)
    via_evening = RecruitmentContactFactory(channel=RecruitmentChannel.INFORMATION_EVENING)
    base = {"last_name": "Test", "availability_hours_per_month": Decimal("4")}
    experts = {
        "Anna": ExpertFactory(first_name="Anna", city="Leiden", **base),
        "Bas": ExpertFactory(first_name="Bas", kind=ExpertKind.PARENT, **base),
        "Cor": ExpertFactory(first_name="Cor", expertise=Expertise.EXPERTISE, **base),
        "Dirk": ExpertFactory(first_name="Dirk", **base),
        "Eva": ExpertFactory(first_name="Eva", **base),
        "Fien": ExpertFactory(first_name="Fien", **base),
        "Gijs": ExpertFactory(first_name="Gijs", status=ExpertStatus.PAUSED, **base),
        "Hanna": ExpertFactory(
            first_name="Hanna",
            paused_until=timezone.localdate() + datetime.timedelta(days=9),
            **base,
        ),
        "Ilse": ExpertFactory(
            first_name="Ilse", last_name="Test", availability_hours_per_month=Decimal("0")
        ),
        "Joep": ExpertFactory(first_name="Joep", recruitment_source=via_cardea, **base),
        "Kim": ExpertFactory(first_name="Kim", recruitment_source=via_evening, **base),
        "Lot": ExpertFactory(first_name="Lot", status=ExpertStatus.CANDIDATE, **base),
        "Mo": ExpertFactory(first_name="Mo", email="mo.bijzonder@voorbeeld.nl", **base),
    }
    experts["Dirk"].themes.add(theme)
    ExpertPreferredRole.objects.create(expert=experts["Eva"], role=ExpertRole.ADVOCACY)
    PlacementFactory(expert=experts["Fien"], network=network)
    PlacementFactory(expert=experts["Fien"], network=other_network)
    # An ended placement does not count as being in the network.
    PlacementFactory(
        expert=experts["Anna"],
        network=network,
        status=PlacementStatus.ENDED,
        ends_on=datetime.date(2025, 6, 1),
        end_reason="Verhuisd",
    )
    return {
        "experts": experts,
        "network": network,
        "theme": theme,
        "cardea": cardea,
    }


ALL_NAMES = {
    "Anna",
    "Bas",
    "Cor",
    "Dirk",
    "Eva",
    "Fien",
    "Gijs",
    "Hanna",
    "Ilse",
    "Joep",
    "Kim",
    "Lot",
    "Mo",
}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL_NAMES),
        ({"kind": "parent"}, {"Bas"}),
        ({"expertise": "expertise"}, {"Cor"}),
        ({"role": "advocacy"}, {"Eva"}),
        ({"status": "candidate"}, {"Lot"}),
        ({"source": "channel-information_evening"}, {"Kim"}),
        ({"source": "channel-email"}, {"Joep"}),
        ({"q": "leiden"}, {"Anna"}),
        ({"q": "bijzonder"}, {"Mo"}),
        ({"q": "fien test"}, {"Fien"}),
        # Available: active (not a candidate yet), no break, hours to give.
        ({"available": "yes"}, ALL_NAMES - {"Gijs", "Hanna", "Ilse", "Lot"}),
        ({"kind": "youth", "q": "Bas"}, set()),
    ],
)
def test_each_filter_narrows_the_list(coordinator_client, registry, params, expected):
    response = coordinator_client.get(reverse("coordinator:expert_list"), params)
    assert set(_listed(response)) == expected


def test_filter_by_theme(coordinator_client, registry):
    response = coordinator_client.get(
        reverse("coordinator:expert_list"), {"theme": registry["theme"].pk}
    )
    assert _listed(response) == ["Dirk"]


def test_filter_by_network_counts_only_open_placements(coordinator_client, registry):
    response = coordinator_client.get(
        reverse("coordinator:expert_list"), {"network": registry["network"].pk}
    )
    assert _listed(response) == ["Fien"]


def test_filter_by_recruiting_organisation(coordinator_client, registry):
    response = coordinator_client.get(
        reverse("coordinator:expert_list"), {"source": f"org-{registry['cardea'].pk}"}
    )
    assert _listed(response) == ["Joep"]


# The filters behind the dashboard's signals -------------------------------------------------


def test_load_filter_lists_experts_over_their_availability_this_month(coordinator_client, db):
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    four = {"availability_hours_per_month": Decimal("4")}
    over = ExpertFactory(first_name="Overvol", **four)
    ActivityLogFactory(expert=over, hours=Decimal("3"))
    ActivityLogFactory(
        expert=over, hours=Decimal("2"), status=ActivityStatus.APPROVED, approved_at=timezone.now()
    )
    exact = ExpertFactory(first_name="Precies", **four)
    ActivityLogFactory(expert=exact, hours=Decimal("4"))
    rejected = ExpertFactory(first_name="Afgewezen", **four)
    ActivityLogFactory(expert=rejected, hours=Decimal("3"))
    ActivityLogFactory(expert=rejected, hours=Decimal("6"), status=ActivityStatus.REJECTED)
    earlier = ExpertFactory(first_name="Vorigemaand", **four)
    ActivityLogFactory(expert=earlier, hours=Decimal("9"), date=last_month)
    stopped = ExpertFactory(first_name="Gestopt", status=ExpertStatus.STOPPED, **four)
    ActivityLogFactory(expert=stopped, hours=Decimal("9"))
    ExpertFactory(first_name="Niets", **four)

    response = coordinator_client.get(reverse("coordinator:expert_list"), {"load": "over"})

    assert _listed(response) == ["Overvol"]
    assert response.context["page"].object_list[0].over_load is True


def test_inactive_filter_lists_active_placed_experts_without_recent_activity(
    coordinator_client, db
):
    today = timezone.localdate()
    now = timezone.now()

    def placed(name, **kwargs):
        expert = ExpertFactory(first_name=name, created_at=_added_long_ago(), **kwargs)
        PlacementFactory(expert=expert)
        return expert

    placed("Stil")
    long_ago = placed("Langgeleden")
    ActivityLogFactory(expert=long_ago, date=today - datetime.timedelta(days=45))
    logged = placed("Gelogd")
    ActivityLogFactory(expert=logged, date=today - datetime.timedelta(days=10))
    present = placed("Aanwezig")
    AttendanceFactory(
        expert=present,
        status=AttendanceStatus.PRESENT,
        meeting=MeetingFactory(starts_at=now - datetime.timedelta(days=5)),
    )
    invited_only = placed("Uitgenodigd")
    AttendanceFactory(
        expert=invited_only,
        status=AttendanceStatus.INVITED,
        meeting=MeetingFactory(starts_at=now - datetime.timedelta(days=5)),
    )
    present_long_ago = placed("Langafwezig")
    AttendanceFactory(
        expert=present_long_ago,
        status=AttendanceStatus.PRESENT,
        meeting=MeetingFactory(starts_at=now - datetime.timedelta(days=40)),
    )
    ended = ExpertFactory(first_name="Afgelopen", created_at=_added_long_ago())
    PlacementFactory(
        expert=ended,
        status=PlacementStatus.ENDED,
        ends_on=datetime.date(2025, 6, 1),
        end_reason="Klaar",
    )
    placed("Gestopt", status=ExpertStatus.STOPPED)
    placed("Kandidaat", status=ExpertStatus.CANDIDATE)
    ExpertFactory(first_name="Zonderkoppeling", created_at=_added_long_ago())
    new = ExpertFactory(first_name="Nieuw")  # added today, to a placement from long ago
    PlacementFactory(expert=new)

    response = coordinator_client.get(reverse("coordinator:expert_list"), {"inactive": "yes"})

    assert set(_listed(response)) == {"Stil", "Langgeleden", "Uitgenodigd", "Langafwezig"}


def test_inactive_filter_follows_the_setting(coordinator_client, db, settings):
    settings.SAMEN_INACTIVE_AFTER_DAYS = 7
    expert = ExpertFactory(first_name="Tiendagen", created_at=_added_long_ago())
    PlacementFactory(expert=expert)
    ActivityLogFactory(expert=expert, date=timezone.localdate() - datetime.timedelta(days=10))

    response = coordinator_client.get(reverse("coordinator:expert_list"), {"inactive": "yes"})

    assert _listed(response) == ["Tiendagen"]
    with translation.override("nl"):
        label = gettext("No activity for %(days)s days") % {"days": 7}
    assert label in response.content.decode()


def test_consent_filter_lists_under_16s_without_a_parents_consent_in_force(coordinator_client, db):
    def young(name, **kwargs):
        return ExpertFactory(first_name=name, date_of_birth=_years_ago(13), **kwargs)

    young("Geen")
    parent = young("Ouder")
    ConsentFactory(expert=parent, given_by=ConsentGiver.PARENT, given_by_name="Mama Ouder")
    guardian = young("Voogd")
    ConsentFactory(expert=guardian, given_by=ConsentGiver.GUARDIAN, given_by_name="Voogd Jansen")
    withdrawn = young("Ingetrokken")
    ConsentFactory(
        expert=withdrawn,
        given_by=ConsentGiver.PARENT,
        given_by_name="Papa Ouder",
        given_at=timezone.now() - datetime.timedelta(days=20),
        withdrawn_at=timezone.now() - datetime.timedelta(days=2),
    )
    themself = young("Zelf")
    ConsentFactory(expert=themself, given_by=ConsentGiver.SELF)
    photos = young("Fotos")
    ConsentFactory(
        expert=photos, purpose="photos", given_by=ConsentGiver.PARENT, given_by_name="Mama Foto"
    )
    young("Gestopt", status=ExpertStatus.STOPPED)
    ExpertFactory(first_name="Oud", date_of_birth=_years_ago(17))
    ExpertFactory(first_name="Onbekend", date_of_birth=None)

    response = coordinator_client.get(
        reverse("coordinator:expert_list"), {"consent": "missing_parental"}
    )

    assert set(_listed(response)) == {"Geen", "Ingetrokken", "Zelf", "Fotos"}


def test_signal_filters_combine_with_the_other_filters(coordinator_client, db):
    ExpertFactory(first_name="Jong", kind=ExpertKind.YOUTH, date_of_birth=_years_ago(14))
    ExpertFactory(first_name="Ouder", kind=ExpertKind.PARENT, date_of_birth=_years_ago(14))

    response = coordinator_client.get(
        reverse("coordinator:expert_list"), {"consent": "missing_parental", "kind": "parent"}
    )

    assert _listed(response) == ["Ouder"]


def test_export_holds_only_the_experts_of_a_signal_filter(coordinator_client, db):
    over = ExpertFactory(first_name="Overvol", availability_hours_per_month=Decimal("1"))
    ActivityLogFactory(expert=over, hours=Decimal("2"))
    ExpertFactory(first_name="Rustig")

    response = coordinator_client.get(
        reverse("coordinator:expert_export"), {"format": "csv", "load": "over"}
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Overvol"]


def test_sorting(coordinator_client, db):
    ExpertFactory(first_name="Bram", availability_hours_per_month=Decimal("2"))
    ExpertFactory(first_name="Aart", availability_hours_per_month=Decimal("1"))
    ExpertFactory(first_name="Cees", availability_hours_per_month=Decimal("9"))
    url = reverse("coordinator:expert_list")
    assert _listed(coordinator_client.get(url)) == ["Aart", "Bram", "Cees"]
    assert _listed(coordinator_client.get(url, {"sort": "-name"})) == ["Cees", "Bram", "Aart"]
    assert _listed(coordinator_client.get(url, {"sort": "-availability"})) == [
        "Cees",
        "Bram",
        "Aart",
    ]
    assert _listed(coordinator_client.get(url, {"sort": "-created"})) == ["Cees", "Aart", "Bram"]


# Query counts ------------------------------------------------------------------------------


def _populate_registry(count: int) -> None:
    networks = [LearningNetworkFactory() for _ in range(3)]
    themes = [ThemeFactory() for _ in range(3)]
    source = RecruitmentContactFactory()
    for i in range(count):
        expert = ExpertFactory(recruitment_source=source)
        expert.themes.add(*themes)
        ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.EDUCATION)
        ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.CONNECTING)
        PlacementFactory(expert=expert, network=networks[i % 3])
        PlacementFactory(expert=expert, network=networks[(i + 1) % 3])
        ActivityLogFactory(expert=expert)


# Every request: session and user.
FRAMEWORK_QUERIES = 2
# Count, page of experts, their roles, their open placements with networks, and the filter
# form's choices: themes, networks, recruiting organisations.
LIST_QUERIES = FRAMEWORK_QUERIES + 7
# The experts counted and the export logged (2); per chunk of 500 experts: the experts, their
# roles, their open placements with networks.
EXPORT_QUERIES = FRAMEWORK_QUERIES + 5


@pytest.mark.parametrize("count", [10, 60])
def test_list_queries_do_not_grow_with_the_experts(
    coordinator_client, django_assert_max_num_queries, count
):
    _populate_registry(count)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = coordinator_client.get(
            reverse("coordinator:expert_list"), {"sort": "-availability"}
        )
    assert len(_listed(response)) == min(count, 25)


@pytest.mark.parametrize("count", [10, 60])
@pytest.mark.parametrize(
    "params", [{"load": "over"}, {"inactive": "yes"}, {"consent": "missing_parental"}]
)
def test_signal_filters_add_no_queries(
    coordinator_client, django_assert_max_num_queries, count, params
):
    _populate_registry(count)
    # Everyone is under 16 without a parent's consent and over their hours this month, or,
    # with their hours moved to two months ago, inactive.
    Expert.objects.update(
        availability_hours_per_month=Decimal("1"),
        date_of_birth=_years_ago(14),
        created_at=_added_long_ago(),
    )
    if "inactive" in params:
        ActivityLog.objects.update(date=timezone.localdate() - datetime.timedelta(days=60))
        months_rebuild()  # a bulk update, as a data migration would make it
    with django_assert_max_num_queries(LIST_QUERIES):
        response = coordinator_client.get(reverse("coordinator:expert_list"), params)
    assert len(_listed(response)) == min(count, 25)


@pytest.mark.parametrize("count", [10, 60])
def test_export_queries_do_not_grow_with_the_experts(
    coordinator_client, django_assert_max_num_queries, count
):
    _populate_registry(count)
    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = coordinator_client.get(reverse("coordinator:expert_export"), {"format": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == count + 1


def _populate_expert(count: int) -> Expert:
    expert = ExpertFactory()
    expert.themes.add(*[ThemeFactory() for _ in range(3)])
    ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.EDUCATION)
    for i in range(count):
        placement = PlacementFactory(expert=expert)
        placement.ladder_level = 2
        placement.circle = "core"
        placement.save()
        ActivityLogFactory(expert=expert, placement=placement, hours=Decimal("0.5"))
        MatchFactory(expert=expert)
        TrainingRecordFactory(
            expert=expert, started_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i)
        )
        ConsentFactory(
            expert=expert,
            given_at=timezone.now() - datetime.timedelta(days=100 + i),
            withdrawn_at=timezone.now() - datetime.timedelta(days=i),
        )
    return expert


# Expert with account and source, themes, roles, support needs, times they are free, away
# periods, consents, trainings, placements, their roles, their history, hours this month, what
# to warn about consent (a parent's missing, or withdrawn while still linked: one query), the
# latest invitation, matches with requests.
DETAIL_QUERIES = FRAMEWORK_QUERIES + 15


@pytest.mark.parametrize("count", [10, 60])
def test_detail_queries_do_not_grow_with_the_expert_history(
    coordinator_client, django_assert_max_num_queries, count
):
    expert = _populate_expert(count)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = coordinator_client.get(reverse("coordinator:expert_detail", args=[expert.pk]))
    assert len(response.context["placements"]) == count


# The detail page ---------------------------------------------------------------------------


def test_detail_shows_profile_placement_history_matches_trainings_and_consents(
    coordinator_client, coordinator
):
    expert = ExpertFactory(
        first_name="Sanne",
        private_notes="Werkt liever 's avonds.",
        availability_hours_per_month=Decimal("2"),
    )
    expert.themes.add(ThemeFactory(name="Pleegzorg"))
    network = LearningNetworkFactory(name="Complexe Scheidingen")
    placement = PlacementFactory(expert=expert, network=network, ladder_level=3)
    placement.ladder_level = 1
    placement.circle = "core"
    placement.save()
    match = MatchFactory(expert=expert)
    record = TrainingRecordFactory(expert=expert)
    ConsentFactory(
        expert=expert,
        given_by=ConsentGiver.PARENT,
        given_by_name="Mama Sanne",
        recorded_by=coordinator,
        withdrawn_at=timezone.now(),
        given_at=timezone.now() - datetime.timedelta(days=3),
    )
    ActivityLogFactory(expert=expert, hours=Decimal("3"))

    response = coordinator_client.get(reverse("coordinator:expert_detail", args=[expert.pk]))
    body = response.content.decode()
    assert "Pleegzorg" in body
    assert "Werkt liever" in body
    assert "Complexe Scheidingen" in body
    changes = response.context["placements"][0].changes
    assert [change["level"] for change in changes] == [3, 1]
    assert match.request.title in body
    assert record.training.name in body
    assert "Mama Sanne" in body
    assert str(coordinator) in body
    assert response.context["over_load"] is True
    # No dead ends: each placement and each request opens from here.
    assert f'href="{reverse("coordinator:placement_edit", args=[placement.pk])}"' in body
    assert f'href="{reverse("coordinator:request_detail", args=[match.request_id])}"' in body


def test_detail_warns_about_an_expert_under_16_without_parental_consent(coordinator_client, db):
    young = ExpertFactory(date_of_birth=_years_ago(14))
    covered = ExpertFactory(date_of_birth=_years_ago(14))
    ConsentFactory(expert=covered, given_by=ConsentGiver.PARENT, given_by_name="Vader")
    url = "coordinator:expert_detail"
    response = coordinator_client.get(reverse(url, args=[young.pk]))
    assert response.context["needs_parental_consent"]
    record = reverse("coordinator:consent_create", args=[young.pk])
    assert f'href="{record}"' in response.content.decode()
    assert not coordinator_client.get(reverse(url, args=[covered.pk])).context[
        "needs_parental_consent"
    ]


def test_detail_says_what_leads_see_of_the_contact_details(coordinator_client, db):
    """The sharing choice shows only with the consent to share; the page says so."""
    url = "coordinator:expert_detail"
    chosen = ExpertFactory(share_email_with_leads=True, phone="0612345678")
    seen = coordinator_client.get(reverse(url, args=[chosen.pk]))
    assert not seen.context["expert"].email_for_leads
    with translation.override("nl"):
        note = gettext(
            "Chosen to share, but not shown: there is no consent to share contact details."
        )
    assert note in seen.content.decode()

    ConsentFactory(expert=chosen, purpose="sharing")
    seen = coordinator_client.get(reverse(url, args=[chosen.pk]))
    assert seen.context["expert"].email_for_leads == chosen.email
    assert seen.context["expert"].phone_for_leads == ""  # not chosen
    assert note not in seen.content.decode()


def test_detail_of_an_under_16_shows_the_parents_link_with_a_button_to_send_it_again(
    coordinator_client, db
):
    link = ParentalConsentRequestFactory(parent_email="anja@samen.test")
    body = coordinator_client.get(
        reverse("coordinator:expert_detail", args=[link.expert_id])
    ).content.decode()
    assert "anja@samen.test" in body
    assert reverse("coordinator:expert_parent_link_resend", args=[link.expert_id]) in body
    assert f'name="latest" value="{link.pk}"' in body


def test_detail_warns_when_consent_to_take_part_was_withdrawn_and_a_link_still_runs(
    coordinator_client, db
):
    linked = ExpertFactory(first_name="Daan", last_name="Bakker")
    PlacementFactory(expert=linked)
    ended = ExpertFactory()
    PlacementFactory(expert=ended, status="ended", ends_on=timezone.localdate(), end_reason="x")
    for expert in (linked, ended):
        ConsentFactory(
            expert=expert,
            given_at=timezone.now() - datetime.timedelta(days=9),
            withdrawn_at=timezone.now() - datetime.timedelta(days=1),
        )
    url = "coordinator:expert_detail"

    with translation.override("nl"):
        response = coordinator_client.get(reverse(url, args=[linked.pk]), HTTP_ACCEPT_LANGUAGE="nl")

    assert response.context["consent_withdrawn_linked"] is True
    assert (
        "De toestemming van Daan Bakker om mee te doen is ingetrokken, en Daan Bakker is nog "
        "gekoppeld." in response.content.decode()
    )
    assert not coordinator_client.get(reverse(url, args=[ended.pk])).context[
        "consent_withdrawn_linked"
    ]


# Create and edit ---------------------------------------------------------------------------


def test_coordinator_creates_an_expert_with_roles_and_themes(coordinator_client, db):
    theme = ThemeFactory(name="Armoede")
    data = _form_data(themes=[theme.pk], roles=["education", "advocacy"])
    response = coordinator_client.post(reverse("coordinator:expert_create"), data)
    expert = Expert.objects.get(email="noor@samen.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("coordinator:expert_detail", args=[expert.pk])
    assert list(expert.themes.all()) == [theme]
    assert set(expert.preferred_roles.values_list("role", flat=True)) == {"education", "advocacy"}


def test_invalid_form_shows_dutch_messages_and_saves_nothing(coordinator_client, other_expert):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = _form_data(
        first_name="", email=other_expert.email.upper(), date_of_birth=tomorrow.isoformat()
    )
    response = coordinator_client.post(reverse("coordinator:expert_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override("nl"):
        assert "Dit veld is verplicht." in body
        assert gettext("There is already an expert with this e-mail address.") in body
        assert gettext("The date of birth cannot be in the future.") in body
    assert list(Expert.objects.all()) == [other_expert]


def test_creating_an_expert_under_16_warns_about_parental_consent(coordinator_client, db):
    data = _form_data(date_of_birth=_years_ago(13).isoformat())
    response = coordinator_client.post(reverse("coordinator:expert_create"), data, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    with translation.override("nl"):
        warning = gettext(
            "This expert is under 16. Record the consent of a parent or guardian "
            "before they take part."
        )
    assert warning in texts
    assert Expert.objects.filter(email="noor@samen.test").exists()


def test_edit_keeps_own_email_and_replaces_roles(coordinator_client, other_expert):
    ExpertPreferredRole.objects.create(expert=other_expert, role=ExpertRole.EDUCATION)
    url = reverse("coordinator:expert_edit", args=[other_expert.pk])
    assert coordinator_client.get(url).context["form"].initial["roles"] == ["education"]
    data = _form_data(
        first_name="Otto", email=other_expert.email, city="Katwijk", roles=["connecting"]
    )
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    other_expert.refresh_from_db()
    assert other_expert.city == "Katwijk"
    assert list(other_expert.preferred_roles.values_list("role", flat=True)) == ["connecting"]


# Invitation --------------------------------------------------------------------------------


def _invite(client, expert, callbacks):
    with callbacks(execute=True):
        return client.post(reverse("coordinator:expert_invite", args=[expert.pk]), follow=True)


def test_invite_sends_one_mail_whose_link_sets_a_password(
    coordinator_client, client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(first_name="Yara", email="yara@samen.test")
    _invite(coordinator_client, expert, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["yara@samen.test"]
    user = User.objects.get(email="yara@samen.test")
    assert user.role == Role.EXPERT
    assert not user.has_usable_password()
    expert.refresh_from_db()
    assert expert.user == user
    invitation = Invitation.objects.get(expert=expert)
    assert invitation.state() == InvitationState.SENT
    assert invitation.emailed_at is not None

    link = re.search(r"https?://\S+/uitnodiging/\S+", message.body).group(0)
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302  # on to allauth's page with a fresh key
    response = client.get(response["Location"])
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.state() == InvitationState.ACCEPTED
    detail = coordinator_client.get(reverse("coordinator:expert_detail", args=[expert.pk]))
    assert detail.context["invitation"].state() == InvitationState.ACCEPTED
    # And the new password logs in, without a second confirmation mail.
    response = client.post(
        reverse("account_login"), {"login": "yara@samen.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("expert:home")).status_code == 200


def test_inviting_an_expert_without_email_says_so(
    coordinator_client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(email="")
    response = _invite(coordinator_client, expert, django_capture_on_commit_callbacks)
    texts = [str(m) for m in response.context["messages"]]
    with translation.override("nl"):
        assert (
            gettext("This expert has no e-mail address. Add one first, then send the invitation.")
            in texts
        )
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_expired_invitation_is_shown_as_expired_and_can_be_sent_again(
    coordinator_client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(email="laat@samen.test")
    _invite(coordinator_client, expert, django_capture_on_commit_callbacks)
    old = Invitation.objects.get()
    Invitation.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    url = reverse("coordinator:expert_detail", args=[expert.pk])
    response = coordinator_client.get(url)
    assert response.context["invitation"].state() == InvitationState.EXPIRED
    assert reverse("coordinator:expert_invite", args=[expert.pk]) in response.content.decode()

    _invite(coordinator_client, expert, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    newest = coordinator_client.get(url).context["invitation"]
    # Sent again: the same invitation with a new link and a new validity.
    assert newest.pk == old.pk
    assert newest.send_count == 2
    assert newest.state() == InvitationState.SENT
    assert User.objects.filter(email="laat@samen.test").count() == 1


# Export ------------------------------------------------------------------------------------


def _secret_expert(**kwargs) -> Expert:
    expert = ExpertFactory(private_notes="Geheime notitie", benefit_situation="uwv", **kwargs)
    expert.themes.add(ThemeFactory(name="Verslaving"))
    return expert


def test_csv_export_holds_the_filtered_rows_without_private_columns(coordinator_client, db):
    parent = _secret_expert(first_name="Petra", kind=ExpertKind.PARENT)
    _secret_expert(first_name="Youssef", kind=ExpertKind.YOUTH)
    PlacementFactory(expert=parent, network=LearningNetworkFactory(name="Integraal Werken"))
    response = coordinator_client.get(
        reverse("coordinator:expert_export"), {"format": "csv", "kind": "parent"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][0] == "Petra"
    assert "Integraal Werken" in rows[1]
    assert "Verslaving" not in text
    assert "Geheime notitie" not in text
    assert "UWV" not in text
    assert parent.date_of_birth.isoformat() not in text


def test_xlsx_export_holds_the_filtered_rows_without_private_columns(coordinator_client, db):
    _secret_expert(first_name="Petra", kind=ExpertKind.PARENT)
    _secret_expert(first_name="Youssef", kind=ExpertKind.YOUTH)
    response = coordinator_client.get(
        reverse("coordinator:expert_export"), {"format": "xlsx", "kind": "youth"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 2
    assert rows[1][0] == "Youssef"
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert "Verslaving" not in flat
    assert "Geheime notitie" not in flat


def test_export_neutralises_spreadsheet_formulas_but_keeps_phone_numbers(coordinator_client, db):
    ExpertFactory(first_name="=HYPERLINK(1)", phone="+31 6 12345678")
    response = coordinator_client.get(reverse("coordinator:expert_export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][3] == "+31 6 12345678"


def test_list_page_says_what_the_export_leaves_out(coordinator_client, db):
    body = coordinator_client.get(reverse("coordinator:expert_list")).content.decode()
    with translation.override("nl"):
        assert gettext("Download as CSV") in body
    assert "format=xlsx" in body
