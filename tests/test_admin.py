"""The admin site (/beheer/): every registered model loads, only staff get in, and the
records that must not change (workflow records, consents' history) stay as they are. The
workflow records themselves are tested in tests/test_admin_workflow.py.

The model tests iterate ``admin_site._registry``, so a newly registered model is tested
too, and fails until ``make_rows`` makes rows for it."""

import datetime
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin import site as admin_site
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from evaluations.models import Answer, QuestionnaireResponse
from experts.models import (
    AvailableTime,
    AwayPeriod,
    Consent,
    Expert,
    ExpertPreferredRole,
    ExpertRole,
    ExpertSupportNeed,
    ImportMapping,
    Invitation,
    ParentalConsentRequest,
    PendingImport,
    TrainingRequest,
)
from participation.models import (
    ActivityLog,
    AllowanceLimit,
    Attendance,
    CalendarFeed,
    DataExport,
    DeclaredAllowance,
    ErasureRequest,
    ExpertMonth,
    ExportLog,
    Match,
    MonthTotal,
    NetworkComposition,
    Payment,
    PaymentStatus,
    Placement,
    PlacementRole,
    Request,
)
from tests.factories import (
    ActivityLogFactory,
    AttendanceFactory,
    BreakoutGroupFactory,
    ConsentFactory,
    EvaluationRoundFactory,
    ExpertFactory,
    FeedbackFactory,
    FeeRateFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    OrganisationFactory,
    ParentalConsentRequestFactory,
    PaymentFactory,
    PlacementFactory,
    QuestionFactory,
    QuestionnaireFactory,
    RecruitmentContactFactory,
    SmallProjectFactory,
    ThemeFactory,
    TrainingFactory,
    TrainingRecordFactory,
    UserFactory,
)
from tests.factories import RequestFactory as HelpRequestFactory

MODELS = list(admin_site._registry)
# Made and changed only through the coordinator's door, whose services keep the rules.
WORKFLOW_MODELS = {Placement, PlacementRole, Request, Match, Attendance, ActivityLog, Payment}
# Shown, never changed: workflow records, the sums of hours that Samen keeps from them, a
# parent's anonymous answers, how the coordinator's import files are read (chosen there), the
# log of exports (written by the export), training requests (asked for by the expert,
# handled on the coordinator's list), and a parent's consent link (asked and answered in the
# doors).
VIEW_ONLY_MODELS = {
    *WORKFLOW_MODELS,
    ExportLog,
    ExpertMonth,
    MonthTotal,
    NetworkComposition,
    QuestionnaireResponse,
    Answer,
    ImportMapping,
    CalendarFeed,
    PendingImport,
    TrainingRequest,
    DataExport,
    ErasureRequest,
    ParentalConsentRequest,
}
# Made elsewhere (an invitation by the coordinator's door), never added by hand.
NOT_ADDED_BY_HAND = {*VIEW_ONLY_MODELS, Invitation}


