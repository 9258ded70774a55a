"""Workflow records on the admin site (/beheer/): placements and their roles, requests,
matches, attendance, hours and payments can be looked up but not added, changed or deleted,
not even by a superuser. They change only through the coordinator's door, whose services
keep the rules. Reference data, such as fee rates, stays editable."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.auth.models import Permission
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.test import Client
from django.test import RequestFactory as HttpRequestFactory
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole
from learning_networks.models import Meeting
from participation.models import (
    ActivityLog,
    ActivityStatus,
    Attendance,
    FeeRate,
    Match,
    MatchStatus,
    Payment,
    PaymentScheme,
    PaymentStatus,
    Placement,
    PlacementRole,
    Request,
)
from samen.accounts.models import Role
from tests.factories import (
    ActivityLogFactory,
    AttendanceFactory,
    ExpertFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    PaymentFactory,
    PlacementFactory,
    UserFactory,
)
from tests.factories import RequestFactory as HelpRequestFactory


def _url(model: type[Model], view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _expert():
    return ExpertFactory(first_name="Fenna", last_name="Veldkamp")


def _placement() -> Placement:
    return PlacementFactory(expert=_expert(), network=LearningNetworkFactory(name="Thuisnetwerk"))


def _placement_role() -> PlacementRole:
    return PlacementRole.objects.create(placement=_placement(), role=ExpertRole.CONNECTING)


def _request() -> Request:
    return HelpRequestFactory(title="Gastles over pleegzorg")


def _match() -> Match:
    return MatchFactory(expert=_expert(), request=_request())


def _attendance() -> Attendance:
    return AttendanceFactory(expert=_expert(), meeting=MeetingFactory(title="Voorjaarsbijeenkomst"))


def _activity_log() -> ActivityLog:
    return ActivityLogFactory(expert=_expert(), description="Folder meegelezen")


def _payment() -> Payment:
    return PaymentFactory(expert=_expert(), reference="SAMEN-2025-04242")


# Each workflow model, how to make one row, and a text of that row that its list and its
# page show.
WORKFLOW_MODELS = [
    pytest.param(Placement, _placement, "Fenna Veldkamp", id="Placement"),
    pytest.param(PlacementRole, _placement_role, "Thuisnetwerk", id="PlacementRole"),
    pytest.param(Request, _request, "Gastles over pleegzorg", id="Request"),
    pytest.param(Match, _match, "Gastles over pleegzorg", id="Match"),
    pytest.param(Attendance, _attendance, "Voorjaarsbijeenkomst", id="Attendance"),
    pytest.param(ActivityLog, _activity_log, "Fenna Veldkamp", id="ActivityLog"),
    pytest.param(Payment, _payment, "SAMEN-2025-04242", id="Payment"),
]
WORKFLOW_WITH_HISTORY = [param for param in WORKFLOW_MODELS if hasattr(param.values[0], "history")]


def _post_data(obj: Model) -> dict:
    """The record's own values as a form would post them, with inline management data."""
    data = {
        key: "" if value is None else value
        for key, value in model_to_dict(obj).items()
        # A form posts no file for an empty file field (a receipt).
        if not (isinstance(value, FieldFile) and not value)
    }
    for prefix in ["roles", "matches"]:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def _as_stored(obj: Model) -> dict:
    return model_to_dict(type(obj)._default_manager.get(pk=obj.pk))


