"""Who may see and change which placement, request and match, for every door.

``*_visible_to(user)`` scope a queryset to what a user may see (for lists and for the
helpers); ``get_*_for_user`` fetch one object for a view. Views use these only, so each rule
lives here once. A helper answers 404 when the user may not see the object (for them it does
not exist) and raises PermissionDenied when they may see it but not change it."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from learning_networks.models import Meeting
from participation.attendance.selectors import meetings_of
from participation.models import (
    ActivityLog,
    DataExport,
    DeclaredAllowance,
    ErasureRequest,
    Match,
    MatchStatus,
    Placement,
    Request,
)


def placements_visible_to(user, placements: QuerySet[Placement] | None = None):
    """A coordinator sees every placement; a lead those in the networks they lead; an expert
    their own; anyone else none."""
    placements = Placement.objects.all() if placements is None else placements
    if user.is_coordinator:
        return placements
    if user.is_lead:
        return placements.filter(network__in=user.led_networks.values("pk"))
    if user.is_expert:
        return placements.filter(expert__user=user)
    return placements.none()


def matches_visible_to(user, matches: QuerySet[Match] | None = None):
    """A coordinator sees every match; a lead the matches for requests of the networks they
    lead; an expert the matches they were proposed in, except withdrawn ones (the coordinator
    took that proposal back); anyone else none."""
    matches = Match.objects.all() if matches is None else matches
    if user.is_coordinator:
        return matches
    if user.is_lead:
        return matches.filter(request__network__in=user.led_networks.values("pk"))
    if user.is_expert:
        return matches.filter(expert__user=user).exclude(status=MatchStatus.WITHDRAWN)
    return matches.none()


def requests_visible_to(user, requests: QuerySet[Request] | None = None):
    """A coordinator sees every request; a lead the requests of the networks they lead; an
    expert the requests they have a match for that they may see; anyone else none."""
    requests = Request.objects.all() if requests is None else requests
    if user.is_coordinator:
        return requests
    if user.is_lead:
        return requests.filter(network__in=user.led_networks.values("pk"))
    if user.is_expert:
        own = matches_visible_to(user).filter(request=OuterRef("pk"))
        return requests.filter(Exists(own))
    return requests.none()


def meetings_visible_to(user, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """A coordinator sees every meeting; a lead the meetings of the networks they lead; an
    expert the meetings they are asked to through their own active placements
    (``meetings_of``); anyone else none. Here and not in ``learning_networks/access.py``:
    an expert reaches a meeting only through a placement, which that app does not know."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    if user.is_coordinator:
        return meetings
    if user.is_lead:
        return meetings.filter(network__in=user.led_networks.values("pk"))
    if user.is_expert:
        own = meetings_of(Placement.objects.filter(expert__user=user))
        return meetings.filter(pk__in=own.values("pk"))
    return meetings.none()


def _coordinator_writes(request: HttpRequest, write: bool) -> None:
    # Leads answer for their network in later pages; until then only the coordinator changes
    # these records.
    if write and not request.user.is_coordinator:
        raise PermissionDenied


def get_placement_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: QuerySet[Placement] | None = None,
) -> Placement:
    placement = get_object_or_404(placements_visible_to(request.user, queryset), pk=pk)
    _coordinator_writes(request, write)
    return placement


def get_request_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: QuerySet[Request] | None = None,
) -> Request:
    request_ = get_object_or_404(requests_visible_to(request.user, queryset), pk=pk)
    _coordinator_writes(request, write)
    return request_


def get_match_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: QuerySet[Match] | None = None,
) -> Match:
    """An expert may answer their own side of their own match (``write=True``): they see
    only their own matches, so another expert's match is 404 for them."""
    match = get_object_or_404(matches_visible_to(request.user, queryset), pk=pk)
    if not request.user.is_expert:
        _coordinator_writes(request, write)
    return match


def get_meeting_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: QuerySet[Meeting] | None = None,
) -> Meeting:
    """An expert answers (``write=True``) only for themselves, and only for meetings they are
    asked to; a meeting of another network is 404. Leads and coordinators record attendance
    in later pages; until then only the coordinator writes."""
    meeting = get_object_or_404(meetings_visible_to(request.user, queryset), pk=pk)
    if not request.user.is_expert:
        _coordinator_writes(request, write)
    return meeting


def activity_logs_visible_to(user, logs: QuerySet[ActivityLog] | None = None):
    """A coordinator sees every expert's logged hours and receipts; an expert their own; a lead
    and anyone else none."""
    logs = ActivityLog.objects.all() if logs is None else logs
    if user.is_coordinator:
        return logs
    if user.is_expert:
        return logs.filter(expert__user=user)
    return logs.none()


def get_activity_log_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: QuerySet[ActivityLog] | None = None,
) -> ActivityLog:
    """Logged hours the user may see: 404 otherwise. The expert who logged them may change them
    too (the services say until when); a coordinator may change any."""
    return get_object_or_404(activity_logs_visible_to(request.user, queryset), pk=pk)


def declared_allowances_visible_to(user, allowances: QuerySet[DeclaredAllowance] | None = None):
    """Allowances from other organisations: a coordinator sees every expert's, an expert their
    own; a lead and anyone else none."""
    allowances = DeclaredAllowance.objects.all() if allowances is None else allowances
    if user.is_coordinator:
        return allowances
    if user.is_expert:
        return allowances.filter(expert__user=user)
    return allowances.none()


def get_declared_allowance_for_user(request: HttpRequest, pk: int) -> DeclaredAllowance:
    """An allowance from elsewhere the user may see: 404 otherwise. The expert who declared it
    may change it (the services say which years)."""
    return get_object_or_404(declared_allowances_visible_to(request.user), pk=pk)


def get_data_export_for_user(request: HttpRequest, pk: int) -> DataExport:
    """A download of an expert's own data is theirs alone: another expert's is 404, and so is
    any download for a coordinator or lead (it is the expert's copy, made for them)."""
    if not request.user.is_expert:
        raise Http404
    return get_object_or_404(DataExport, pk=pk, expert__user=request.user)


def get_erasure_request_for_user(request: HttpRequest, pk: int) -> ErasureRequest:
    """Only a coordinator opens and answers an erasure request; the expert sees their own on
    their page (through their own record, never by id)."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(ErasureRequest.objects.select_related("expert"), pk=pk)
