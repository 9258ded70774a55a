"""The coordinator's expert form: its own checks (unique address, date of birth) and what it
hands to the services."""

import datetime

import pytest
from django.utils import timezone

from experts.models import ExpertKind, ExpertPreferredRole, ExpertRole
from experts.profiles.forms import ExpertForm
from tests.factories import ExpertFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _data(**overrides) -> dict:
    data = {
        "first_name": "Noor",
        "email": "noor@samen.test",
        "kind": ExpertKind.YOUTH,
        "expertise": "knowledge",
        "status": "active",
        "availability_hours_per_month": "4",
        "benefit_situation": "unknown",
    }
    data.update(overrides)
    return data


def test_valid_form_hands_themes_and_roles_to_the_service():
    theme = ThemeFactory()
    form = ExpertForm(_data(themes=[theme.pk], roles=["education"], email="Noor@Samen.test"))
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["themes"] == [theme]
    assert kwargs["roles"] == ["education"]
    assert kwargs["email"] == "noor@samen.test"
    assert kwargs["first_name"] == "Noor"


def test_address_of_another_expert_is_refused_whatever_the_case():
    ExpertFactory(email="noor@samen.test")
    form = ExpertForm(_data(email="NOOR@samen.test"))
    assert not form.is_valid()
    assert form.has_error("email", code="duplicate")


def test_own_address_is_fine_when_editing():
    expert = ExpertFactory(email="noor@samen.test")
    form = ExpertForm(_data(), instance=expert)
    assert form.is_valid(), form.errors


def test_two_experts_without_address_are_fine():
    ExpertFactory(email="")
    assert ExpertForm(_data(email="")).is_valid()


def test_date_of_birth_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = ExpertForm(_data(date_of_birth=tomorrow.isoformat()))
    assert not form.is_valid()
    assert form.has_error("date_of_birth", code="future")
    assert ExpertForm(_data(date_of_birth=timezone.localdate().isoformat())).is_valid()


def test_editing_shows_the_current_roles_checked():
    expert = ExpertFactory()
    ExpertPreferredRole.objects.create(expert=expert, role=ExpertRole.NAVIGATING)
    form = ExpertForm(instance=expert)
    assert form.initial["roles"] == ["navigating"]
    assert form.helper.form_method == "post"
