"""The expert's pay (``/mijn/vergoeding/``): the pay run's day at month and year ends, each
payment's state in words, what was approved and paid per month and year (each sum counted
once: a log in a payment is counted in that payment), the year chosen with a form (a bad year
is 400), no other expert's pay, the annual statement's sentence, and a query count that does
not grow with two years of monthly data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from participation.fees.selectors import pay_run_date, pay_state, pay_year, pay_years
from participation.models import ActivityStatus, PaymentStatus
from samen.formatting import format_date, format_euro
from tests.factories import ActivityLogFactory, PaymentFactory

D = Decimal
Date = datetime.date


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _moment(day: Date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _paid(expert, *, year: int, month: int, paid_on: Date, **amounts):
    amounts.setdefault("allowance_amount", D("0"))
    return PaymentFactory(
        expert=expert,
        year=year,
        month=month,
        status=PaymentStatus.PAID,
        paid_at=_moment(paid_on),
        **amounts,
    )


def _approved(expert, *, day: Date, **fields):
    return ActivityLogFactory(
        expert=expert,
        date=day,
        status=ActivityStatus.APPROVED,
        approved_at=_moment(day),
        **fields,
    )


# --- the pay run -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "run"),
    [
        (Date(2025, 3, 1), Date(2025, 3, 25)),
        (Date(2025, 3, 24), Date(2025, 3, 25)),
        # Approved on the day of the run: that run.
        (Date(2025, 3, 25), Date(2025, 3, 25)),
        (Date(2025, 3, 26), Date(2025, 4, 25)),
        (Date(2025, 3, 31), Date(2025, 4, 25)),
        (Date(2025, 2, 28), Date(2025, 3, 25)),
        (Date(2024, 2, 29), Date(2024, 3, 25)),
        (Date(2025, 11, 30), Date(2025, 12, 25)),
        # After December's run: January of the next year.
        (Date(2025, 12, 26), Date(2026, 1, 25)),
        (Date(2025, 12, 31), Date(2026, 1, 25)),
        (Date(2026, 1, 1), Date(2026, 1, 25)),
    ],
)
def test_the_pay_run_is_the_first_run_day_on_or_after_the_day(day, run):
    assert pay_run_date(day) == run


@pytest.mark.parametrize(
    ("day", "run"),
    [
        (Date(2025, 1, 31), Date(2025, 1, 31)),
        # A month with fewer days: its last day.
        (Date(2025, 2, 1), Date(2025, 2, 28)),
        (Date(2024, 2, 1), Date(2024, 2, 29)),
        (Date(2025, 4, 30), Date(2025, 4, 30)),
        (Date(2025, 12, 31), Date(2025, 12, 31)),
        (Date(2025, 3, 31), Date(2025, 3, 31)),
    ],
)
def test_a_run_day_past_the_end_of_a_month_is_its_last_day(settings, day, run):
    settings.SAMEN_PAY_RUN_DAY = 31
    assert pay_run_date(day) == run


def test_the_pay_run_day_is_a_setting(settings):
    settings.SAMEN_PAY_RUN_DAY = 1
    assert pay_run_date(Date(2025, 12, 2)) == Date(2026, 1, 1)
    assert pay_run_date(Date(2025, 12, 1)) == Date(2025, 12, 1)


# --- the state in words ------------------------------------------------------------------


def test_each_state_in_words():
    today = Date(2025, 3, 10)
    with translation.override("nl"):
        paid = pay_state(PaymentStatus.PAID, paid_at=_moment(Date(2025, 3, 3)), today=today)
        approved = pay_state(PaymentStatus.PAYABLE, paid_at=None, today=today)
        late = pay_state(PaymentStatus.PAYABLE, paid_at=None, today=Date(2025, 3, 27))
        year_end = pay_state(PaymentStatus.PAYABLE, paid_at=None, today=Date(2025, 12, 30))
        cancelled = pay_state(PaymentStatus.CANCELLED, paid_at=None, today=today)

    assert paid == _dutch("Paid on %(date)s") % {"date": "3 maart 2025"}
    approved_words = _dutch("Approved, will be paid in the pay run of %(date)s")
    assert approved == approved_words % {"date": "25 maart 2025"}
    # Not paid in March's run yet: the next run, never a day that has passed.
    assert late == approved_words % {"date": "25 april 2025"}
    assert year_end == approved_words % {"date": "25 januari 2026"}
    assert cancelled == _dutch(
        "This payment does not go ahead. Do you have a question? Ask the coordinator."
    )


# --- what was approved and paid ----------------------------------------------------------


@pytest.fixture
def today():
    return timezone.localdate()


def test_approved_and_paid_per_month_each_counted_once(expert, other_expert, today):
    year = today.year
    first = Date(year, 1, 1)
    # January: paid, with the logs it paid (counted in the payment, not again).
    january = _paid(
        expert,
        year=year,
        month=1,
        paid_on=first,
        allowance_amount=D("20.00"),
        costs_amount=D("7.50"),
    )
    ActivityLogFactory(
        expert=expert,
        date=first,
        status=ActivityStatus.PAID,
        approved_at=_moment(first),
        payment=january,
        amount=D("20.00"),
        travel_costs=D("7.50"),
    )
    # A payment to be paid, with an approved log already in it.
    payable = PaymentFactory(
        expert=expert, year=year, month=1, allowance_amount=D("0"), fee_amount=D("40")
    )
    _approved(expert, day=first, payment=payable, amount=D("40"))
    # Cancelled: shown, not counted.
    PaymentFactory(
        expert=expert,
        year=year,
        month=1,
        status=PaymentStatus.CANCELLED,
        allowance_amount=D("99"),
    )
    # Approved logs in no payment yet: their amount and travel costs; one without an amount
    # (employed) pays only its travel costs.
    _approved(expert, day=today, hours=D("2"), amount=D("11.20"), travel_costs=D("4.10"))
    _approved(expert, day=today, hours=D("1.5"), amount=None, travel_costs=D("3"))
    # Not counted: waiting (but its hours are named), rejected, another expert's, last year's.
    ActivityLogFactory(expert=expert, date=today, hours=D("3"), amount=D("500"))
    ActivityLogFactory(expert=expert, date=today, status=ActivityStatus.REJECTED, amount=D("500"))
    _approved(other_expert, day=today, amount=D("500"))
    _paid(other_expert, year=year, month=1, paid_on=first, allowance_amount=D("500"))
    _paid(expert, year=year - 1, month=12, paid_on=Date(year - 1, 12, 25), fee_amount=D("300"))

    pay = pay_year(expert, year=year, today=today)

    assert pay.paid == D("27.50")
    assert pay.approved == D("40") + D("11.20") + D("4.10") + D("3")
    assert pay.waiting_hours == D("3")
    by_month = {month.month: month for month in pay.months}
    assert [m.month for m in pay.months] == sorted(by_month, reverse=True)
    approved_now = next(line for line in by_month[today.replace(day=1)].lines if not line.reference)
    assert (approved_now.total, approved_now.status) == (D("18.30"), PaymentStatus.PAYABLE)
    assert approved_now.parts == [
        (gettext("Fee or allowance"), D("11.20")),
        (gettext("Travel costs"), D("7.10")),
    ]
    january_lines = by_month[first].lines
    statuses = sorted(line.status for line in january_lines if line.reference)
    assert statuses == sorted([PaymentStatus.PAID, PaymentStatus.PAYABLE, PaymentStatus.CANCELLED])
    assert pay_year(expert, year=year - 1, today=today).paid == D("300")


def test_the_years_with_pay_and_this_year(expert, other_expert, today):
    _paid(expert, year=2021, month=5, paid_on=Date(2021, 5, 25))
    _approved(expert, day=Date(2022, 7, 1))
    _paid(other_expert, year=2019, month=1, paid_on=Date(2019, 1, 25))

    assert pay_years(expert, today=today) == [today.year, 2022, 2021]


def test_the_page_shows_each_payment_with_its_state_and_euros(expert_client, expert, today):
    year = today.year
    _paid(
        expert,
        year=year,
        month=1,
        paid_on=Date(year, 1, 3),
        allowance_amount=D("1234.50"),
        reference="SAMEN-PAID-1",
    )
    _approved(expert, day=today, amount=D("12.50"))

    response = expert_client.get(reverse("expert:my_pay"))

    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("nl"):
        paid_words = _dutch("Paid on %(date)s") % {"date": format_date(Date(year, 1, 3))}
        approved_words = _dutch("Approved, will be paid in the pay run of %(date)s") % {
            "date": format_date(pay_run_date(today))
        }
        assert format_euro(D("1234.50")) == "€ 1.234,50"
    assert paid_words in page
    assert approved_words in page
    assert "€ 1.234,50" in page
    assert "€ 12,50" in page
    assert "SAMEN-PAID-1" in page


def test_another_experts_pay_is_never_shown(expert_client, expert, other_expert, today):
    _paid(
        other_expert,
        year=today.year,
        month=1,
        paid_on=Date(today.year, 1, 3),
        allowance_amount=D("777.77"),
        reference="SAMEN-OTHER",
    )
    _approved(other_expert, day=today, amount=D("666.66"))

    page = expert_client.get(reverse("expert:my_pay")).content.decode()

    assert "SAMEN-OTHER" not in page
    assert "777,77" not in page
    assert "666,66" not in page
    # The other expert's year is not offered either.
    _paid(other_expert, year=2019, month=1, paid_on=Date(2019, 1, 25))
    assert "?year=2019" not in expert_client.get(reverse("expert:my_pay")).content.decode()


def test_another_year_is_chosen_with_the_year_parameter(expert_client, expert, today):
    _paid(expert, year=2021, month=5, paid_on=Date(2021, 5, 25), reference="SAMEN-2021")
    _paid(expert, year=today.year, month=1, paid_on=Date(today.year, 1, 3), reference="SAMEN-NU")

    now = expert_client.get(reverse("expert:my_pay"))
    then = expert_client.get(reverse("expert:my_pay"), {"year": "2021"})

    assert now.context["pay"].year == today.year
    assert "SAMEN-NU" in now.content.decode()
    assert "?year=2021" in now.content.decode()
    assert then.status_code == 200
    assert then.context["pay"].year == 2021
    assert "SAMEN-2021" in then.content.decode()
    assert "SAMEN-NU" not in then.content.decode()
    # A year without anything is an empty year, not an error.
    empty = expert_client.get(reverse("expert:my_pay"), {"year": "2005"})
    assert (empty.status_code, empty.context["pay"].months) == (200, [])


@pytest.mark.parametrize(
    "year", ["abc", "1999", "2101", "-1", "2025.5", "99999999999999999999999", "<script>"]
)
def test_a_bad_year_is_400_with_this_years_page(expert_client, expert, today, year):
    response = expert_client.get(reverse("expert:my_pay"), {"year": year})

    assert response.status_code == 400
    assert response.context["pay"].year == today.year
    page = response.content.decode()
    assert _dutch("Choose a year from the list.") in page
    assert "<script>" not in page


def test_the_annual_statement_comes_at_the_start_of_next_year(expert_client, expert, today):
    page = expert_client.get(reverse("expert:my_pay")).content.decode()
    with translation.override("nl"):
        text = gettext(
            "At the start of %(next)s you can download your annual statement for %(year)s "
            "here. It shows what you got in %(year)s."
        ) % {"next": today.year + 1, "year": today.year}
    assert text in page
    earlier = expert_client.get(reverse("expert:my_pay"), {"year": today.year - 1})
    with translation.override("nl"):
        later = gettext(
            "Your annual statement for %(year)s will come here later. Do you need it now? "
            "Ask the coordinator."
        ) % {"year": today.year - 1}
    assert later in earlier.content.decode()
    # No file yet: nothing to download.
    assert earlier.context["statement_url"] is None


@pytest.mark.parametrize(
    ("visitor", "expected"),
    [("anonymous", 302), ("expert", 200), ("lead", 403), ("coordinator", 403), ("admin", 403)],
    indirect=["visitor"],
)
def test_the_pay_page_is_for_experts(visitor, expected):
    who, client = visitor
    response = client.get(reverse("expert:my_pay"))
    assert response.status_code == expected
    if who == "anonymous":
        assert "login" in response["Location"]


def test_an_expert_account_without_a_profile_gets_404(client, db):
    from samen.accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.EXPERT))
    assert client.get(reverse("expert:my_pay")).status_code == 404


def test_the_page_takes_only_get(expert_client):
    assert expert_client.post(reverse("expert:my_pay")).status_code == 405


def _months_of_pay(expert, *, years: list[int]) -> None:
    """Every month of ``years``: a paid payment with two paid logs, an approved log in no
    payment, a waiting log."""
    for year in years:
        for month in range(1, 13):
            day = Date(year, month, 10)
            payment = _paid(
                expert, year=year, month=month, paid_on=Date(year, month, 25), fee_amount=D("30")
            )
            for _ in range(2):
                ActivityLogFactory(
                    expert=expert,
                    date=day,
                    status=ActivityStatus.PAID,
                    approved_at=_moment(day),
                    payment=payment,
                    amount=D("15"),
                )
            _approved(expert, day=day, amount=D("5"), travel_costs=D("2"))
            ActivityLogFactory(expert=expert, date=day, hours=D("1"))


def _queries(client, year: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("expert:my_pay"), {"year": year})
    assert response.status_code == 200
    return len(queries)


def test_the_page_does_not_grow_in_queries(expert_client, expert, django_assert_max_num_queries):
    year = timezone.localdate().year - 1
    _months_of_pay(expert, years=[year])
    small = _queries(expert_client, year)
    _months_of_pay(expert, years=[year - 1])
    _months_of_pay(expert, years=[year])
    large = _queries(expert_client, year)

    assert small == large
    # Framework (2): 1 session, 2 user. Ours (5): 3 the expert, 4 the years with pay, 5 the
    # year's payments, 6 the approved hours in no payment per month, 7 the hours waiting.
    with django_assert_max_num_queries(7):
        response = expert_client.get(reverse("expert:my_pay"), {"year": year})
    pay = response.context["pay"]
    assert len(pay.months) == 12
    assert pay.paid == D("30") * 2 * 12
    assert pay.approved == D("7") * 2 * 12
    assert response.context["years"][-2:] == [year, year - 1]


def test_the_home_page_and_the_menu_link_to_my_pay(expert_client):
    page = expert_client.get(reverse("expert:home")).content.decode()
    assert page.count(f'href="{reverse("expert:my_pay")}"') == 2
