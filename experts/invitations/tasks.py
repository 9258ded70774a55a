"""Background jobs for the experts app: the invitation e-mail.

Tasks take ids and call a service; the service claims its work, so a task that runs twice sends
one e-mail. Enqueue after commit: ``invitation_send.delay_on_commit(invitation.pk)``."""

import smtplib

from celery import shared_task

from . import services

_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    soft_time_limit=30,
    time_limit=60,
    autoretry_for=_MAIL_ERRORS,
    retry_backoff=60,
    max_retries=5,
)
def invitation_send(invitation_id: int) -> bool:
    """E-mail the invitation with its set-password link. Returns whether a mail was sent."""
    return services.invitation_email_send(invitation_id=invitation_id)
