"""Numbers are typed as people write them: "2,5" in Dutch, "2.5" in English."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from experts.models import Expert
from experts.profiles.forms import ExpertForm
from participation.placements.forms import PlacementForm
from participation.requests.forms import MatchProposeForm, RequestForm
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "typed"), [("nl", "2,5"), ("en", "2.5"), ("nl", "2"), ("en", "2")]
)
def test_hours_are_read_in_the_visitors_language(language, typed):
    expert = ExpertFactory()
    data = {"experts": [expert.pk], "expectations": "Meelezen", "hours": typed}
    with translation.override(language):
        form = MatchProposeForm(data=data)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal(typed.replace(",", "."))


def test_a_dutch_comma_is_shown_back_in_the_field():
    with translation.override("nl"):
        html = str(MatchProposeForm(initial={"hours": Decimal("3.5")})["hours"])
    assert 'value="3,5"' in html
    assert 'inputmode="decimal"' in html


@pytest.mark.parametrize("form_class", [ExpertForm, RequestForm, MatchProposeForm, PlacementForm])
def test_every_decimal_field_of_the_doors_forms_is_localized(form_class):
    from django import forms

    form = form_class()
    decimals = [f for f in form.fields.values() if isinstance(f, forms.DecimalField)]
    assert decimals, "this form has no decimal field any more: drop it from the list"
    assert all(field.localize for field in decimals)


def test_coordinator_saves_availability_typed_with_a_comma(coordinator_client):
    response = coordinator_client.post(
        reverse("coordinator:expert_create"),
        {
            "first_name": "Fleur",
            "last_name": "Komma",
            "kind": "youth",
            "expertise": "knowledge",
            "status": "active",
            "availability_hours_per_month": "6,5",
            "benefit_situation": "unknown",
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Expert.objects.get(last_name="Komma").availability_hours_per_month == Decimal("6.5")
