"""Invitations to an expert's own account."""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import signing
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.profiles.models import Expert

# Signs an invitation's link; another salt keeps other signed values from passing as a link.
LINK_SALT = "samen.experts.invitation-link"


class InvitationState(models.TextChoices):
    SENT = "sent", _("Open")  # sent, and its link works
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Taken up: the account has been used or has a password, whichever way that came about.
_ACCEPTED = (
    Q(accepted_at__isnull=False)
    | Q(expert__user__last_login__isnull=False)
    | (
        Q(expert__user__isnull=False)
        & ~Q(expert__user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )
)


class InvitationQuerySet(models.QuerySet):
    """An invitation's state in SQL; ``Invitation.state()`` is the same rule for one row."""

    def with_state(self, *, now: datetime.datetime | None = None) -> "InvitationQuerySet":
        """Annotate ``current_state``: accepted before withdrawn before expired before sent."""
        return self.annotate(
            current_state=Case(
                When(_ACCEPTED, then=Value(InvitationState.ACCEPTED.value)),
                When(withdrawn_at__isnull=False, then=Value(InvitationState.WITHDRAWN.value)),
                When(
                    expires_at__lte=now or timezone.now(),
                    then=Value(InvitationState.EXPIRED.value),
                ),
                default=Value(InvitationState.SENT.value),
                output_field=models.CharField(),
            )
        )

    def in_state(self, state: str, *, now: datetime.datetime | None = None):
        return self.with_state(now=now).filter(current_state=state)

    def open(self, *, now: datetime.datetime | None = None) -> "InvitationQuerySet":
        """Sent, not taken up, not withdrawn, and the link still works."""
        return self.in_state(InvitationState.SENT, now=now)

    def resendable(self, *, now: datetime.datetime | None = None) -> "InvitationQuerySet":
        """Open or expired: the coordinator may send these again (or withdraw them)."""
        return self.with_state(now=now).filter(
            current_state__in=[InvitationState.SENT, InvitationState.EXPIRED]
        )


class Invitation(models.Model):
    """An e-mail that invites an expert to set a password for their account.

    The link in it names this invitation and how many times it was sent, signed with the site's
    key: sending it again makes the link of the earlier e-mail stop working, and the link tells
    an expired or withdrawn invitation from an unknown one. Opening a working link leads on to
    allauth's set-password page with a fresh key."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("expert")
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    emailed_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = InvitationQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(send_count__gte=1), name="invitation_sent_at_least_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} ({self.sent_at:%d-%m-%Y})"

    def state(self, now: datetime.datetime | None = None) -> str:
        """Accepted once the account has a password or was used; else withdrawn, or expired
        after the date. The same rule as ``InvitationQuerySet.with_state``, whose annotation is
        used when the row was loaded with it."""
        if now is None and hasattr(self, "current_state"):
            return self.current_state
        user = self.expert.user
        if self.accepted_at or (
            user is not None and (user.last_login is not None or user.has_usable_password())
        ):
            return InvitationState.ACCEPTED
        if self.withdrawn_at is not None:
            return InvitationState.WITHDRAWN
        if (now or timezone.now()) >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.SENT

    def get_state_display(self) -> str:
        return InvitationState(self.state()).label

    def link_token(self) -> str:
        """The signed code in the link of the e-mail sent last."""
        return signing.Signer(salt=LINK_SALT).sign(f"{self.pk}.{self.send_count}")
