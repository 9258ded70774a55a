"""Celery application. Without REDIS_URL the settings make every task run eagerly."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")

app = Celery("samen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives here, in one place.
app.conf.beat_schedule = {
    "remind-unanswered-matches-daily": {
        "task": "participation.requests.tasks.matches_remind_unanswered",
        "schedule": crontab(hour=9, minute=0),
    },
    # The outbox sweeps (samen/jobs.py): e-mails whose task could not reach the broker.
    "notify-unsent-matches": {
        "task": "participation.requests.tasks.matches_notify_unsent",
        "schedule": crontab(minute="*/5"),
    },
    "send-unsent-data-exports": {
        "task": "participation.mydata.tasks.data_exports_send_unsent",
        "schedule": crontab(minute="*/5"),
    },
    "send-unsent-erasure-emails": {
        "task": "participation.mydata.tasks.erasures_send_unsent",
        "schedule": crontab(minute="*/5"),
    },
    "send-unsent-invitations": {
        "task": "experts.invitations.tasks.invitations_send_unsent",
        "schedule": crontab(minute="*/5"),
    },
    "send-unsent-parental-consent-links": {
        "task": "experts.parental.tasks.parental_consents_send_unsent",
        "schedule": crontab(minute="*/5"),
    },
    # Nothing left behind: an import's rows an hour after the upload.
    "delete-expired-pending-imports": {
        "task": "experts.imports.tasks.pending_imports_delete_expired",
        "schedule": crontab(minute="*/10"),
    },
    # An expert's download of their own data, once its time is up (SAMEN_DATA_EXPORT_DAYS).
    "delete-expired-data-exports": {
        "task": "participation.mydata.tasks.data_exports_delete_expired",
        "schedule": crontab(minute=15),
    },
    # What erasure kept for the books, once the seven years for the tax authorities are over.
    "delete-expired-books-of-erased-experts": {
        "task": "participation.mydata.tasks.books_delete_expired",
        "schedule": crontab(hour=4, minute=0),
    },
    # Sessions that expired, and allauth's records of them (Django keeps them otherwise).
    "clear-expired-sessions-daily": {
        "task": "samen.accounts.tasks.sessions_clear_expired",
        "schedule": crontab(hour=3, minute=30),
    },
}