@pytest.mark.parametrize(("model", "make", "shown"), WORKFLOW_MODELS)
def test_admin_sees_workflow_records_in_the_list_and_on_a_read_only_page(
    admin_client_, model, make, shown
):
    obj = make()

    changelist = admin_client_.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [obj]
    assert shown in changelist.content.decode()
    # Without delete permission the "delete selected" action is gone, and with it the
    # checkbox per row.
    assert changelist.context["action_form"] is None

    change = admin_client_.get(_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert change.context["original"] == obj
    assert change.context["has_change_permission"] is False
    content = change.content.decode()
    assert shown in content
    assert 'name="_save"' not in content
    fields = admin_site._registry[model].get_readonly_fields(change.wsgi_request, obj)
    assert "status" in fields or "role" in fields
    for field in fields:
        assert f'name="{field}"' not in content, field


@pytest.mark.parametrize(("model", "make", "shown"), WORKFLOW_MODELS)
def test_workflow_records_cannot_be_added_on_the_admin_site(admin_client_, model, make, shown):
    obj = make()
    data = _post_data(obj)
    before = model._default_manager.count()

    assert admin_client_.get(_url(model, "add")).status_code == 403
    assert admin_client_.post(_url(model, "add"), data).status_code == 403

    assert model._default_manager.count() == before


@pytest.mark.parametrize(("model", "make", "shown"), WORKFLOW_MODELS)
def test_workflow_records_cannot_be_changed_on_the_admin_site(admin_client_, model, make, shown):
    obj = make()
    stored = _as_stored(obj)
    before = model._default_manager.count()
    data = _post_data(obj)
    # A change that the services would check first.
    for field, value in {"status": "ended", "role": ExpertRole.EDUCATION, "hours": "9"}.items():
        if field in data:
            data[field] = value

    response = admin_client_.post(_url(model, "change", obj.pk), data)

    assert response.status_code == 403
    assert model._default_manager.count() == before
    assert _as_stored(obj) == stored


@pytest.mark.parametrize(("model", "make", "shown"), WORKFLOW_MODELS)
def test_workflow_records_cannot_be_deleted_on_the_admin_site(admin_client_, model, make, shown):
    obj = make()
    before = model._default_manager.count()

    assert admin_client_.get(_url(model, "delete", obj.pk)).status_code == 403
    assert admin_client_.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    # The bulk action on the list is not offered, and a forged one deletes nothing.
    admin_client_.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )

    assert model._default_manager.count() == before
    assert model._default_manager.filter(pk=obj.pk).exists()


def _paid_payment() -> Payment:
    return PaymentFactory(
        expert=_expert(), status=PaymentStatus.PAID, paid_at=timezone.now(), reference="B-1"
    )


def _paid_activity_log() -> ActivityLog:
    payment = _paid_payment()
    return ActivityLogFactory(
        expert=payment.expert,
        status=ActivityStatus.PAID,
        approved_at=timezone.now(),
        payment=payment,
    )


@pytest.mark.parametrize("make", [_paid_payment, _paid_activity_log], ids=["payment", "log"])
def test_paid_records_cannot_be_deleted_on_the_admin_site_by_a_superuser(
    admin_client_, admin, make
):
    """Kept for the books: no delete permission for the record or the list, no bulk action,
    and a forged one deletes nothing."""
    obj = make()
    model = type(obj)
    model_admin = admin_site._registry[model]
    request = HttpRequestFactory().get("/")
    request.user = admin
    assert admin.is_superuser
    assert not model_admin.has_delete_permission(request, obj)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)

    assert admin_client_.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    admin_client_.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(("model", "make", "shown"), WORKFLOW_WITH_HISTORY)
def test_workflow_history_can_be_read_but_not_reverted(admin_client_, model, make, shown):
    obj = make()
    stored = _as_stored(obj)
    first = obj.history.earliest()
    history = admin_client_.get(_url(model, "history", obj.pk))
    assert history.status_code == 200
    assert history.context["revert_disabled"] is True

    url = _url(model, "simple_history", obj.pk, first.history_id)
    version = admin_client_.get(url)
    assert version.status_code == 200
    # The old version is shown as text: every field read-only.
    assert list(version.context["adminform"].form.fields) == []

    assert admin_client_.post(url, _post_data(obj)).status_code == 403
    assert _as_stored(obj) == stored


