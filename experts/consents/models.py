"""Recorded consent per purpose, and the rules about it. Under 16, a parent or guardian gives
it. Every page, check and task asks these rules; none writes its own filter on consents."""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samen.storage import private_storage

# Under this age a parent or guardian consents to processing a child's data (AVG art. 8, UAVG
# art. 5). The law sets it, so it is not a setting.
PARENTAL_CONSENT_AGE = 16


class ConsentPurpose(models.TextChoices):
    """What a consent is for, in the order the pages ask them. ``CONTACT`` is the consent to
    be suggested for requests (its value is older than its label: it was "being contacted about
    new requests"); ``SHARING`` lets leads see the e-mail address and phone number the expert
    chose to share (``ExpertQuerySet.with_contact_for_leads``)."""

    PARTICIPATION = "participation", _("Taking part in learning networks and requests")
    SPECIAL_DATA = "special_data", _("Recording lived-experience themes and health notes")
    SHARING = "sharing", _("Sharing contact details with network leads")
    CONTACT = "contact", _("Being suggested for requests")
    PHOTOS = "photos", _("Photos and recordings")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The expert")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")


PARENTAL_GIVERS = frozenset({ConsentGiver.PARENT, ConsentGiver.GUARDIAN})


class ConsentMethod(models.TextChoices):
    """How a consent was given. The coordinator records the first three; "online" is the
    expert (or parent) giving it in Samen themselves."""

    PAPER = "paper", _("On paper")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("By e-mail")
    ONLINE = "online", _("Online in Samen")


def consent_scan_path(consent: "Consent", filename: str) -> str:
    """A name that says nothing about the person: the expert's id and a random part. The
    extension is the one the file's content was recognised as."""
    return f"consents/{consent.expert_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ConsentQuerySet(models.QuerySet):
    def in_force(self, *, on: datetime.date | None = None) -> "ConsentQuerySet":
        """Consents given on or before ``on`` (default today) and not withdrawn by then. A
        consent withdrawn on a day no longer counts on that day."""
        on = on or timezone.localdate()
        return self.filter(given_at__date__lte=on).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__date__gt=on)
        )

    def withdrawn(self, *, on: datetime.date | None = None) -> "ConsentQuerySet":
        """Consents withdrawn on or before ``on`` (default today): from that day they no longer
        count (``in_force``)."""
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__date__lte=on)

    def parental(self) -> "ConsentQuerySet":
        """Given by a parent or guardian, not by the expert."""
        return self.filter(given_by__in=PARENTAL_GIVERS)

    def to_take_part(self) -> "ConsentQuerySet":
        """For the purpose of taking part in networks and requests."""
        return self.filter(purpose=ConsentPurpose.PARTICIPATION)

    def to_share_contact_details(self) -> "ConsentQuerySet":
        """For the purpose of showing the shared e-mail address and phone number to leads."""
        return self.filter(purpose=ConsentPurpose.SHARING)


class Consent(models.Model):
    """Recorded consent for one purpose. Under 16, a parent or guardian gives it."""

    # A string, not the class: the expert's rules (experts.profiles.models) import this module.
    expert = models.ForeignKey("experts.Expert", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_by = models.CharField(
        _("given by"), max_length=10, choices=ConsentGiver.choices, default=ConsentGiver.SELF
    )
    given_by_name = models.CharField(_("name of who gave it"), max_length=150, blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    # Blank on consents recorded before the method was asked.
    method = models.CharField(
        _("how it was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    scan = models.FileField(
        _("scan"),
        upload_to=consent_scan_path,
        storage=private_storage,
        max_length=200,
        blank=True,
        help_text=_("The signed form, as PDF, JPG or PNG. Only coordinators can open it."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Given by a parent or guardian through the link in an e-mail: which link (its e-mail says
    # to which address it went). Empty for every other consent.
    parental_request = models.ForeignKey(
        "experts.ParentalConsentRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("given through the link"),
    )

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_in_force_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(given_by="self") | ~Q(given_by_name=""),
                name="consent_parent_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.get_purpose_display()}"

    def in_force_on(self, day: datetime.date) -> bool:
        """This one consent by the rule of ``ConsentQuerySet.in_force`` (tested to agree)."""
        if timezone.localdate(self.given_at) > day:
            return False
        return self.withdrawn_at is None or timezone.localdate(self.withdrawn_at) > day

    @property
    def in_force(self) -> bool:
        return self.in_force_on(timezone.localdate())

    @property
    def is_parental(self) -> bool:
        return self.given_by in PARENTAL_GIVERS
