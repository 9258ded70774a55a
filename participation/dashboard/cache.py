"""Keep the coordinator's dashboard exact while it is cached.

The dashboard's HTML is kept for ``SAMEN_DASHBOARD_CACHE_SECONDS`` (shared by every
coordinator). Any saved or deleted row of what it counts makes the cache forget it once the
change is committed, wherever the change came from: a service, the admin site or a task. Bulk
writes (``bulk_create``, ``QuerySet.update``) send no post_save; their callers send
``samen.signals.bulk_written`` instead.
"""

import contextlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from experts.models import (
    Consent,
    Expert,
    Organisation,
    ParentalConsentRequest,
    RecruitmentContact,
)
from learning_networks.models import LearningNetwork, Meeting
from participation.models import (
    ActivityLog,
    Attendance,
    ErasureRequest,
    Match,
    MonthTotal,
    Placement,
    Request,
)
from samen.signals import bulk_written

# Raise when the dashboard's HTML changes shape, so no old cached copy is served.
DASHBOARD_CACHE_VERSION = 6
_DATA_VERSION_KEY = "participation:dashboard:data-version"

COUNTED_MODELS = [
    ActivityLog,
    Attendance,
    Consent,
    ErasureRequest,
    Expert,
    LearningNetwork,
    Match,
    Meeting,
    MonthTotal,
    Organisation,
    ParentalConsentRequest,
    Placement,
    RecruitmentContact,
    Request,
]


def _version() -> int:
    """A number that changes whenever the data the dashboard counts changes.

    Cached figures are stored under the version they were computed for. A visit that computed
    figures while a change was being committed stores them under the old version, which is
    never read again, so a stale copy cannot outlive the change."""
    version = cache.get(_DATA_VERSION_KEY)
    if version is None:
        # Start from the clock, so a version lost from the cache never reuses an old number.
        cache.add(_DATA_VERSION_KEY, time.time_ns() // 1000, None)
        version = cache.get(_DATA_VERSION_KEY, 0)
    return version


def dashboard_cache_key(language: str) -> str:
    return f"participation:dashboard:{DASHBOARD_CACHE_VERSION}:{_version()}:{language}"


def forget_dashboard() -> None:
    """Make the next visit compute the dashboard's figures again."""
    cache.add(_DATA_VERSION_KEY, time.time_ns() // 1000, None)
    # If the version was evicted just now, the next read starts a new one.
    with contextlib.suppress(ValueError):
        cache.incr(_DATA_VERSION_KEY)


def _forget_after_commit(sender, **kwargs) -> None:
    transaction.on_commit(forget_dashboard)


def _forget_after_bulk_write(sender, **kwargs) -> None:
    if sender in COUNTED_MODELS:
        _forget_after_commit(sender)


def connect() -> None:
    bulk_written.connect(_forget_after_bulk_write, dispatch_uid="forget-dashboard-bulk")
    for model in COUNTED_MODELS:
        uid = f"forget-dashboard-{model._meta.label_lower}"
        post_save.connect(_forget_after_commit, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_forget_after_commit, sender=model, dispatch_uid=uid + "-delete")
