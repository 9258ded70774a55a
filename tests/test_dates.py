import datetime

import pytest

from samen.dates import month_bounds, months_back


def test_month_bounds_run_into_the_next_year():
    assert month_bounds(datetime.date(2025, 12, 15)) == (
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
    )


@pytest.mark.parametrize(
    ("day", "back", "first"),
    [
        (datetime.date(2025, 3, 31), 0, datetime.date(2025, 3, 1)),
        (datetime.date(2025, 3, 31), 1, datetime.date(2025, 2, 1)),
        (datetime.date(2025, 3, 31), 3, datetime.date(2024, 12, 1)),
        (datetime.date(2025, 1, 1), 12, datetime.date(2024, 1, 1)),
        (datetime.date(2024, 2, 29), 25, datetime.date(2022, 1, 1)),
    ],
)
def test_months_back_counts_whole_months_across_years(day, back, first):
    assert months_back(day, back) == first
