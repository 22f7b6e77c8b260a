"""portalkit.rate_limits: counts per key, 429 with Retry-After past the limit, shared through Redis
by every process, and a store that does not answer lets calls through."""
from __future__ import annotations

import socket
import uuid

import pytest

from portalkit.errors import PortalError
from portalkit.rate_limits import RateLimit, parse_limits
from portalkit.settings import SettingsError


def test_past_the_limit_a_key_is_refused_with_retry_after():
    limit = RateLimit("serialization", parse_limits("2/minute"), "memory://")
    limit.hit("c1")
    limit.hit("c1")
    with pytest.raises(PortalError) as refused:
        limit.hit("c1")
    assert (refused.value.status, refused.value.code) == (429, "too_many_requests")
    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60
    limit.hit("c2")  # each key its own count


def test_limits_are_parsed_or_refused():
    assert parse_limits("none") == () and parse_limits("") == ()
    assert len(parse_limits("30/minute;300/day")) == 2
    with pytest.raises(SettingsError):
        parse_limits("often")
    RateLimit("x", parse_limits("none"), "memory://").hit("any")


def test_two_processes_on_redis_share_the_count():
    import redis
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")
    key = uuid.uuid4().hex
    first, second = (RateLimit("serialization", parse_limits("2/minute"), url) for _ in range(2))
    first.hit(key)
    second.hit(key)
    with pytest.raises(PortalError):
        first.hit(key)


def test_a_store_that_does_not_answer_lets_calls_through():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    limit = RateLimit("serialization", parse_limits("1/minute"), f"redis://127.0.0.1:{port}")
    limit.hit("c1")
    limit.hit("c1")
