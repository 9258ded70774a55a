"""The expert's calendar link as an iCalendar file (RFC 5545), written by ``icalendar``.

Every event keeps the same UID (``meeting-<pk>@samen``, ``placement-<pk>@samen``), so a
calendar that reads the link again updates an event instead of adding it twice."""

import datetime

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from learning_networks.models import Meeting, MeetingStatus
from participation.models import AttendanceStatus, Placement

PRODUCT_ID = "-//Samen//Mijn afspraken//NL"
UID_DOMAIN = "samen"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def placement_uid(placement: Placement) -> str:
    return f"placement-{placement.pk}@{UID_DOMAIN}"


def _meeting_event(meeting: Meeting, *, now: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    summary = f"{meeting.title} ({meeting.network.name})"
    if meeting.my_status == AttendanceStatus.DECLINED:
        summary = _("%(meeting)s – you are not coming") % {"meeting": summary}
    event.add("summary", summary)
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    lines = [meeting.get_kind_display()]
    if meeting.agenda:
        lines += ["", meeting.agenda]
    event.add("description", "\n".join(lines))
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    elif meeting.my_status == AttendanceStatus.DECLINED:
        event.add("transp", "TRANSPARENT")
    else:
        event.add("status", "CONFIRMED")
    return event


def _placement_event(placement: Placement, *, now: datetime.datetime) -> Event:
    """A placement as a whole-day event on its first day. Not over all its days: months of a
    whole-day bar would hide the rest of the calendar."""
    event = Event()
    event.add("uid", placement_uid(placement))
    event.add("dtstamp", now)
    event.add("dtstart", placement.starts_on)
    event.add("dtend", placement.starts_on + datetime.timedelta(days=1))
    event.add("summary", _("You start in %(network)s") % {"network": placement.network.name})
    event.add("transp", "TRANSPARENT")
    if placement.expectations:
        event.add("description", placement.expectations)
    return event


def calendar_file(
    meetings: list[Meeting], placements: list[Placement], *, now: datetime.datetime
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("My appointments in Samen"))
    for meeting in meetings:
        calendar.add_component(_meeting_event(meeting, now=now))
    for placement in placements:
        calendar.add_component(_placement_event(placement, now=now))
    return calendar.to_ical()
