from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
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


# An import waits this long for the coordinator; then it is gone (the views no longer open it
# and ``pending_imports_delete_expired`` deletes it). Its rows are personal data.
PENDING_IMPORT_LIFETIME = datetime.timedelta(hours=1)


class PendingImportQuerySet(models.QuerySet):
    def current(self, *, now: datetime.datetime) -> PendingImportQuerySet:
        """Made less than ``PENDING_IMPORT_LIFETIME`` ago: still open for its coordinator."""
        return self.filter(created_at__gt=now - PENDING_IMPORT_LIFETIME)

    def expired(self, *, now: datetime.datetime) -> PendingImportQuerySet:
        return self.filter(created_at__lte=now - PENDING_IMPORT_LIFETIME)


class PendingImport(models.Model):
    """A file read but not yet imported: the table waits here while its coordinator chooses
    what the columns mean and checks the preview. At most one per coordinator, seen only by
    them. Deleted when the import is confirmed or cancelled, and an hour after the upload in
    any case: the rows hold names, addresses and themes (special-category data), which must
    not wait in a session for weeks.

    ``table`` is ``parsing.Table.to_json()``, ``mapping`` is ``parsing.Mapping.to_data()``.
    ``token`` changes with every change, so a preview shown before it cannot confirm it."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    token = models.CharField(_("token"), max_length=64)
    filename = models.CharField(_("file name"), max_length=255)
    table = models.JSONField(_("table"))
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import waiting for confirmation")
        verbose_name_plural = _("imports waiting for confirmation")

    def __str__(self) -> str:
        return self.filename
