"""Background jobs for accounts: sessions that ended are deleted, not kept."""

import logging
from importlib import import_module

from allauth.usersessions.models import UserSession
from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=300, time_limit=360)
def sessions_clear_expired() -> int:
    """Every night (beat): delete the sessions that expired, as ``manage.py clearsessions``
    does (Django never does it by itself; a session can hold what someone was doing), and
    allauth's record of every session that no longer exists (its IP address and browser).
    Safe to run twice: a second run finds nothing. Returns how many records were deleted."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store.clear_expired()
    if hasattr(store, "get_model_class"):  # sessions in the database: one query
        sessions = store.get_model_class().objects.values("session_key")
        deleted, _per_model = UserSession.objects.exclude(session_key__in=sessions).delete()
    else:  # elsewhere: ask the store about each one, as allauth does when it lists them
        deleted = sum(session.purge() for session in UserSession.objects.iterator())
    if deleted:
        logger.info("Deleted %s records of sessions that ended.", deleted)
    return deleted
