"""The expert's allowances from other organisations and their benefit situation
(``/mijn/profiel/vergoedingen/``, ``/mijn/profiel/uitkering/``): who may open each page,
another expert's allowance (404), adding, changing and removing rows of this year with their
history, bad input refused in Dutch, the year's limits explained, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from participation.fees.selectors import declared_year
from participation.fees.services import (
    declared_allowance_add,
    declared_allowance_change,
    declared_allowance_remove,
)
from participation.models import AllowanceLimit, DeclaredAllowance
from samen.accounts.models import Role
from samen.formatting import format_euro
from tests.factories import ConsentFactory, PlacementFactory, UserFactory

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]
OTHER_DOOR = {"anonymous": 302, "lead": 403, "coordinator": 403, "admin": 403}
TODAY = timezone.localdate()
PAGES = ["expert:my_allowances", "expert:my_allowance_create", "expert:my_benefit"]
ROW_PAGES = ["expert:my_allowance_edit", "expert:my_allowance_delete"]
D = Decimal


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return escape(gettext(message))


def _declare(expert, **fields) -> DeclaredAllowance:
    values = {"organisation_name": "Buurthuis De Linde", "month": TODAY.month, "amount": D("40")}
    return DeclaredAllowance.objects.create(expert=expert, year=TODAY.year, **{**values, **fields})


@pytest.fixture
def allowance(expert):
    return _declare(expert)


@pytest.fixture
def other_allowance(other_expert):
    return _declare(other_expert, organisation_name="Geheime stichting van Otto")


@pytest.fixture
def limit(db):
    limit, _created = AllowanceLimit.objects.update_or_create(
        year=TODAY.year,
        defaults={
            "per_hour_21_and_over": D("5.60"),
            "per_hour_under_21": D("3.30"),
            "per_month": D("210"),
            "per_year": D("2100"),
        },
    )
    return limit


def _post(client, **changes):
    data = {
        "organisation_name": "Buurthuis De Linde",
        "month": TODAY.month,
        "amount": "40",
        **changes,
    }
    return client.post(reverse("expert:my_allowance_create"), data)


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("name", PAGES + ROW_PAGES)
def test_only_the_expert_opens_their_allowance_pages(visitor, name, allowance):
    who, client = visitor
    url = reverse(name, args=[allowance.pk] if name in ROW_PAGES else [])
    for method in (client.get, client.post):
        response = method(url)
        if who == "expert":
            expected = {405} if (name, method) == (PAGES[0], client.post) else {200, 302}
            assert response.status_code in expected, (name, response.status_code)
        else:
            assert response.status_code == OTHER_DOOR[who], (who, name, response.status_code)
        if who == "anonymous":
            assert "login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_an_expert_account_without_a_profile_gets_404(client, db, name):
    client.force_login(UserFactory(role=Role.EXPERT))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", ROW_PAGES)
def test_another_experts_allowance_is_404_and_stays(expert_client, other_allowance, name):
    url = reverse(name, args=[other_allowance.pk])
    assert expert_client.get(url).status_code == 404
    response = expert_client.post(
        url, {"organisation_name": "Overgenomen", "month": TODAY.month, "amount": "1"}
    )
    assert response.status_code == 404
    other_allowance.refresh_from_db()
    assert (other_allowance.organisation_name, other_allowance.amount) == (
        "Geheime stichting van Otto",
        D("40"),
    )


def test_the_list_shows_only_the_experts_own_allowances(expert_client, allowance, other_allowance):
    body = expert_client.get(reverse("expert:my_allowances")).content.decode()
    assert "Buurthuis De Linde" in body
    assert "Geheime stichting van Otto" not in body


# --- Adding, changing, removing ----------------------------------------------------------------


def test_the_expert_declares_an_allowance_and_the_history_names_them(
    expert_client, expert, expert_user
):
    response = _post(expert_client, amount="42,50")
    assert response.status_code == 302
    assert response["Location"] == reverse("expert:my_allowances")
    allowance = DeclaredAllowance.objects.get(expert=expert)
    assert (allowance.year, allowance.month, allowance.amount) == (
        TODAY.year,
        TODAY.month,
        D("42.50"),
    )
    first = allowance.history.get()
    assert (first.history_type, first.history_user) == ("+", expert_user)


def test_the_same_form_sent_twice_stores_one_row(expert_client, expert):
    _post(expert_client)
    _post(expert_client, organisation_name="  buurthuis de linde ")
    assert DeclaredAllowance.objects.filter(expert=expert).count() == 1
    assert DeclaredAllowance.history.count() == 1


def test_declaring_the_same_organisation_and_month_again_corrects_the_amount(expert, expert_user):
    declared_allowance_add(
        expert=expert,
        by=expert_user,
        organisation_name="Buurthuis",
        month=1,
        amount=D("30"),
        today=TODAY.replace(month=3, day=1),
    )
    again = declared_allowance_add(
        expert=expert,
        by=expert_user,
        organisation_name="BUURTHUIS",
        month=1,
        amount=D("35"),
        today=TODAY.replace(month=3, day=1),
    )
    assert DeclaredAllowance.objects.get(expert=expert).amount == D("35")
    assert [row.amount for row in again.history.all()] == [D("35"), D("30")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "Write an amount of more than 0 euros."),
        ({"amount": "0"}, "Write an amount of more than 0 euros."),
        ({"amount": "20000"}, "Write an amount of at most 10,000 euros."),
        ({"amount": "veertig"}, "Write an amount, for example 50 or 12,50."),
        ({"organisation_name": "   "}, "This field is required."),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(expert_client, changes, message):
    response = _post(expert_client, **changes)
    assert response.status_code == 200
    assert _dutch(message) in response.content.decode()
    assert not DeclaredAllowance.objects.exists()


def test_a_month_still_to_come_or_no_month_is_refused(expert_client):
    for month in [13, 0, "maart"]:
        response = _post(expert_client, month=month)
        assert response.status_code == 200
    if TODAY.month < 12:
        assert _post(expert_client, month=TODAY.month + 1).status_code == 200
    assert not DeclaredAllowance.objects.exists()


def test_the_service_refuses_a_month_still_to_come(expert, expert_user):
    with pytest.raises(ValidationError) as error:
        declared_allowance_add(
            expert=expert,
            by=expert_user,
            organisation_name="Buurthuis",
            month=5,
            amount=D("10"),
            today=datetime.date(2026, 4, 30),
        )
    assert "month" in error.value.message_dict
    assert not DeclaredAllowance.objects.exists()


def test_script_tags_in_the_organisation_are_stored_and_shown_escaped(expert_client, expert):
    script = '<script>alert("x")</script>'
    assert _post(expert_client, organisation_name=script).status_code == 302
    assert DeclaredAllowance.objects.get(expert=expert).organisation_name == script
    body = expert_client.get(reverse("expert:my_allowances")).content.decode()
    assert script not in body
    assert escape(script) in body


def test_the_expert_changes_and_removes_an_allowance_with_history(
    expert_client, expert_user, allowance
):
    response = expert_client.post(
        reverse("expert:my_allowance_edit", args=[allowance.pk]),
        {"organisation_name": "Buurthuis De Linde", "month": TODAY.month, "amount": "45"},
    )
    assert response.status_code == 302
    allowance.refresh_from_db()
    assert allowance.amount == D("45")
    assert allowance.history.first().history_user == expert_user

    response = expert_client.post(reverse("expert:my_allowance_delete", args=[allowance.pk]))
    assert response.status_code == 302
    assert not DeclaredAllowance.objects.filter(pk=allowance.pk).exists()
    removed = DeclaredAllowance.history.filter(id=allowance.pk).first()
    assert (removed.history_type, removed.history_user) == ("-", expert_user)


def test_changing_into_an_organisation_and_month_written_down_already_is_refused(
    expert_client, expert, allowance
):
    other = _declare(expert, organisation_name="Sportclub", amount=D("10"))
    response = expert_client.post(
        reverse("expert:my_allowance_edit", args=[other.pk]),
        {"organisation_name": "buurthuis de linde", "month": TODAY.month, "amount": "10"},
    )
    assert response.status_code == 200
    assert (
        _dutch(
            "You have written down this organisation for this month already. Change that one "
            "instead."
        )
        in response.content.decode()
    )
    other.refresh_from_db()
    assert other.organisation_name == "Sportclub"


def test_an_allowance_of_an_earlier_year_cannot_be_changed_or_removed(expert_client, expert):
    old = DeclaredAllowance.objects.create(
        expert=expert, organisation_name="Oud", year=TODAY.year - 1, month=3, amount=D("20")
    )
    for name in ROW_PAGES:
        response = expert_client.post(
            reverse(name, args=[old.pk]),
            {"organisation_name": "Nieuw", "month": 1, "amount": "1"},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("expert:my_allowances")
    old.refresh_from_db()
    assert (old.organisation_name, old.amount) == ("Oud", D("20"))
    with pytest.raises(ValidationError):
        declared_allowance_change(
            allowance=old, by=expert.user, organisation_name="Nieuw", month=1, amount=D("1")
        )
    with pytest.raises(ValidationError):
        declared_allowance_remove(allowance=old, by=expert.user)
    assert DeclaredAllowance.objects.filter(pk=old.pk).exists()


# --- Why Samen asks: the year's limits ---------------------------------------------------------


def test_the_page_explains_the_limits_of_this_year_and_the_total(expert_client, expert, limit):
    _declare(expert, amount=D("40"))
    _declare(expert, organisation_name="Sportclub", amount=D("12.50"))
    response = expert_client.get(reverse("expert:my_allowances"))
    year = response.context["year"]
    assert (year.total, year.limit, year.per_hour) == (D("52.50"), limit, D("5.60"))
    body = response.content.decode()
    with translation.override("nl"):
        for amount in [D("210"), D("2100"), D("5.60"), D("52.50")]:
            assert format_euro(amount) in body, amount


def test_the_hourly_limit_follows_the_experts_age(expert, limit):
    expert.date_of_birth = TODAY.replace(year=TODAY.year - 19)
    assert declared_year(expert, today=TODAY).per_hour == D("3.30")
    expert.date_of_birth = None
    assert declared_year(expert, today=TODAY).per_hour is None


def test_without_limits_for_this_year_the_page_says_so(expert_client):
    AllowanceLimit.objects.filter(year=TODAY.year).delete()
    response = expert_client.get(reverse("expert:my_allowances"))
    assert response.context["year"].limit is None
    assert (
        _dutch(
            "A volunteer allowance is tax-free up to a limit per hour, per month and per year, "
            "for all organisations together. The limits of this year are not in Samen yet."
        )
        in response.content.decode()
    )


def test_the_list_does_not_grow_in_queries(
    expert_client, expert, limit, django_assert_max_num_queries
):
    for n in range(30):
        _declare(expert, organisation_name=f"Organisatie {n}", month=1 + n % TODAY.month)
    # 1 session, 2 user, 3 expert, 4 the year's allowances, 5 the year's limits.
    with django_assert_max_num_queries(5):
        response = expert_client.get(reverse("expert:my_allowances"))
    assert len(response.context["year"].allowances) == 30


# --- Benefit -----------------------------------------------------------------------------------


def test_the_expert_tells_their_benefit_and_the_history_names_them(
    expert_client, expert, expert_user, limit
):
    page = expert_client.get(reverse("expert:my_benefit"))
    assert page.status_code == 200
    assert _dutch("Why does Samen ask this?") in page.content.decode()
    with translation.override("nl"):
        assert format_euro(D("210")) in page.content.decode()

    response = expert_client.post(
        reverse("expert:my_benefit"), {"benefit_situation": "social_assistance"}
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.benefit_situation == "social_assistance"
    latest = expert.history.first()
    assert (latest.history_user, latest.benefit_situation) == (expert_user, "social_assistance")

    # Not saying is a choice too.
    expert_client.post(reverse("expert:my_benefit"), {"benefit_situation": "unknown"})
    expert.refresh_from_db()
    assert expert.benefit_situation == "unknown"


def test_a_benefit_outside_the_list_is_refused(expert_client, expert):
    response = expert_client.post(reverse("expert:my_benefit"), {"benefit_situation": "lottery"})
    assert response.status_code == 200
    expert.refresh_from_db()
    assert expert.benefit_situation == "unknown"


def test_leads_never_see_the_benefit(lead_client, expert, network):
    PlacementFactory(expert=expert, network=network, status="active")
    ConsentFactory(expert=expert, purpose="participation")
    expert.benefit_situation = "uwv"
    expert.save()
    body = lead_client.get(reverse("lead:home")).content.decode()
    assert expert.full_name in body
    with translation.override("nl"):
        assert escape(gettext("UWV benefit")) not in body
