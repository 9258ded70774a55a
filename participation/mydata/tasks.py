"""Background jobs of an expert's own data: making a download and e-mailing it, deleting the
files of downloads whose time is up, and the last e-mail after an erasure.

Tasks take ids and call a service that claims its work, so a task that runs twice does it
once. They are sent after commit (``samen.jobs.enqueue_on_commit``); when the broker is down,
``data_exports_send_unsent`` and ``erasures_send_unsent`` (beat) send them later: the rows
themselves say what is still to do."""

import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from samen.jobs import MAIL_TASK, UNSENT_GRACE, UNSENT_WINDOW, enqueue

from . import services
from .models import DataExport, DataExportState, ErasureRequest, ErasureState

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=240, time_limit=300)
def data_export_build(export_id: int) -> bool:
    """Make a download (``services.data_export_build``). Returns whether a file was made."""
    return services.data_export_build(export_id=export_id)


@shared_task(**MAIL_TASK)
def data_export_email(export_id: int) -> bool:
    """E-mail that a download is ready. Returns whether a mail was sent."""
    return services.data_export_email_send(export_id=export_id)


@shared_task(**MAIL_TASK)
def erasure_farewell_send(erasure_id: int) -> bool:
    """The last e-mail after an erasure. Returns whether a mail was sent."""
    return services.erasure_farewell_send_once(erasure_id=erasure_id)


@shared_task(soft_time_limit=60, time_limit=90)
def data_exports_send_unsent() -> int:
    """Every few minutes (beat): send a task for each download that waits to be made (or was
    left by a worker that died) and for each ready one whose e-mail has not gone out. Safe to
    run twice: the tasks claim. Returns how many tasks were sent to the broker."""
    now = timezone.now()
    waiting = Q(state=DataExportState.QUEUED, requested_at__lte=now - UNSENT_GRACE) | Q(
        state=DataExportState.WORKING, started_at__lt=now - services.STALE_WORK
    )
    to_build = list(
        DataExport.objects.filter(waiting, requested_at__gte=now - UNSENT_WINDOW).values_list(
            "pk", flat=True
        )
    )
    to_email = list(
        DataExport.objects.downloadable(now=now)
        .filter(
            emailed_at__isnull=True,
            finished_at__lte=now - UNSENT_GRACE,
            finished_at__gte=now - UNSENT_WINDOW,
        )
        .values_list("pk", flat=True)
    )
    sent = sum(enqueue(data_export_build, pk) for pk in to_build)
    sent += sum(enqueue(data_export_email, pk) for pk in to_email)
    if to_build or to_email:
        logger.info("Sent %s tasks for %s downloads.", sent, len(to_build) + len(to_email))
    return sent


@shared_task(soft_time_limit=60, time_limit=90)
def erasures_send_unsent() -> int:
    """Every few minutes (beat): send the last e-mail of each erasure whose e-mail has not gone
    out; forget the address of one that waited longer than ``UNSENT_WINDOW``. Returns how many
    tasks were sent to the broker."""
    now = timezone.now()
    unsent = ErasureRequest.objects.filter(
        state=ErasureState.DONE, farewell_sent_at__isnull=True
    ).exclude(farewell_to="")
    unsent.filter(decided_at__lt=now - UNSENT_WINDOW).update(farewell_to="", farewell_language="")
    erasure_ids = list(
        unsent.filter(decided_at__lte=now - UNSENT_GRACE).values_list("pk", flat=True)
    )
    sent = sum(enqueue(erasure_farewell_send, pk) for pk in erasure_ids)
    if erasure_ids:
        logger.info("Sent %s of %s last e-mails of erasures.", sent, len(erasure_ids))
    return sent


@shared_task(soft_time_limit=300, time_limit=360)
def data_exports_delete_expired() -> int:
    """Every hour (beat): delete the files of downloads whose time is up (``expired``). Safe
    to run twice: a second run finds nothing. Returns how many expired."""
    expired = services.data_exports_expire(now=timezone.now())
    if expired:
        logger.info("Deleted the files of %s expired downloads.", expired)
    return expired


@shared_task(soft_time_limit=300, time_limit=360)
def books_delete_expired() -> int:
    """Every night (beat): delete the payments (and paid hours) of erased experts whose seven
    years for the tax authorities are over (``services.books_delete_after_retention``). Safe
    to run twice: a second run finds nothing. Returns how many payments were deleted."""
    deleted = services.books_delete_after_retention(today=timezone.localdate())
    if deleted:
        logger.info("Deleted %s payments of erased experts after their seven years.", deleted)
    return deleted
