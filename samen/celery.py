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
}
