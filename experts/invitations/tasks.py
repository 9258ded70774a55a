"""Background jobs for the experts app: the invitation e-mail.

Tasks take ids and call a service; the service claims its work, so a task that runs twice sends
one e-mail. Enqueue after commit: ``enqueue_on_commit(invitation_send, invitation.pk)``
(``samen/jobs.py``); when the broker is down, ``invitations_send_unsent`` sends it later."""

import logging

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.utils import timezone

from samen.jobs import MAIL_TASK, UNSENT_GRACE, UNSENT_WINDOW, enqueue

from . import services
from .models import Invitation

logger = logging.getLogger(__name__)


@shared_task(**MAIL_TASK)
def invitation_send(invitation_id: int) -> bool:
    """E-mail the invitation with its set-password link. Returns whether a mail was sent."""
    return services.invitation_email_send(invitation_id=invitation_id)


@shared_task(soft_time_limit=60, time_limit=90)
def invitations_send_unsent() -> int:
    """Every few minutes (beat): send a task for each invitation whose e-mail has not gone out,
    because the broker was down when it was made or the task was lost. Only open invitations
    (not taken up, withdrawn or expired: ``InvitationQuerySet.open``), an expert's newest.
    Safe to run twice: ``invitation_send`` claims.
    Returns how many were sent to the broker."""
    now = timezone.now()
    newer = Invitation.objects.filter(expert=OuterRef("expert"), sent_at__gt=OuterRef("sent_at"))
    invitation_ids = list(
        Invitation.objects.open(now=now)
        .filter(
            emailed_at__isnull=True,
            sent_at__gte=now - UNSENT_WINDOW,
            sent_at__lte=now - UNSENT_GRACE,
            expert__user__isnull=False,
        )
        .exclude(Exists(newer))
        .values_list("pk", flat=True)
    )
    sent = sum(enqueue(invitation_send, invitation_id) for invitation_id in invitation_ids)
    if invitation_ids:
        logger.info("Sent %s of %s unsent invitations to the broker.", sent, len(invitation_ids))
    return sent