def _label(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def make_rows() -> None:
    """At least two rows of every model in the admin (AllowanceLimit is seeded 2023–2025)."""
    users = [UserFactory(), UserFactory()]
    Group.objects.create(name="Beheerders")
    Group.objects.create(name="Coördinatoren")
    Authenticator.objects.create(user=users[0], type="recovery_codes", data={"seed": "x"})
    Authenticator.objects.create(user=users[1], type="recovery_codes", data={"seed": "y"})
    for n, user in enumerate(users):
        UserSession.objects.create(
            user=user, ip="127.0.0.1", session_key=f"sessie{n}", user_agent="pytest"
        )

    ThemeFactory.create_batch(2)
    RecruitmentContactFactory.create_batch(2)
    OrganisationFactory()
    experts = ExpertFactory.create_batch(2)
    for expert in experts:
        ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.EDUCATION)
        ConsentFactory(expert=expert)
        DeclaredAllowance.objects.create(
            expert=expert, organisation_name="Buurthuis", year=2025, month=2, amount=Decimal("30")
        )
        CalendarFeed.objects.create(expert=expert)
        ExpertSupportNeed.objects.create(expert=expert, need="companion")
        AvailableTime.objects.create(expert=expert, weekday=0, part="evening")
        AwayPeriod.objects.create(
            expert=expert,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + datetime.timedelta(days=7),
        )
    for expert in experts:
        ParentalConsentRequestFactory(expert=expert)
    for expert in experts:
        Invitation.objects.create(
            expert=expert,
            email=expert.email,
            expires_at=timezone.now() + datetime.timedelta(days=3),
        )
    for n, headers in enumerate([["Roepnaam", "ExpEx of ouder"], ["Naam", "Wie"]]):
        ImportMapping.objects.create(
            headers_key=f"sleutel{n}",
            headers=headers,
            columns={"roepnaam": "first_name"},
            values={"kind": {"moeder": "parent"}},
            updated_by=users[n],
        )
    for n, user in enumerate(users):
        PendingImport.objects.create(
            owner=user,
            token=f"token{n}",
            filename=f"deelnemers-{n}.csv",
            table={"header": ["voornaam"], "header_row": 1, "rows": [[2, [f"Geheim{n}"]]]},
        )
    TrainingRecordFactory.create_batch(2, training=TrainingFactory())
    TrainingFactory()
    TrainingRequest.objects.create(expert=experts[0], training=TrainingFactory())
    TrainingRequest.objects.create(expert=experts[1], wish="Omgaan met stress", note="Graag")

    networks = LearningNetworkFactory.create_batch(2)
    BreakoutGroupFactory.create_batch(2)
    MeetingFactory(network=networks[0])
    SmallProjectFactory.create_batch(2, network=networks[1])
    AttendanceFactory.create_batch(2)

    FeeRateFactory.create_batch(2)
    for expert, network in zip(experts, networks, strict=True):
        placement = PlacementFactory(expert=expert, network=network)
        PlacementRole.objects.create(placement=placement, role=ExpertRole.CONNECTING)
    MatchFactory.create_batch(2)
    HelpRequestFactory()
    PaymentFactory()
    PaymentFactory(status=PaymentStatus.PAID, paid_at=timezone.now())
    for n, user in enumerate(users):
        ExportLog.objects.create(
            user=user,
            user_email=user.email,
            kind="experts",
            query=f"kind=parent&page={n}",
            rows=n,
            format="csv",
        )
    ActivityLogFactory.create_batch(2)
    ActivityLogFactory(date=timezone.localdate() - datetime.timedelta(days=40))  # a second month
    for expert in experts:
        DataExport.objects.create(expert=expert)
        ErasureRequest.objects.create(expert=expert)

    FeedbackFactory.create_batch(2)
    EvaluationRoundFactory()
    questions = QuestionFactory.create_batch(2, questionnaire=QuestionnaireFactory())
    QuestionnaireFactory(title="Ervaringen van ouders, ronde 2")
    for n in range(2):
        response = QuestionnaireResponse.objects.create(questionnaire=questions[0].questionnaire)
        Answer.objects.create(response=response, question=questions[0], text=f"Antwoord {n}")


@pytest.fixture
def rows(db):
    make_rows()


@pytest.fixture
def admin_client_(admin_client_, rows):
    """The admin's client, with rows of every model in the database."""
    return admin_client_


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_admin_pages_load_for_every_model(admin_client_, admin, model):
    """Changelist (with rows and a search), add, change and history pages, in one test so
    the rows are made once per model. Workflow records answer 403 on add and delete, and
    their change page only shows."""
    model_admin = admin_site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin
    assert model._default_manager.count() >= 2, f"make_rows() makes no rows for {_label(model)}"

    changelist = admin_client_.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    assert len(changelist.context["cl"].result_list) >= 2

    if model_admin.get_search_fields(request):
        search = admin_client_.get(_url(model, "changelist"), {"q": "samen 2025"})
        assert search.status_code == 200, "search"
        assert search.context["cl"].query == "samen 2025"

    add = admin_client_.get(_url(model, "add"))
    assert add.status_code == (403 if model in NOT_ADDED_BY_HAND else 200), "add"

    obj = model._default_manager.first()
    change = admin_client_.get(_url(model, "change", quote(obj.pk)))
    assert change.status_code == 200, "change"
    assert change.context["original"] == obj
    assert change.context["has_change_permission"] is (model not in VIEW_ONLY_MODELS), "change"

    if model in WORKFLOW_MODELS:
        delete = admin_client_.get(_url(model, "delete", quote(obj.pk)))
        assert delete.status_code == 403, "delete"

    if isinstance(model_admin, SimpleHistoryAdmin):
        history = admin_client_.get(_url(model, "history", quote(obj.pk)))
        assert history.status_code == 200, "history"
        assert history.context["object"] == obj


