"""Writes of the participation app: workflows that touch several rows.

Each function is keyword-only, runs in one transaction, validates what it builds and raises
``ValidationError`` with a message a coordinator can act on."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert, Theme
from participation.models import Match, MatchSide, MatchStatus, Request, RequestStatus
from participation.requests.models import CLOSED_REQUEST_STATUSES
from samen.accounts.models import User
from samen.jobs import enqueue_on_commit

from .matching import rank_experts_for_request, why_not_suggested
from .tasks import match_notify_confirmed, match_notify_expert

# Requests and matches ------------------------------------------------------------------------

# What a coordinator may set through request_create / request_update. Status follows from the
# matches; a coordinator may only close a request (done, cancelled) or reopen it.
REQUEST_FIELDS = frozenset(
    {
        "title",
        "question",
        "network",
        "organisation",
        "contact_name",
        "contact_email",
        "perspective",
        "expertise_wanted",
        "role",
        "ladder_level",
        "starts_on",
        "ends_on",
        "respond_by",
        "expected_hours",
        "experts_wanted",
        "payment_scheme",
        "competencies",
        "mode",
        "location",
    }
)
PROPOSABLE_REQUEST_STATUSES = frozenset({RequestStatus.OPEN, RequestStatus.MATCHING})


def _check_request_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - REQUEST_FIELDS
    if unknown:
        raise TypeError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")


def _refresh_request_status(request: Request) -> None:
    """Let an open request's status follow its matches: matched when enough are confirmed,
    matching while any is proposed or confirmed, else open. Closed requests stay closed."""
    if request.status in CLOSED_REQUEST_STATUSES:
        return
    counts = Match.objects.filter(request=request).aggregate(
        confirmed=Count("pk", filter=Q(status__in=[MatchStatus.CONFIRMED, MatchStatus.DONE])),
        proposed=Count("pk", filter=Q(status=MatchStatus.PROPOSED)),
    )
    if counts["confirmed"] >= request.experts_wanted:
        status = RequestStatus.MATCHED
    elif counts["confirmed"] or counts["proposed"]:
        status = RequestStatus.MATCHING
    else:
        status = RequestStatus.OPEN
    if status != request.status:
        request.status = status
        request.save(update_fields=["status"])


@transaction.atomic
def request_create(
    *,
    created_by: User | None,
    themes: Iterable[Theme] = (),
    **fields: Any,
) -> Request:
    """Record a request for expert input. Raises ValidationError."""
    _check_request_fields(fields)
    request = Request(created_by=created_by, status=RequestStatus.OPEN, **fields)
    request.full_clean()
    request.save()
    request.themes.set(themes)
    return request


@dataclass(frozen=True)
class RequestUpdate:
    """What ``request_update`` did: the saved request and, when it closed the request, how many
    proposals it withdrew and how many confirmed matches stay."""

    request: Request
    proposals_withdrawn: int = 0
    confirmed_kept: int = 0


def _withdraw_proposals(request: Request, *, by: User | None) -> int:
    """Withdraw the proposed matches of a request that is closed now, one row at a time so
    the history keeps each with who closed the request. Their e-mails and reminders are not
    sent any more: the tasks send only for a proposed match of an open request. Returns how
    many were withdrawn."""
    if request.status == RequestStatus.CANCELLED:
        reason = _("The request was cancelled.")
    else:
        reason = _("The request is done.")
    now = timezone.now()
    proposed = Match.objects.select_for_update().filter(
        request=request, status=MatchStatus.PROPOSED
    )
    withdrawn = 0
    for match in proposed.order_by("pk"):
        match.status = MatchStatus.WITHDRAWN
        match.declined_reason = reason
        match.closed_at = now
        match._history_user = by
        match.save(update_fields=["status", "declined_reason", "closed_at"])
        withdrawn += 1
    return withdrawn


@transaction.atomic
def request_update(
    *,
    request: Request,
    themes: Iterable[Theme] | None = None,
    status: str | None = None,
    by: User | None = None,
    **fields: Any,
) -> RequestUpdate:
    """Change a request. Themes are replaced when given. ``status`` may close the request
    (done, cancelled) or reopen a closed one; otherwise the status follows the matches.

    Closing a request withdraws its proposed matches in the same transaction: nobody is asked
    any more, and no e-mail or reminder about them goes out. Confirmed matches stay, on
    either way of closing: both sides agreed, so the coordinator talks to the expert before
    ending one (``match_withdraw``). Reopening brings no withdrawn match back.
    Raises ValidationError."""
    _check_request_fields(fields)
    # Lock the row: a match confirmed at the same moment also changes the status.
    request = Request.objects.select_for_update().get(pk=request.pk)
    for name, value in fields.items():
        setattr(request, name, value)
    closing = False
    if status is not None and status != request.status:
        if status in CLOSED_REQUEST_STATUSES:
            closing = request.status not in CLOSED_REQUEST_STATUSES
            request.status = status
        elif request.status in CLOSED_REQUEST_STATUSES and status == RequestStatus.OPEN:
            request.status = RequestStatus.OPEN  # the matches decide below
        else:
            raise ValidationError(
                {
                    "status": _(
                        "The status follows from the matches. You can only close a request "
                        "or open it again."
                    )
                }
            )
    request.full_clean()
    request.save()
    if themes is not None:
        request.themes.set(themes)
    if closing:
        return RequestUpdate(
            request=request,
            proposals_withdrawn=_withdraw_proposals(request, by=by),
            confirmed_kept=request.matches.filter(status=MatchStatus.CONFIRMED).count(),
        )
    # More or fewer experts wanted can make the request matched, or no longer matched.
    _refresh_request_status(request)
    return RequestUpdate(request=request)


def _lock_match(match: Match) -> Match:
    """Lock the match's request, then the match: the same order in every workflow, so two
    answers at once never deadlock and the one that comes second sees the first."""
    request = Request.objects.select_for_update().get(pk=match.request_id)
    locked = Match.objects.select_for_update().get(pk=match.pk)
    locked.request = request
    return locked


def _check_side(side: str) -> None:
    if side not in MatchSide.values:
        raise ValueError(f"Unknown side: {side!r}")


@transaction.atomic
def match_propose(
    *,
    request: Request,
    experts: Iterable[Expert],
    proposed_by: User | None,
    expectations: str,
    hours: Decimal,
    today: datetime.date | None = None,
) -> list[Match]:
    """Propose one or more experts for a request.

    Only experts among the suggestions may be proposed (consent in force, room in their hours,
    the perspective and training asked, not proposed before). Each match keeps the score and
    the reasons of the ranking. The request becomes "match proposed"; each expert is e-mailed
    after commit. Raises ValidationError and proposes nobody when one expert is refused."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.status not in PROPOSABLE_REQUEST_STATUSES:
        raise ValidationError(
            _("This request is “%(status)s”. You can no longer propose experts for it.")
            % {"status": request.get_status_display()}
        )
    chosen = {expert.pk: expert for expert in experts}
    if not chosen:
        raise ValidationError(_("Choose at least one expert."))
    allowed = {
        suggestion.expert.pk: suggestion
        for suggestion in rank_experts_for_request(request, today=today, limit=None)
    }
    refused = [expert for pk, expert in chosen.items() if pk not in allowed]
    if refused:
        raise ValidationError(
            [why_not_suggested(request, expert, today=today) for expert in refused]
        )
    matches = []
    for pk in chosen:
        suggestion = allowed[pk]
        match = Match(
            request=request,
            expert=suggestion.expert,
            status=MatchStatus.PROPOSED,
            expectations=expectations.strip(),
            hours=hours,
            payment_scheme=request.payment_scheme,
            score=suggestion.score,
            score_reasons=[reason.as_dict() for reason in suggestion.reasons],
            proposed_by=proposed_by,
        )
        match._history_user = proposed_by
        match.full_clean()
        match.save()
        enqueue_on_commit(match_notify_expert, match.pk)
        matches.append(match)
    _refresh_request_status(request)
    return matches