def test_request_page_shows_its_matches_without_forms(admin_client_):
    request_ = HelpRequestFactory()
    MatchFactory(request=request_, expert=ExpertFactory(first_name="Fenna", last_name="Veldkamp"))
    MatchFactory(request=request_, expert=ExpertFactory(first_name="Mees", last_name="Bakker"))

    response = admin_client_.get(_url(Request, "change", request_.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Fenna Veldkamp" in content
    assert "Mees Bakker" in content
    [matches] = response.context["inline_admin_formsets"]
    assert matches.opts.model is Match
    assert not matches.has_add_permission
    assert not matches.has_change_permission
    assert not matches.has_delete_permission
    for field in ["expert", "status", "hours", "expert_confirmed_at"]:
        assert f'name="matches-0-{field}"' not in content
        assert f'name="matches-__prefix__-{field}"' not in content
    assert 'name="matches-0-DELETE"' not in content


def test_placement_page_shows_its_roles_without_forms(admin_client_):
    placement = PlacementFactory()
    PlacementRole.objects.create(placement=placement, role=ExpertRole.CONNECTING)

    response = admin_client_.get(_url(Placement, "change", placement.pk))

    assert response.status_code == 200
    [roles] = response.context["inline_admin_formsets"]
    assert roles.opts.model is PlacementRole
    assert not roles.has_add_permission
    assert not roles.has_change_permission
    assert not roles.has_delete_permission
    content = response.content.decode()
    assert 'name="roles-0-role"' not in content
    assert 'name="roles-__prefix__-role"' not in content


def test_placement_pages_say_where_to_change_it_with_a_link(admin_client_):
    placement = PlacementFactory()

    changelist = admin_client_.get(_url(Placement, "changelist")).content.decode()
    assert "Koppelingen maak en wijzig je in het coördinatorscherm." in changelist
    assert f'href="{reverse("coordinator:network_list")}"' in changelist

    change = admin_client_.get(_url(Placement, "change", placement.pk)).content.decode()
    assert "Koppelingen maak en wijzig je in het coördinatorscherm." in change
    assert f'href="{reverse("coordinator:placement_edit", args=[placement.pk])}"' in change


def test_match_page_links_to_its_request_in_the_coordinators_door(admin_client_):
    match = MatchFactory()
    content = admin_client_.get(_url(Match, "change", match.pk)).content.decode()
    assert f'href="{reverse("coordinator:request_detail", args=[match.request_id])}"' in content


@pytest.mark.parametrize(
    ("model", "make"), [(Attendance, AttendanceFactory), (Payment, PaymentFactory)]
)
def test_pages_without_a_coordinator_page_say_it_comes_later(admin_client_, model, make):
    obj = make()
    for url in [_url(model, "changelist"), _url(model, "change", obj.pk)]:
        response = admin_client_.get(url)
        assert "komt later." in response.content.decode()  # a page for it comes later
        assert response.context["coordinator_link"] is None


def test_staff_without_the_coordinators_door_get_the_note_without_a_link(db):
    """A link to a page that would answer 403 helps no one."""
    staff = UserFactory(role=Role.LEAD, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_placement"))
    client = Client()
    client.force_login(staff)
    placement = PlacementFactory()

    response = client.get(_url(Placement, "change", placement.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Koppelingen maak en wijzig je in het coördinatorscherm." in content
    assert reverse("coordinator:placement_edit", args=[placement.pk]) not in content


def test_match_cannot_be_confirmed_on_the_admin_site(admin_client_):
    """Confirming needs both sides' answers, recorded by match_confirm()."""
    match = MatchFactory()
    data = _post_data(match) | {
        "status": MatchStatus.CONFIRMED,
        "expert_confirmed_at_0": "01-03-2025",
        "expert_confirmed_at_1": "10:00",
    }
    assert admin_client_.post(_url(Match, "change", match.pk), data).status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_meeting_with_attendance_cannot_be_deleted_on_the_admin_site(admin_client_):
    """Deleting a meeting would delete its attendance with it (on_delete=CASCADE)."""
    attendance = AttendanceFactory()
    url = _url(Meeting, "delete", attendance.meeting_id)
    assert admin_client_.post(url, {"post": "yes"}).status_code == 403
    assert Attendance.objects.filter(pk=attendance.pk).exists()


def test_fee_rates_can_still_be_added_on_the_admin_site(admin_client_):
    before = FeeRate.objects.count()
    response = admin_client_.post(
        _url(FeeRate, "add"),
        {
            "name": "Sessie onderwijs",
            "payment_scheme": PaymentScheme.PAID_FEE,
            "role": ExpertRole.EDUCATION,
            "unit": "session",
            "amount": "75.00",
            "only_for_kind": "",
            "deviation_reason": "",
            "valid_from": datetime.date(2025, 1, 1).isoformat(),
            "valid_until": "",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert FeeRate.objects.count() == before + 1
    assert FeeRate.objects.get(name="Sessie onderwijs").amount == Decimal("75.00")
