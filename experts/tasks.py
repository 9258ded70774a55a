"""The experts app's background jobs, gathered for Celery's autodiscovery (it imports
``<app>.tasks``). Each is defined in the package of its concept."""

from experts.imports.tasks import pending_imports_delete_expired
from experts.invitations.tasks import invitation_send, invitations_send_unsent
from experts.parental.tasks import parental_consent_send, parental_consents_send_unsent

__all__ = [
    "invitation_send",
    "invitations_send_unsent",
    "parental_consent_send",
    "parental_consents_send_unsent",
    "pending_imports_delete_expired",
]
