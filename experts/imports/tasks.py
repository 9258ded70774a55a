"""Background jobs for the import: forget files that were never confirmed or cancelled."""

import logging

from celery import shared_task
from django.utils import timezone

from .models import PendingImport

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=60, time_limit=90)
def pending_imports_delete_expired() -> int:
    """Every few minutes (beat): delete the imports that have waited an hour or longer. The
    pages already refuse them; this removes their rows (personal data) from the database.
    Safe to run twice: a second run finds nothing. Returns how many were deleted."""
    deleted, _per_model = PendingImport.objects.expired(now=timezone.now()).delete()
    if deleted:
        logger.info("Deleted %s expired pending imports.", deleted)
    return deleted