@transaction.atomic
def match_confirm(*, match: Match, side: str, by: User | None) -> Match:
    """Record that one side (``"expert"`` or ``"requester"``) said yes.

    When both said yes, the match is confirmed, but only with the expectations and the time
    filled in; the request is matched once it has as many confirmed matches as experts
    wanted, and the expert (and the request's contact) get an e-mail after commit. Saying yes
    twice changes nothing. Raises ValidationError."""
    _check_side(side)
    match = _lock_match(match)
    if match.is_confirmed:
        return match
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(
            _("This match was declined or withdrawn. It can no longer be confirmed.")
        )
    field = f"{side}_confirmed_at"
    if getattr(match, field) is not None:
        return match
    setattr(match, field, timezone.now())
    changed = [field]
    both = match.expert_confirmed_at is not None and match.requester_confirmed_at is not None
    if both:
        if not match.expectations.strip() or match.hours <= 0:
            raise ValidationError(
                _(
                    "A match only counts when what is expected and the time are clear. "
                    "Fill in the expectations and the hours (more than 0) first."
                )
            )
        match.status = MatchStatus.CONFIRMED
        changed.append("status")
    match._history_user = by
    match.save(update_fields=changed)
    if both:
        _refresh_request_status(match.request)
        enqueue_on_commit(match_notify_confirmed, match.pk)
    return match


@transaction.atomic
def match_decline(*, match: Match, side: str, reason: str, by: User | None) -> Match:
    """Record that one side said no, and why. A declined match stays declined; declining it
    again changes nothing. Raises ValidationError for a match that is no longer proposed."""
    _check_side(side)
    match = _lock_match(match)
    if match.status == MatchStatus.DECLINED:
        return match
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(
            _("Only a proposed match can be declined. To stop a confirmed match, withdraw it.")
        )
    match.status = MatchStatus.DECLINED
    match.declined_side = side
    match.declined_reason = reason.strip()
    match.closed_at = timezone.now()
    match._history_user = by
    match.save(update_fields=["status", "declined_side", "declined_reason", "closed_at"])
    _refresh_request_status(match.request)
    return match


@transaction.atomic
def match_withdraw(*, match: Match, by: User | None, reason: str = "") -> Match:
    """The coordinator takes back a proposed or confirmed match. The request's status follows
    (a matched request with too few confirmed matches is matching again). Withdrawing twice
    changes nothing. Raises ValidationError for a declined or finished match."""
    match = _lock_match(match)
    if match.status == MatchStatus.WITHDRAWN:
        return match
    if match.status not in (MatchStatus.PROPOSED, MatchStatus.CONFIRMED):
        raise ValidationError(_("This match is already closed."))
    match.status = MatchStatus.WITHDRAWN
    match.declined_reason = reason.strip()
    match.closed_at = timezone.now()
    match._history_user = by
    match.save(update_fields=["status", "declined_reason", "closed_at"])
    _refresh_request_status(match.request)
    return match
