"""Trainings (ExpEx training, the basic training for parents, intervision) and who did them."""

from decimal import Decimal

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
