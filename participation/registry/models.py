"""The log of exports: a file with personal data leaves Samen and its access rules, so every
export says who made it, when, with which filter, how many rows and in which format."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    EXPERTS = "experts", _("ExpEx and parents")
    OWN_DATA = "own_data", _("Own data (downloaded by the person)")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    ZIP = "zip", "ZIP"


class ExportLog(models.Model):
    """One export of personal data. Written by the export itself, before the file is sent;
    never changed. The e-mail address is copied, so the log still says who after the account
    is gone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("account"),
    )
    user_email = models.EmailField(_("exported by"))
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    kind = models.CharField(_("what"), max_length=20, choices=ExportKind.choices)
    query = models.TextField(
        _("filter"), blank=True, help_text=_("The filter of the list, as in its web address.")
    )
    rows = models.PositiveIntegerField(_("rows"))
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-exported_at", "-id"]
        indexes = [models.Index(fields=["exported_at"], name="export_log_exported_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}, {self.rows})"
