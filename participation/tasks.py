"""The participation app's background jobs, gathered for Celery's autodiscovery (it imports
``<app>.tasks``). Each is defined in the package of its concept."""

from participation.mydata.tasks import (
    books_delete_expired,
    data_export_build,
    data_export_email,
    data_exports_delete_expired,
    data_exports_send_unsent,
    erasure_farewell_send,
    erasures_send_unsent,
)
from participation.requests.tasks import (
    match_notify_confirmed,
    match_notify_expert,
    match_remind_expert,
    matches_notify_unsent,
    matches_remind_unanswered,
)

__all__ = [
    "books_delete_expired",
    "data_export_build",
    "data_export_email",
    "data_exports_delete_expired",
    "data_exports_send_unsent",
    "erasure_farewell_send",
    "erasures_send_unsent",
    "match_notify_confirmed",
    "match_notify_expert",
    "match_remind_expert",
    "matches_notify_unsent",
    "matches_remind_unanswered",
]
