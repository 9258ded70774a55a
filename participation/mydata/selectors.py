"""Reads of an expert's own data: their downloads and erasure requests, the coordinator's list
of requests, and what an erasure would delete and keep."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from experts.models import Expert

from .models import DataExport, ErasureRequest, ErasureState
from .registry import Erase, personal_data

# The downloads an expert sees on their page: the newest few.
DOWNLOADS_SHOWN = 5
# Answered requests on the coordinator's list, below the waiting ones.
ANSWERED_SHOWN = 20


def downloads_of(expert: Expert) -> list[DataExport]:
    """The expert's newest downloads, newest first. One query."""
    return list(DataExport.objects.filter(expert=expert)[:DOWNLOADS_SHOWN])


def erasure_request_of(expert: Expert) -> ErasureRequest | None:
    """The expert's latest erasure request, if any (waiting, refused or taken back). One query."""
    return ErasureRequest.objects.filter(expert=expert).first()


def erasure_requests_waiting() -> QuerySet[ErasureRequest]:
    """Requests waiting for a coordinator, the oldest first, with their expert's name."""
    return (
        ErasureRequest.objects.waiting()
        .select_related("expert")
        .only("pk", "requested_at", "state", "expert__first_name", "expert__last_name")
        .order_by("requested_at", "pk")
    )


def erasure_requests_answered() -> list[ErasureRequest]:
    """The latest answered requests: erased, refused or taken back. One query."""
    return list(
        ErasureRequest.objects.exclude(state=ErasureState.WAITING)
        .select_related("expert", "decided_by")
        .order_by("-decided_at", "-pk")[:ANSWERED_SHOWN]
    )


@dataclass(frozen=True)
class ErasurePart:
    """One kind of data of the expert, as an erasure would treat it."""

    name: str
    deleted: int
    kept: int


def erasure_preview(expert: Expert) -> list[ErasurePart]:
    """What erasing ``expert`` would delete and keep, per kind of data that they have (their
    own row and sums left out). Two or three queries per model of ``PERSONAL_DATA``."""
    parts = []
    for found in personal_data(expert):
        rule = found.rule
        if not found.pks or rule.erase in (Erase.NOT_ABOUT, Erase.TOMBSTONE, Erase.RECOUNT):
            continue
        if rule.erase is Erase.KEEP:
            kept = found.rows.filter(rule.kept_rows).count() if rule.kept_rows else len(found.pks)
        else:
            kept = 0
        parts.append(
            ErasurePart(
                name=str(found.model._meta.verbose_name_plural),
                deleted=len(found.pks) - kept,
                kept=kept,
            )
        )
    return parts
