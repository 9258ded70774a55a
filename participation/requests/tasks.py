"""Background jobs for participation: telling experts (and requesters) about their matches.

Each task takes ids, loads the rows and claims its work with a conditional update, so a task
that runs twice (a retry, a redelivery after a worker crash, a beat run started by hand) sends
one e-mail. Enqueue after commit: ``enqueue_on_commit(match_notify_expert, match.pk)``
(``samen/jobs.py``); when the broker is down, ``matches_notify_unsent`` sends it later.

What a task was sent for may have changed before it runs: each looks at the match and its
request again at send time and sends nothing for a match that is no longer proposed (or
confirmed), or whose request was closed (done or cancelled; closing withdraws its proposals).
Nor does an expert who withdrew the consent to take part hear about a proposal again.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from experts.models import Expert
from participation.models import Match, MatchStatus, Request
from participation.requests.models import CLOSED_REQUEST_STATUSES
from samen.jobs import MAIL_TASK, UNSENT_GRACE, UNSENT_WINDOW, enqueue
from samen.mail import email_for

from . import emails as notifications

logger = logging.getLogger(__name__)

# An expert who has not answered a proposed match within this time gets one reminder.
REMIND_AFTER = datetime.timedelta(days=7)


def _load_match(match_id: int) -> Match | None:
    match = Match.objects.select_related("request", "expert__user").filter(pk=match_id).first()
    if match is None:
        logger.warning("Match %s no longer exists; nothing to send.", match_id)
        return None
    if match.status != MatchStatus.PROPOSED:
        logger.info("Match %s is %s, no longer proposed; nothing to send.", match_id, match.status)
        return None
    if match.request.is_closed:
        logger.info("The request of match %s is closed; nothing to send.", match_id)
        return None
    if not match.expert.may_take_part(on=timezone.localdate()):
        # Withdrawn since it was proposed: nobody asks them any more.
        logger.info("Expert of match %s has no consent to take part; nothing to send.", match_id)
        return None
    if not notifications.expert_email(match.expert):
        logger.warning("Expert %s of match %s has no e-mail address.", match.expert_id, match_id)
        return None
    return match


def _may_take_part(*, today: datetime.date) -> Q:
    """The match's expert has a consent to take part in force today (as ``_load_match`` asks):
    an expert who withdrew it gets no e-mail or reminder about a proposal."""
    return Q(expert__in=Expert.objects.with_consent_to_take_part(on=today))


def _lock_open_request(request_id: int) -> bool:
    """Lock the request until the e-mail about its match is sent, and say whether it is still
    open. A request closed meanwhile gets no e-mail; one closed after this waits for the
    e-mail. Called inside the claim's transaction, before the match is claimed: the request
    first, then the match, as in every workflow (``services._lock_match``), so they never
    deadlock. ``no_key``: new matches of the request may still be added meanwhile."""
    still_open = (
        Request.objects.select_for_update(no_key=True)
        .filter(pk=request_id)
        .exclude(status__in=CLOSED_REQUEST_STATUSES)
        .values_list("pk", flat=True)
    )
    return bool(list(still_open))


@shared_task(**MAIL_TASK)
def match_notify_expert(match_id: int) -> bool:
    """E-mail the expert that they were proposed for a request. Sends at most once per match.

    Returns whether a mail was sent."""
    match = _load_match(match_id)
    if match is None:
        return False
    # The claim and the mail share a transaction: if sending fails, the claim is undone and a
    # retry sends again; a second run meanwhile waits on the row lock and then finds it claimed.
    with transaction.atomic():
        if not _lock_open_request(match.request_id):
            logger.info("The request of match %s was closed; nothing to send.", match_id)
            return False
        claimed = Match.objects.filter(
            pk=match_id, status=MatchStatus.PROPOSED, expert_notified_at__isnull=True
        ).update(expert_notified_at=timezone.now())
        if claimed != 1:
            logger.info("Expert of match %s was already informed.", match_id)
            return False
        notifications.match_proposed_message(match).send()
    return True


@shared_task(**MAIL_TASK)
def match_remind_expert(match_id: int) -> bool:
    """Remind the expert of a match they have not answered for ``REMIND_AFTER``. Once per match.

    ``expert_notified_at`` holds the last time the expert was told about the match. A match
    is due while that moment lies before ``proposed_at + REMIND_AFTER``; sending the reminder
    moves it past that point, which is the claim. An expert who never got the first mail
    (no address back then) gets the first mail instead of a reminder."""
    match = _load_match(match_id)
    if match is None:
        return False
    now = timezone.now()
    due_at = match.proposed_at + REMIND_AFTER
    if now < due_at or match.expert_confirmed_at is not None:
        logger.info("Match %s needs no reminder.", match_id)
        return False
    with transaction.atomic():
        if not _lock_open_request(match.request_id):
            logger.info("The request of match %s was closed; no reminder.", match_id)
            return False
        claimed = (
            Match.objects.filter(
                pk=match_id, status=MatchStatus.PROPOSED, expert_confirmed_at__isnull=True
            )
            .filter(Q(expert_notified_at__isnull=True) | Q(expert_notified_at__lt=due_at))
            .update(expert_notified_at=now)
        )
        if claimed != 1:
            logger.info("Expert of match %s was already reminded.", match_id)
            return False
        reminder = match.expert_notified_at is not None
        notifications.match_proposed_message(match, reminder=reminder).send()
    return True


@shared_task(soft_time_limit=120, time_limit=180)
def matches_remind_unanswered() -> int:
    """Daily (beat): queue one reminder for each proposed match that the expert has left
    unanswered for ``REMIND_AFTER``. A missed day is caught up the next day; a second run is
    harmless, because each reminder task claims its match. Returns how many were queued."""
    now = timezone.now()
    match_ids = list(
        Match.objects.of_open_requests()
        .filter(
            _may_take_part(today=timezone.localdate(now)),
            status=MatchStatus.PROPOSED,
            expert_confirmed_at__isnull=True,
            proposed_at__lte=now - REMIND_AFTER,
        )
        .filter(
            Q(expert_notified_at__isnull=True)
            | Q(expert_notified_at__lt=F("proposed_at") + REMIND_AFTER)
        )
        .values_list("pk", flat=True)
    )
    queued = sum(enqueue(match_remind_expert, match_id) for match_id in match_ids)
    logger.info("Queued %s of %s match reminders.", queued, len(match_ids))
    return queued


@shared_task(soft_time_limit=60, time_limit=90)
def matches_notify_unsent() -> int:
    """Every few minutes (beat): send a task for each match whose e-mail has not gone out,
    because the broker was down when the match was proposed or confirmed, or the task was
    lost. Safe to run twice: the tasks claim their match. Returns how many were sent."""
    now = timezone.now()
    recent = (now - UNSENT_WINDOW, now - UNSENT_GRACE)
    proposed = (
        Match.objects.of_open_requests()
        .filter(
            notifications.has_expert_email(),
            _may_take_part(today=timezone.localdate(now)),
            status=MatchStatus.PROPOSED,
            expert_notified_at__isnull=True,
            proposed_at__range=recent,
        )
        .values_list("pk", flat=True)
    )
    confirmed = (
        Match.objects.of_open_requests()
        .filter(
            notifications.has_expert_email() | Q(request__contact_email__gt=""),
            status=MatchStatus.CONFIRMED,
            confirmation_sent_at__isnull=True,
        )
        .alias(confirmed_at=Greatest("expert_confirmed_at", "requester_confirmed_at"))
        .filter(confirmed_at__range=recent)
        .values_list("pk", flat=True)
    )
    sent = sum(enqueue(match_notify_expert, match_id) for match_id in proposed)
    sent += sum(enqueue(match_notify_confirmed, match_id) for match_id in confirmed)
    if sent:
        logger.info("Sent %s tasks for unsent match e-mails to the broker.", sent)
    return sent


def _match_confirmed_messages(match: Match) -> list[EmailMessage]:
    """The e-mails that say both sides confirmed: one to the expert, one to the request's
    contact person when the request names an address. The contact learns the expert's first
    name only; the coordinator puts them in touch."""
    request = match.request
    messages = []
    expert_address = notifications.expert_email(match.expert)
    if expert_address:

        def to_expert() -> EmailMessage:
            subject = gettext("Confirmed: you help with “%(title)s”") % {"title": request.title}
            body = render_to_string(
                "participation/requests/email/match_confirmed_expert.txt",
                {"expert": match.expert, "match": match, "request": request},
            )
            return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [expert_address])

        messages.append(email_for(match.expert.user, to_expert))
    if request.contact_email:
        # The contact person has no account here: the site's language.

        def to_requester() -> EmailMessage:
            subject = gettext("Confirmed: an expert helps with “%(title)s”") % {
                "title": request.title
            }
            body = render_to_string(
                "participation/requests/email/match_confirmed_requester.txt",
                {"expert": match.expert, "match": match, "request": request},
            )
            return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [request.contact_email])

        messages.append(email_for(None, to_requester))
    return messages


@shared_task(**MAIL_TASK)
def match_notify_confirmed(match_id: int) -> int:
    """E-mail the expert, and the request's contact person, that both sides confirmed the
    match. Sends at most once per match. Returns how many mails were sent."""
    match = Match.objects.select_related("request", "expert__user").filter(pk=match_id).first()
    if match is None:
        logger.warning("Match %s no longer exists; nothing to send.", match_id)
        return 0
    if not match.is_confirmed:
        logger.info("Match %s is %s, not confirmed; nothing to send.", match_id, match.status)
        return 0
    if match.request.is_closed:
        logger.info("The request of match %s is closed; nothing to send.", match_id)
        return 0
    messages = _match_confirmed_messages(match)
    if not messages:
        logger.warning("Nobody of match %s has an e-mail address.", match_id)
        return 0
    # As in match_notify_expert: the claim is undone when sending fails, so a retry sends.
    with transaction.atomic():
        if not _lock_open_request(match.request_id):
            logger.info("The request of match %s was closed; nothing to send.", match_id)
            return 0
        claimed = Match.objects.filter(pk=match_id, confirmation_sent_at__isnull=True).update(
            confirmation_sent_at=timezone.now()
        )
        if claimed != 1:
            logger.info("The confirmation of match %s was already sent.", match_id)
            return 0
        return get_connection().send_messages(messages)
