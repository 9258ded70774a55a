"""Calendar arithmetic shared by every app."""

import datetime


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of ``day``'s month and the first day of the next month."""
    start = day.replace(day=1)
    return start, (start + datetime.timedelta(days=32)).replace(day=1)


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` before ``day``'s month (0: ``day``'s own)."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)
