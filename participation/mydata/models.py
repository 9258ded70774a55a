"""An expert's own data: the downloads of everything Samen holds about them, and their
requests for erasure.

A download (``DataExport``) is a ZIP file made by a background job, kept privately for
``SAMEN_DATA_EXPORT_DAYS`` days and then deleted. An erasure request (``ErasureRequest``) waits
for the coordinator, who erases (``erasure_confirm``) or refuses with a reason. Both rows stay
as the record that the expert used these rights; neither holds personal data of its own once
the e-mail it needed has gone out."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from experts.models import Expert
from samen.storage import private_storage


class DataExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be made")
    WORKING = "working", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


# Asked for and not finished: an expert has at most one of these at a time.
UNFINISHED_EXPORT_STATES = frozenset({DataExportState.QUEUED, DataExportState.WORKING})


def data_export_path(export: "DataExport", filename: str) -> str:
    """A name that says nothing about the person: the expert's id and a random part."""
    return f"exports/{export.expert_id}/{uuid.uuid4().hex}.zip"


class DataExportQuerySet(models.QuerySet):
    def unfinished(self) -> "DataExportQuerySet":
        return self.filter(state__in=UNFINISHED_EXPORT_STATES)

    def downloadable(self, *, now: datetime.datetime) -> "DataExportQuerySet":
        """Ready and not yet expired: the file may be downloaded."""
        return self.filter(state=DataExportState.READY, expires_at__gt=now)

    def expired(self, *, now: datetime.datetime) -> "DataExportQuerySet":
        """Ready until ``now`` or before: the file must go (``data_exports_delete_expired``)."""
        return self.filter(state=DataExportState.READY, expires_at__lte=now)


class DataExport(models.Model):
    """One download of everything Samen holds about an expert, asked for by the expert."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="data_exports", verbose_name=_("expert")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DataExportState.choices, default=DataExportState.QUEUED
    )
    requested_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("can be downloaded until"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=data_export_path,
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    emailed_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("download of own data")
        verbose_name_plural = _("downloads of own data")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "expires_at"], name="data_export_state_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["expert"],
                condition=Q(state__in=["queued", "working"]),
                name="data_export_one_unfinished_per_expert",
            ),
            models.CheckConstraint(
                condition=~Q(state="ready") | (Q(expires_at__isnull=False) & ~Q(file="")),
                name="data_export_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} ({self.requested_at:%d-%m-%Y})"

    def state_on(self, now: datetime.datetime) -> str:
        """The state as the expert sees it: a ready file whose time is up is expired, also
        before the job has deleted it."""
        if self.state == DataExportState.READY and self.expires_at <= now:
            return DataExportState.EXPIRED
        return self.state


class ErasureState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the coordinator")
    DONE = "done", _("Erased")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Taken back")


class ErasureRequestQuerySet(models.QuerySet):
    def waiting(self) -> "ErasureRequestQuerySet":
        """Asked for, not yet answered by a coordinator nor taken back by the expert."""
        return self.filter(state=ErasureState.WAITING)


class ErasureRequest(models.Model):
    """An expert asks for their data to be erased; a coordinator erases it or refuses, with a
    reason. Kept as the record of the request: after the erasure it points to what is left of
    the expert (no personal field), and ``farewell_to`` holds the address for the last e-mail
    only until that e-mail has gone out."""

    expert = models.ForeignKey(
        Expert,
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("expert"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ErasureState.choices, default=ErasureState.WAITING
    )
    requested_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    refusal_reason = models.TextField(_("why not"), blank=True)
    farewell_to = models.EmailField(_("last e-mail to"), blank=True)
    farewell_language = models.CharField(
        _("language of the last e-mail"), max_length=10, blank=True
    )
    farewell_sent_at = models.DateTimeField(_("last e-mail sent at"), null=True, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert"],
                condition=Q(state="waiting"),
                name="erasure_request_one_waiting_per_expert",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="erasure_request_refusal_explained",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["waiting"]) | Q(decided_at__isnull=False),
                name="erasure_request_answered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} ({self.requested_at:%d-%m-%Y})"
