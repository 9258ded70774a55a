"""Invitations to an expert's own account."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.profiles.models import Expert


class InvitationState(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """An e-mail that invites an expert to set a password for their account.

    The link in it is allauth's password-reset key: stateless, signed over the user's password
    hash and last login, so no key is stored here and it stops working once a password is set.
    """

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("expert")
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    emailed_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["expert", "-sent_at"], name="invitation_expert_sent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("sent_at")),
                name="invitation_expires_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} ({self.sent_at:%d-%m-%Y})"

    def state(self, now: datetime.datetime | None = None) -> str:
        """Accepted once the account has a password or was used; else expired after the date."""
        user = self.expert.user
        if self.accepted_at or (
            user is not None and (user.last_login is not None or user.has_usable_password())
        ):
            return InvitationState.ACCEPTED
        if (now or timezone.now()) >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.SENT

    def get_state_display(self) -> str:
        return InvitationState(self.state()).label
