from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from experts.models import Expert
from learning_networks.models import Meeting


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    COMING = "coming", _("Coming")
    DECLINED = "declined", _("Cannot come")
    PRESENT = "present", _("Was there")
    ABSENT = "absent", _("Was not there")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("expert")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=Decimal("0"))
    companion = models.CharField(
        _("companion"),
        max_length=150,
        blank=True,
        help_text=_("Someone who comes along to support the expert."),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "expert"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "expert"], name="attendance_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.meeting}"
