"""attendance_answer: an expert's own coming / not coming before a meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning_networks.models import MeetingStatus
from participation.attendance.services import attendance_answer
from participation.models import Attendance, AttendanceStatus
from tests.factories import AttendanceFactory, MeetingFactory


def test_answering_makes_one_row_and_changes_it(expert):
    meeting = MeetingFactory()
    attendance_answer(meeting=meeting, expert=expert, status=AttendanceStatus.COMING)
    attendance_answer(meeting=meeting, expert=expert, status=AttendanceStatus.COMING)
    assert Attendance.objects.get().status == AttendanceStatus.COMING
    attendance_answer(meeting=meeting, expert=expert, status=AttendanceStatus.DECLINED)
    assert Attendance.objects.get().status == AttendanceStatus.DECLINED


def test_an_invitation_becomes_the_answer(expert):
    invited = AttendanceFactory(expert=expert, companion="Mijn moeder")
    attendance_answer(meeting=invited.meeting, expert=expert, status=AttendanceStatus.COMING)
    invited.refresh_from_db()
    assert invited.status == AttendanceStatus.COMING
    assert invited.companion == "Mijn moeder"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": MeetingStatus.CANCELLED}, "gaat niet door"),
        ({"status": MeetingStatus.HELD}, "al begonnen"),
        ({"starts_at": timezone.now() - datetime.timedelta(minutes=1)}, "al begonnen"),
    ],
)
def test_no_answer_for_a_cancelled_held_or_started_meeting(expert, change, message):
    meeting = MeetingFactory(**change)
    with pytest.raises(ValidationError, match=message):
        attendance_answer(meeting=meeting, expert=expert, status=AttendanceStatus.COMING)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", [AttendanceStatus.PRESENT, AttendanceStatus.INVITED, "x"])
def test_only_coming_or_not_coming_is_an_answer(expert, status):
    with pytest.raises(ValueError, match="Not an answer"):
        attendance_answer(meeting=MeetingFactory(), expert=expert, status=status)