@pytest.mark.parametrize("visitor", ["coordinator", "expert", "lead", "anonymous"], indirect=True)
@pytest.mark.parametrize("model", [Expert, Payment, Consent], ids=_label)
def test_non_staff_never_reach_a_login_form_of_the_admin_site(visitor, model):
    """Anonymous visitors go to allauth's login and come back; other doors get 403, never
    Django's admin login form (a second way in without rate limit or second step)."""
    name, client = visitor
    for url in [reverse("admin:index"), _url(model, "changelist"), _url(model, "add")]:
        response = client.get(url)
        if name == "anonymous":
            assert response.status_code == 302
            assert response["Location"] == f"{reverse('account_login')}?next={url}"
        else:
            assert response.status_code == 403, (name, url)
            assert 'name="password"' not in response.content.decode()


def test_seeded_allowance_limits_are_in_the_changelist(admin_client_):
    response = admin_client_.get(_url(AllowanceLimit, "changelist"))
    assert response.status_code == 200
    limits = {limit.year: limit for limit in response.context["cl"].result_list}
    assert {2023, 2024, 2025} <= set(limits)
    assert limits[2024].per_hour_21_and_over == Decimal("5.50")
    assert limits[2025].per_year == Decimal("2100.00")


def _fee_rate_post_data(fee_rate, **changes) -> dict:
    data = {
        "name": fee_rate.name,
        "payment_scheme": fee_rate.payment_scheme,
        "role": fee_rate.role,
        "unit": fee_rate.unit,
        "amount": str(fee_rate.amount),
        "only_for_kind": fee_rate.only_for_kind,
        "deviation_reason": fee_rate.deviation_reason,
        "valid_from": fee_rate.valid_from.isoformat(),
        "valid_until": "",
    }
    return {**data, **changes}


def test_admin_change_is_audited_with_who_and_what(admin_client_, admin):
    fee_rate = FeeRateFactory(amount=Decimal("5.00"))
    response = admin_client_.post(
        _url(type(fee_rate), "change", fee_rate.pk),
        _fee_rate_post_data(fee_rate, amount="5.50"),
    )
    assert response.status_code == 302
    latest = fee_rate.history.latest()
    assert latest.history_user == admin
    assert latest.amount == Decimal("5.50")
    history = admin_client_.get(_url(type(fee_rate), "history", fee_rate.pk))
    assert admin.email in history.content.decode() or admin.name in history.content.decode()


def test_declared_allowance_is_audited_with_who_and_what(admin_client_, admin):
    """An allowance from elsewhere counts towards the tax-free limits: who declared which
    amount, and who changed it, is kept."""
    expert = ExpertFactory()
    data = {
        "expert": expert.pk,
        "organisation_name": "Buurthuis De Pijl",
        "year": 2025,
        "month": 3,
        "amount": "40.00",
    }
    assert admin_client_.post(_url(DeclaredAllowance, "add"), data).status_code == 302
    declared = DeclaredAllowance.objects.get(organisation_name="Buurthuis De Pijl")
    response = admin_client_.post(
        _url(DeclaredAllowance, "change", declared.pk), {**data, "amount": "55.00"}
    )
    assert response.status_code == 302

    changed, added = declared.history.all()
    assert (added.history_type, added.history_user, added.amount) == ("+", admin, Decimal("40"))
    assert (changed.history_type, changed.history_user, changed.amount) == (
        "~",
        admin,
        Decimal("55"),
    )


def _payment_post_data(payment, **changes) -> dict:
    data = {
        "expert": payment.expert_id,
        "payee_name": payment.payee_name,
        "payment_scheme": payment.payment_scheme,
        "year": payment.year,
        "month": payment.month,
        "allowance_amount": str(payment.allowance_amount),
        "fee_amount": str(payment.fee_amount),
        "costs_amount": str(payment.costs_amount),
        "status": payment.status,
        "reference": payment.reference,
        "paid_at_0": "",
        "paid_at_1": "",
        "paid_by": "",
    }
    return {**data, **changes}


def test_payable_payment_amounts_cannot_be_changed_either(admin_client_):
    """Payments are made by the coordinator's door (planned), never by hand here."""
    payment = PaymentFactory(allowance_amount=Decimal("20.00"))
    response = admin_client_.post(
        _url(Payment, "change", payment.pk), _payment_post_data(payment, allowance_amount="25.00")
    )
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.allowance_amount == Decimal("20.00")


