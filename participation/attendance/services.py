"""Writes about who comes to a meeting."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert
from learning_networks.models import Meeting, MeetingStatus
from participation.models import Attendance, AttendanceStatus

# What an expert answers before a meeting. After it, the lead records present or absent.
ANSWERS = frozenset({AttendanceStatus.COMING, AttendanceStatus.DECLINED})


@transaction.atomic
def attendance_answer(
    *,
    meeting: Meeting,
    expert: Expert,
    status: str,
    now: datetime.datetime | None = None,
) -> Attendance:
    """Record the expert's own answer to a meeting: coming or not coming. Only for a planned
    meeting that has not started; the expert may change the answer until then. Answering the
    same twice changes nothing. Raises ValidationError (in Dutch, for the expert)."""
    if status not in ANSWERS:
        raise ValueError(f"Not an answer before a meeting: {status!r}")
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting does not go ahead. You do not have to answer."))
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= now:
        raise ValidationError(_("This meeting has already started. You can no longer answer."))
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, expert=expert, defaults={"status": status}
    )
    if not created and attendance.status != status:
        attendance.status = status
        attendance.full_clean()
        attendance.save(update_fields=["status"])
    return attendance
