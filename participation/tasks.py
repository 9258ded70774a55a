"""The participation app's background jobs, gathered for Celery's autodiscovery (it imports
``<app>.tasks``). Each is defined in the package of its concept."""

from participation.requests.tasks import (
    match_notify_confirmed,
    match_notify_expert,
    match_remind_expert,
    matches_notify_unsent,
    matches_remind_unanswered,
)

__all__ = [
    "match_notify_confirmed",
    "match_notify_expert",
    "match_remind_expert",
    "matches_notify_unsent",
    "matches_remind_unanswered",
]
