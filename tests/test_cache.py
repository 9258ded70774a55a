"""samen.cache.FallbackRedisCache: Redis while it answers, this process's memory while not."""

import logging
import os
import socket
import uuid
from unittest import mock

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from samen import cache as samen_cache
from samen.cache import FallbackRedisCache


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _backend(url: str, **options) -> FallbackRedisCache:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options}
    return FallbackRedisCache(url, {"OPTIONS": options, "KEY_PREFIX": uuid.uuid4().hex})


@pytest.fixture(autouse=True)
def _fresh_state():
    samen_cache._down_until.clear()
    yield
    samen_cache._down_until.clear()


@pytest.fixture
def down() -> FallbackRedisCache:
    return _backend(f"redis://127.0.0.1:{_closed_port()}/0")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("SAMEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("SAMEN_REQUIRE_SERVICES"):
            pytest.fail(f"Redis at {url} does not answer: {error}")
        pytest.skip(f"Redis at {url} does not answer: {error}")
    finally:
        client.close()
    return url


def test_a_redis_that_is_down_is_answered_from_memory(down, caplog):
    with caplog.at_level(logging.WARNING, logger="samen.cache"):
        assert down.get("missing") is None
        down.set("figures", {"experts": 3}, 60)
        assert down.get("figures") == {"experts": 3}
        assert down.get_many(["figures", "missing"]) == {"figures": {"experts": 3}}
    assert down.is_down
    # One warning for the outage, not one per call.
    assert caplog.text.count("does not answer") == 1


def test_add_and_incr_keep_their_meaning_in_memory_so_locks_and_counters_work(down):
    # allauth's rate limits take a lock with add(): a second add must fail.
    assert down.add("lock", True, 10) is True
    assert down.add("lock", True, 10) is False
    down.delete("lock")
    assert down.add("lock", True, 10) is True
    with pytest.raises(ValueError):
        down.incr("no-counter")
    down.set("counter", 1)
    assert down.incr("counter") == 2
    assert down.decr("counter") == 1


def test_while_down_redis_is_not_asked_again_until_the_retry_time_passed():
    backend = _backend("redis://127.0.0.1:6379/0", RETRY_SECONDS=60)
    with mock.patch.object(
        RedisCache, "get", autospec=True, side_effect=redis.exceptions.ConnectionError("gone")
    ) as redis_get:
        assert backend.get("a") is None
        assert backend.get("b") is None
    assert redis_get.call_count == 1


def test_with_no_retry_time_every_call_asks_redis_again():
    backend = _backend("redis://127.0.0.1:6379/0", RETRY_SECONDS=0)
    with mock.patch.object(
        RedisCache, "get", autospec=True, side_effect=redis.exceptions.ConnectionError("gone")
    ) as redis_get:
        backend.get("a")
        backend.get("b")
    assert redis_get.call_count == 2


def test_ping_raises_while_down(down):
    with pytest.raises(redis.exceptions.ConnectionError):
        down.ping()


def test_values_go_to_redis_while_it_answers(redis_url):
    backend = _backend(redis_url)
    key = uuid.uuid4().hex
    try:
        backend.set(key, "in redis", 30)
        assert not backend.is_down
        raw = redis.Redis.from_url(redis_url)
        assert raw.exists(backend.make_key(key)) == 1
        raw.close()
        assert backend.get(key) == "in redis"
    finally:
        backend.delete(key)


def test_a_good_ping_ends_the_fall_back_at_once(redis_url):
    backend = _backend(redis_url, RETRY_SECONDS=600)
    samen_cache._down_until[backend._location] = float("inf")
    assert backend.is_down
    backend.ping()
    assert not backend.is_down
