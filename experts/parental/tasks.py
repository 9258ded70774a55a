"""Background jobs for a parent's link: its e-mail, and the sweep that sends what the broker
missed. The task claims its request (``emailed_at``), so a task that runs twice sends one
e-mail with one link."""

import logging

from celery import shared_task
from django.utils import timezone

from samen.jobs import MAIL_TASK, UNSENT_GRACE, UNSENT_WINDOW, enqueue

from . import services
from .models import ParentalConsentRequest

logger = logging.getLogger(__name__)


@shared_task(**MAIL_TASK)
def parental_consent_send(request_id: int) -> bool:
    """E-mail the parent their link. Returns whether a mail was sent."""
    return services.parental_consent_email_send(request_id=request_id)


@shared_task(soft_time_limit=60, time_limit=90)
def parental_consents_send_unsent() -> int:
    """Every few minutes (beat): a task for each current request whose e-mail has not gone
    out and whose link still works. Safe to run twice: ``parental_consent_send`` claims.
    Returns how many were sent to the broker."""
    now = timezone.now()
    request_ids = list(
        ParentalConsentRequest.objects.current()
        .filter(
            emailed_at__isnull=True,
            expires_at__gt=now,
            created_at__gte=now - UNSENT_WINDOW,
            created_at__lte=now - UNSENT_GRACE,
        )
        .values_list("pk", flat=True)
    )
    sent = sum(enqueue(parental_consent_send, request_id) for request_id in request_ids)
    if request_ids:
        logger.info("Sent %s of %s unsent parents' links to the broker.", sent, len(request_ids))
    return sent
