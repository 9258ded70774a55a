"""An expert's load: the hours of a month against the hours they gave, and whether they are
still active. The dashboard's signals, the expert list's filters and the matching all ask
these rules."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet

from experts.models import Expert
from participation.fees.selectors import with_hours_in_month
from participation.models import ActivityLog, Attendance, AttendanceStatus, Placement


def room_left(*, available: Decimal, used: Decimal) -> Decimal:
    """Hours an expert can still give this month: what they gave minus what they logged."""
    return available - used


def over_availability(experts: QuerySet[Expert], *, day: datetime.date) -> QuerySet[Expert]:
    """Experts whose hours in ``day``'s month are above the availability they gave, annotated
    with ``hours_in_month``."""
    return with_hours_in_month(experts, day=day).filter(
        hours_in_month__gt=F("availability_hours_per_month")
    )


def inactive(
    experts: QuerySet[Expert], *, today: datetime.date, now: datetime.datetime
) -> QuerySet[Expert]:
    """Active experts with an open placement who logged no hours and were marked present at no
    meeting in the last ``SAMEN_INACTIVE_AFTER_DAYS`` days."""
    days = settings.SAMEN_INACTIVE_AFTER_DAYS
    since_day = today - datetime.timedelta(days=days)
    since = now - datetime.timedelta(days=days)
    open_placement = Placement.objects.open().filter(expert=OuterRef("pk"))
    logged = ActivityLog.objects.filter(expert=OuterRef("pk"), date__gte=since_day)
    attended = Attendance.objects.filter(
        expert=OuterRef("pk"),
        status=AttendanceStatus.PRESENT,
        meeting__starts_at__gte=since,
        meeting__starts_at__lte=now,
    )
    return (
        experts.active()
        .filter(Exists(open_placement))
        .exclude(Exists(logged))
        .exclude(Exists(attended))
    )
