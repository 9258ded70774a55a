"""What ``/health/`` checks: the database, the cache and the Celery broker, each on its own.

Only the database is vital: without it no page can answer. Without Redis the pages still
answer (the cache falls back to memory, e-mails wait in the database until a sweep sends
them), so Redis down makes Samen degraded, not down. Each check is bounded by the
connection timeouts in the settings and reports ``ok`` or ``down``, never the error itself:
``/health/`` is public.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import Error as DatabaseError
from django.db import connection
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "down"
# A broker that does not answer within this many seconds counts as down.
BROKER_TIMEOUT_SECONDS = 1


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health: the database does not answer (%s).", error.__class__.__name__)
        return {"status": DOWN, "service": connection.vendor}
    return {"status": OK, "service": connection.vendor}


def check_cache() -> dict:
    """Asks the cache server itself: the fall-back to memory would hide a Redis that is down."""
    cache = caches["default"]
    service = "redis" if isinstance(cache, RedisCache) else "memory"
    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()
        else:
            key = f"samen:health:{uuid.uuid4().hex}"
            cache.set(key, 1, 10)
            if cache.get(key) != 1:
                raise OSError("the cache did not keep a value")
            cache.delete(key)
    except Exception as error:  # any failure of the cache means: down
        logger.warning("Health: the cache does not answer (%s).", error.__class__.__name__)
        return {"status": DOWN, "service": service}
    return {"status": OK, "service": service}


def check_broker() -> dict:
    """Connects to the broker of ``CELERY_BROKER_URL`` (read now, so tests can override it).
    Without a broker (``memory://``: tasks run in the request) there is nothing to reach."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return {"status": OK, "service": "memory"}
    service = url.split("://", 1)[0]
    try:
        with Connection(
            url,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
                "socket_timeout": BROKER_TIMEOUT_SECONDS,
            },
        ) as broker:
            broker.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
            )
    except Exception as error:  # any failure to connect means: down
        logger.warning("Health: the broker does not answer (%s).", error.__class__.__name__)
        return {"status": DOWN, "service": service}
    return {"status": OK, "service": service}


def health() -> tuple[dict, bool]:
    """Every part's state, and whether Samen can serve pages (the database answers)."""
    parts = {
        "database": check_database(),
        "cache": check_cache(),
        "broker": check_broker(),
    }
    down = [name for name, part in parts.items() if part["status"] == DOWN]
    serving = parts["database"]["status"] == OK
    if not serving:
        status = "down"
    elif down:
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "down": down, "parts": parts}, serving
