"""Calendar arithmetic (samen/dates.py): the month a day is in, and months counted back."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.dates import month_bounds, months_back

D = datetime.date


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2025, 3, 1), D(2025, 3, 1), D(2025, 4, 1)),
        (D(2025, 3, 15), D(2025, 3, 1), D(2025, 4, 1)),
        (D(2025, 3, 31), D(2025, 3, 1), D(2025, 4, 1)),
        (D(2025, 2, 28), D(2025, 2, 1), D(2025, 3, 1)),
        (D(2024, 2, 29), D(2024, 2, 1), D(2024, 3, 1)),
        (D(2025, 12, 31), D(2025, 12, 1), D(2026, 1, 1)),
        (D(2025, 1, 1), D(2025, 1, 1), D(2025, 2, 1)),
    ],
)
def test_month_bounds_are_the_first_of_the_month_and_of_the_next(day, start, end):
    assert month_bounds(day) == (start, end)


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)))
def test_every_day_lies_in_its_own_month_bounds(day):
    start, end = month_bounds(day)
    assert start.day == 1 and end.day == 1
    assert start <= day < end
    assert (end - datetime.timedelta(days=1)).month == day.month


@pytest.mark.parametrize(
    ("day", "months", "first"),
    [
        (D(2025, 6, 17), 0, D(2025, 6, 1)),
        (D(2025, 6, 17), 1, D(2025, 5, 1)),
        (D(2025, 6, 17), 5, D(2025, 1, 1)),
        (D(2025, 6, 17), 6, D(2024, 12, 1)),
        (D(2025, 1, 31), 1, D(2024, 12, 1)),
        (D(2025, 3, 31), 1, D(2025, 2, 1)),
        (D(2025, 12, 1), 11, D(2025, 1, 1)),
        (D(2025, 12, 1), 12, D(2024, 12, 1)),
        (D(2025, 6, 17), 25, D(2023, 5, 1)),
        # A negative count goes forward, over the turn of the year too.
        (D(2025, 12, 5), -1, D(2026, 1, 1)),
    ],
)
def test_months_back_gives_the_first_of_the_month_that_many_months_earlier(day, months, first):
    assert months_back(day, months) == first
