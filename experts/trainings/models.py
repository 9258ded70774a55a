"""Trainings (ExpEx training, the basic training for parents, intervision) and who did them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from experts.profiles.models import Expert


class TrainingKind(models.TextChoices):
    EXPEX = "expex", _("ExpEx training")
    PARENT_BASIC = "parent_basic", _("Basic training for parents with lived experience")
    INTERVISION = "intervision", _("Peer supervision (intervisie)")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other")


class Training(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=TrainingKind.choices)
    provider = models.CharField(_("given by"), max_length=150, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    qualifies_as_expertise = models.BooleanField(
        _("counts as trained expertise"),
        default=False,
        help_text=_("Finishing this training makes someone a trained expert by experience."),
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="training_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="training_records")
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="records")
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=Decimal("0"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "training", "started_on"], name="training_record_unique"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="training_record_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0), name="training_record_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.training}"


class TrainingRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HANDLED = "handled", _("Handled")


class TrainingRequest(models.Model):
    """An expert asks for a training: one from the list, or one they describe in their own
    words, with a note. The coordinator sees the open ones and marks them handled. One open
    request per expert and training (or per wish): asking again changes nothing."""

    expert = models.ForeignKey(
        Expert,
        on_delete=models.CASCADE,
        related_name="training_requests",
        verbose_name=_("expert"),
    )
    training = models.ForeignKey(
        Training,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("training"),
    )
    wish = models.CharField(_("training you would like"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TrainingRequestStatus.choices,
        default=TrainingRequestStatus.OPEN,
    )
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("training request")
        verbose_name_plural = _("training requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="training_request_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(training__isnull=False) | ~Q(wish=""),
                name="training_request_names_a_training",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(handled_at__isnull=False),
                name="training_request_handled_has_date",
            ),
            # Asking twice while the first is open is one request (the service returns it).
            models.UniqueConstraint(
                fields=["expert", "training"],
                condition=Q(status="open", training__isnull=False),
                name="training_request_one_open_per_training",
            ),
            models.UniqueConstraint(
                fields=["expert", "wish"],
                condition=Q(status="open", training__isnull=True),
                name="training_request_one_open_per_wish",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.training or self.wish}"

    @property
    def what(self) -> str:
        """The training asked for: its name, or the expert's own words."""
        return self.training.name if self.training_id else self.wish
