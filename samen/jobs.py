"""Sending Celery tasks so that a broker (Redis) that is down never fails a request.

The database is the outbox. Every task that sends an e-mail has a row that says whether it
went out (``Match.expert_notified_at``, ``Match.confirmation_sent_at``,
``Invitation.emailed_at``), and the task claims that row before it sends. So a task that
could not be sent to the broker loses nothing: ``enqueue`` logs it and returns, the row stays
unclaimed, and a sweep run by Celery beat (``matches_notify_unsent``,
``invitations_send_unsent``) sends a task for every such row once Redis answers again. A task
that is sent twice (by the service and by a sweep) sends one e-mail: the second finds its row
claimed.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# What sending a task raises when the broker cannot be reached: kombu wraps the transport's
# connection errors (redis-py's, the socket's) in its OperationalError.
BROKER_ERRORS = (BrokerError,)

# Every task that sends an e-mail: what it retries on (only the SMTP call goes outside; the
# claim of its row is rolled back with it, so a retry sends again), and its time limits.
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)
MAIL_TASK = {
    "soft_time_limit": 30,
    "time_limit": 60,
    "autoretry_for": MAIL_ERRORS,
    "retry_backoff": 60,
    "max_retries": 5,
}
# The outbox sweeps: a fresh row is left to the task its service sent for UNSENT_GRACE; a row
# whose e-mail has not gone out for UNSENT_WINDOW is given up (the person can ask again).
UNSENT_GRACE = datetime.timedelta(minutes=2)
UNSENT_WINDOW = datetime.timedelta(days=3)


def enqueue(task: Task, *args) -> bool:
    """Send ``task(*args)`` to the broker now. Returns False, after logging, when the broker
    does not answer; the task's sweep sends it later. Errors of the task itself (when tasks
    run eagerly) are not caught."""
    try:
        task.delay(*args)
    except BROKER_ERRORS as error:
        logger.warning(
            "Could not send %s%r to the broker (%s); its sweep will send it later.",
            task.name,
            args,
            error.__class__.__name__,
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args) -> None:
    """``enqueue`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, *args))
