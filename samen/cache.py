"""The cache: Redis, with a fall-back to this process's memory while Redis does not answer.

Nothing Samen keeps in the cache is the only copy of anything: the dashboard's figures are
computed again, allauth's rate-limit counters start again. So a Redis that is down must not
make a page fail. ``FallbackRedisCache`` is Django's ``RedisCache``; when a call cannot reach
Redis it logs a warning, answers that call from a ``LocMemCache`` of this process, and keeps
using that cache, without a word more, for ``RETRY_SECONDS`` before it tries Redis again (so a
page does not wait for a dead server on every cache call).

Why memory and not "always a miss": allauth's rate limits take a lock with ``cache.add``. A
cache that stores nothing would make every login wait for that lock and then let every
attempt through; in memory the limits hold per process. The price: while Redis is down the
dashboard's copy is per process, so another worker may show figures up to
``SAMEN_DASHBOARD_CACHE_SECONDS`` old (the data version moves only in the process that wrote).
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# What a server that is down, restarting or unreachable raises (redis-py and the socket).
REDIS_DOWN_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)

_lock = threading.Lock()
# Per Redis location (shared by all threads of the process): until when to use memory.
_down_until: dict[str, float] = {}


class FallbackRedisCache(RedisCache):
    """``RedisCache`` that falls back to process memory while Redis is unreachable.

    OPTIONS may hold ``RETRY_SECONDS`` (default 5): how long to stay in memory after a
    failure. Other OPTIONS go to redis-py's connection pool, as for ``RedisCache``; set
    ``socket_connect_timeout`` and ``socket_timeout`` so a server that does not answer at all
    costs a bounded wait."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._location = ",".join(self._servers)
        memory_params = {
            key: value
            for key, value in params.items()
            if key in {"TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION"}
        }
        # LocMemCache instances of one name share their storage: one per process.
        self._memory = LocMemCache(f"samen-fallback:{self._location}", memory_params)

    @property
    def is_down(self) -> bool:
        """Whether this process is using memory instead of Redis right now."""
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def ping(self) -> None:
        """Ask Redis itself (never the fall-back); raises when it does not answer. A good
        answer ends the fall-back at once."""
        self._cache.get_client(write=True).ping()
        with _lock:
            _down_until.pop(self._location, None)

    def _mark_down(self, error: Exception) -> None:
        with _lock:
            was_down = self.is_down
            _down_until[self._location] = time.monotonic() + self.retry_seconds
        if not was_down:
            logger.warning(
                "Redis cache at %s does not answer (%s); using this process's memory for %s s.",
                self._location,
                error.__class__.__name__,
                self.retry_seconds,
            )

    def _call(self, name: str, *args, **kwargs):
        if not self.is_down:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except REDIS_DOWN_ERRORS as error:
                self._mark_down(error)
        return getattr(self._memory, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
