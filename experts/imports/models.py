from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMapping(models.Model):
    """How the columns and values of one spreadsheet are read, remembered so that a file with
    the same column names goes in next time without choosing again.

    One per set of column names (``headers_key``, see ``parsing.header_key``), shared by all
    coordinators: they keep one spreadsheet together, and a choice describes the file, not the
    person who made it. ``columns`` and ``values`` are ``parsing.Mapping``'s: column name ->
    field (or "" for not imported), and per field: value in the file -> stored choice. Only
    column names and the values of fields with fixed choices (kind, experience, status, roles)
    that the coordinator gave a meaning are kept, not the rows."""

    headers_key = models.CharField(_("key of the column names"), max_length=64, unique=True)
    headers = models.JSONField(_("column names"), default=list)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    values = models.JSONField(_("values"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    updated_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        verbose_name = _("import file layout")
        verbose_name_plural = _("import file layouts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return ", ".join(str(name) for name in self.headers)[:200]
