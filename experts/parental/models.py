"""A parent's or guardian's consent for an expert under 16, asked through a link in an e-mail.

The expert (or the coordinator) names the parent and their e-mail address; the parent opens the
link without an account and says yes or no per purpose. The link's random token is the key, so
only its SHA-256 hash is stored: the database alone never opens a link. The token is made when
the e-mail goes out (``parental_consent_email_send``), so a request that was never e-mailed has
no link at all."""

import datetime
import hashlib
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.consents.models import ConsentGiver

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet. Anything else is
# not a link Samen made, and answers 404 before any query.
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")

# A parent or a guardian gives consent through the link; never "the expert".
PARENT_RELATIONS = [
    (ConsentGiver.PARENT.value, ConsentGiver.PARENT.label),
    (ConsentGiver.GUARDIAN.value, ConsentGiver.GUARDIAN.label),
]


def token_hash(token: str) -> str:
    """What is stored of a link's token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class ParentalLinkState(models.TextChoices):
    SENDING = "sending", _("Being sent")  # made, its e-mail not out yet
    OPEN = "open", _("Waiting for the parent")  # e-mailed, the link works, no answer yet
    ANSWERED = "answered", _("Answered")  # the parent answered; the link still withdraws
    EXPIRED = "expired", _("Expired")
    REPLACED = "replaced", _("Replaced by a newer link")


class ParentalConsentRequestQuerySet(models.QuerySet):
    def current(self) -> "ParentalConsentRequestQuerySet":
        """Not replaced by a newer one: an expert has one at most."""
        return self.filter(replaced_at__isnull=True)


class ParentalConsentRequest(models.Model):
    """One e-mail to a parent or guardian with a link to consent (or not) per purpose for an
    expert under 16.

    The link decides once: the first answer records a consent for each "yes" (given by the
    parent under the name they typed, through this request) and the "no"s here. After that it
    serves only to withdraw, until it expires: whoever else gets hold of it can never give
    consent in the parent's name. A new request (by the expert, the coordinator, or the parent
    from an expired link, always to an address Samen already had) replaces the one before:
    its link stops working at once."""

    expert = models.ForeignKey(
        "experts.Expert",
        on_delete=models.CASCADE,
        related_name="parental_consent_requests",
        verbose_name=_("expert"),
    )
    parent_name = models.CharField(_("name of the parent or guardian"), max_length=150)
    parent_email = models.EmailField(_("e-mail address of the parent or guardian"))
    relation = models.CharField(_("relation"), max_length=10, choices=PARENT_RELATIONS)
    # SHA-256 of the link's token, set when the e-mail goes out.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    emailed_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by_name = models.CharField(_("answered by (name typed)"), max_length=150, blank=True)
    # The purposes the parent said no to in their answer (the yeses are consents).
    declined_purposes = models.JSONField(_("said no to"), default=list, blank=True)

    objects = ParentalConsentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for a parent's consent")
        verbose_name_plural = _("requests for a parent's consent")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["expert", "-created_at"], name="parental_request_expert_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["expert"],
                condition=Q(replaced_at__isnull=True),
                name="parental_request_one_current",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="parental_request_expires_after_asked",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answered_by_name=""),
                name="parental_request_answer_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.parent_name} ({self.created_at:%d-%m-%Y})"

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def state(self, now: datetime.datetime | None = None) -> str:
        """Replaced before expired before answered before sent."""
        if self.replaced_at is not None:
            return ParentalLinkState.REPLACED
        if self.is_expired(now):
            return ParentalLinkState.EXPIRED
        if self.answered_at is not None:
            return ParentalLinkState.ANSWERED
        if self.emailed_at is None:
            return ParentalLinkState.SENDING
        return ParentalLinkState.OPEN

    def get_state_display(self) -> str:
        return ParentalLinkState(self.state()).label