def test_paid_payment_amounts_are_read_only(admin_client_):
    payment = PaymentFactory(
        allowance_amount=Decimal("20.00"), status=PaymentStatus.PAID, paid_at=timezone.now()
    )
    url = _url(Payment, "change", payment.pk)
    page = admin_client_.get(url)
    assert page.status_code == 200
    assert 'name="allowance_amount"' not in page.content.decode()

    response = admin_client_.post(url, _payment_post_data(payment, allowance_amount="999.00"))
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.allowance_amount == Decimal("20.00")
    assert payment.status == PaymentStatus.PAID


def test_paid_payment_cannot_be_deleted(admin_client_):
    payment = PaymentFactory(status=PaymentStatus.PAID, paid_at=timezone.now())
    response = admin_client_.post(_url(Payment, "delete", payment.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Payment.objects.filter(pk=payment.pk).exists()


def _consent_post_data(consent_or_expert, **changes) -> dict:
    return {
        "expert": consent_or_expert.pk,
        "purpose": "participation",
        "given_by": "self",
        "given_by_name": "",
        "given_at_0": "2025-03-04",
        "given_at_1": "10:00:00",
        "withdrawn_at_0": "",
        "withdrawn_at_1": "",
        "method": "paper",
        "notes": "",
        **changes,
    }


def test_a_consent_added_on_the_admin_site_is_recorded_by_the_logged_in_user(
    admin_client_, admin, coordinator
):
    expert = ExpertFactory()
    page = admin_client_.get(_url(Consent, "add"))
    assert 'name="recorded_by"' not in page.content.decode()

    # A forged choice is ignored: recorded_by is not a field of the form.
    data = _consent_post_data(expert, recorded_by=coordinator.pk)
    assert admin_client_.post(_url(Consent, "add"), data).status_code == 302
    consent = Consent.objects.get(expert=expert)
    assert consent.recorded_by == admin
    assert consent.history.get().history_user == admin


def test_changing_a_consent_on_the_admin_site_keeps_who_recorded_it(
    admin_client_, admin, coordinator
):
    consent = ConsentFactory(recorded_by=coordinator, method="paper")
    page = admin_client_.get(_url(Consent, "change", consent.pk))
    assert 'name="recorded_by"' not in page.content.decode()
    data = _consent_post_data(consent.expert, notes="Getekend formulier ligt in de kast.")
    response = admin_client_.post(_url(Consent, "change", consent.pk), data)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.notes == "Getekend formulier ligt in de kast."
    assert consent.recorded_by == coordinator
    assert consent.history.latest().history_user == admin


def _expert_change_data(page, expert, **fields) -> dict:
    """The expert's change form as posted, with every inline empty but the given fields."""
    data = {
        "first_name": expert.first_name,
        "last_name": expert.last_name,
        "kind": expert.kind,
        "expertise": expert.expertise,
        "status": expert.status,
        "email": expert.email,
        "availability_hours_per_month": str(expert.availability_hours_per_month),
        "benefit_situation": expert.benefit_situation,
        "preferred_channel": expert.preferred_channel,
        "meeting_mode": expert.meeting_mode,
        "contact_by_email": "on" if expert.contact_by_email else "",
    }
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | fields


def test_a_consent_added_on_an_experts_admin_page_is_recorded_by_the_logged_in_user(
    admin_client_, admin, coordinator
):
    expert = ExpertFactory()
    url = _url(Expert, "change", expert.pk)
    page = admin_client_.get(url)
    (consents,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Consent
    ]
    assert f'name="{consents.prefix}-0-recorded_by"' not in page.content.decode()
    prefix = consents.prefix
    data = _expert_change_data(
        page,
        expert,
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-purpose": "contact",
            f"{prefix}-0-given_by": "self",
            f"{prefix}-0-given_at_0": "2025-03-04",
            f"{prefix}-0-given_at_1": "10:00:00",
            f"{prefix}-0-recorded_by": coordinator.pk,
        },
    )
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    consent = Consent.objects.get(expert=expert)
    assert consent.purpose == "contact"
    assert consent.recorded_by == admin


def test_consent_history_cannot_be_reverted(admin_client_):
    consent = ConsentFactory()
    consent.withdrawn_at = timezone.now()
    consent.save()
    first = consent.history.earliest()
    url = reverse("admin:experts_consent_simple_history", args=[consent.pk, first.history_id])
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, {"purpose": consent.purpose, "given_by": "self"})
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_consents_scan_is_a_link_to_the_private_download_not_a_file_field(admin_client_):
    consent = ConsentFactory()
    consent.scan.save("scan.pdf", ContentFile(b"%PDF-1.7\n"))
    response = admin_client_.get(reverse("admin:experts_consent_change", args=[consent.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("coordinator:consent_scan", args=[consent.pk]) in body
    assert 'type="file"' not in body
    assert consent.scan.name not in body


def test_expert_changelist_does_not_show_special_category_data(admin_client_):
    theme = ThemeFactory(name="Uithuisplaatsing")
    expert = ExpertFactory(private_notes="Geheime notitie", benefit_situation="uwv")
    expert.themes.add(theme)
    content = admin_client_.get(_url(Expert, "changelist")).content.decode()
    assert expert.last_name in content
    assert "Geheime notitie" not in content
    assert "Uithuisplaatsing" not in content
    # Searching on a theme or a note finds nothing: they are not search fields.
    found = admin_client_.get(_url(Expert, "changelist"), {"q": "Geheime"})
    assert list(found.context["cl"].result_list) == []


# Queries for one changelist page, the same for 3 or 30 rows:
#  1 session, 2 user; the page: 3 count of the filtered rows, 4 count of all rows (the same
#  when unfiltered), 5 one select with the related rows joined.
# Placements add: the networks for the network filter, and two for the date hierarchy
# (first and last start date, the distinct dates).
# Anything above the budget is a query per row (N+1).
BASE_CHANGELIST_QUERIES = 5


@pytest.mark.parametrize(
    ("model", "make", "budget"),
    [
        (Expert, lambda: ExpertFactory(user=UserFactory()), BASE_CHANGELIST_QUERIES),
        (Placement, PlacementFactory, BASE_CHANGELIST_QUERIES + 3),
    ],
    ids=["Expert", "Placement"],
)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client_, django_assert_max_num_queries, model, make, budget
):
    url = _url(model, "changelist")
    with CaptureQueriesContext(connection) as few_rows:
        admin_client_.get(url)
    for _ in range(30):
        make()
    with django_assert_max_num_queries(budget):
        response = admin_client_.get(url)
    assert len(response.context["cl"].result_list) >= 30
    assert len(few_rows.captured_queries) == budget


def test_placement_cannot_be_added_in_admin(admin_client_):
    """The coordinator's door checks consent, rates and open placements; the admin would not."""
    expert = ExpertFactory()
    network = LearningNetworkFactory()
    response = admin_client_.post(
        _url(Placement, "add"),
        {
            "expert": expert.pk,
            "network": network.pk,
            "status": "active",
            "ladder_level": 1,
            "circle": "",
            "starts_on": datetime.date(2025, 1, 1).isoformat(),
            "hours_per_month": "4",
            "payment_scheme": "allowance",
            "travel_costs_reimbursed": "on",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": "education",
        },
    )
    assert response.status_code == 403
    assert not Placement.objects.filter(expert=expert).exists()
    assert not PlacementRole.objects.filter(placement__expert=expert).exists()


def test_every_model_of_our_apps_is_in_the_admin():
    """A new model cannot be forgotten: every model of our own apps has an admin."""
    from django.apps import apps

    ours = {"accounts", "experts", "learning_networks", "participation", "evaluations"}
    missing = {
        model._meta.label
        for label in ours
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model not in admin_site._registry
    }
    assert missing == set()


def test_an_import_waiting_for_its_coordinator_shows_no_rows_on_the_admin_site(admin_client_):
    pending = PendingImport.objects.get(filename="deelnemers-0.csv")
    for response in [
        admin_client_.get(_url(PendingImport, "changelist")),
        admin_client_.get(_url(PendingImport, "change", pending.pk)),
    ]:
        body = response.content.decode()
        assert "deelnemers-0.csv" in body
        assert "Geheim0" not in body
        assert "token0" not in body
    response = admin_client_.post(_url(PendingImport, "delete", pending.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not PendingImport.objects.filter(pk=pending.pk).exists()
