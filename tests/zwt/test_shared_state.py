"""Shared state behaves the same on the database and on Redis, by the injected clock."""

from __future__ import annotations

import os
import uuid

import pytest

from zwt.shared_state import DatabaseSharedState, RedisSharedState


BACKENDS = ["database"] + (["redis"] if os.environ.get("ZWT_TEST_REDIS_URL") else [])


@pytest.fixture(params=BACKENDS)
def store(request, app, redis_url):
    """Each shared-state backend of this run (Redis when ``ZWT_TEST_REDIS_URL`` is set, as in CI)."""
    if request.param == "database":
        yield DatabaseSharedState(app.extensions["zwt"].db.engine)
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    prefix = f"zwt-test-ss-{uuid.uuid4().hex[:8]}:"
    yield RedisSharedState(client, prefix=prefix)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)


def test_incr_counts_within_a_fixed_window(store):
    """Hits count up until the window ends, then start again at one."""
    assert store.incr("k", ttl=10, now=100) == (1, 110)
    assert store.incr("k", ttl=10, now=105) == (2, 110)
    assert store.get("k", now=109) == (2, 110)
    assert store.get("k", now=110) == (0, 110)
    assert store.incr("k", ttl=10, now=111) == (1, 121)


def test_add_is_set_if_absent_until_expiry(store):
    """A marker can be added once while live, and again after it expires."""
    assert store.add("m", ttl=5, now=0) is True
    assert store.add("m", ttl=5, now=4.9) is False
    assert store.add("m", ttl=5, now=5.0) is True


def test_any_live_and_delete(store):
    """Live keys are found among several; deleted or expired ones are not."""
    store.add("a", ttl=5, now=0)
    store.incr("b", ttl=50, now=0)
    assert store.any_live(["x", "a"], now=1)
    assert not store.any_live(["x", "a"], now=6)
    assert store.any_live(["b"], now=6)
    store.delete("b")
    assert not store.any_live(["b"], now=6)
    assert not store.any_live([], now=0)


def test_database_purge_removes_only_expired(app):
    """Housekeeping deletes expired rows and keeps live ones."""
    store = DatabaseSharedState(app.extensions["zwt"].db.engine)
    store.add("old", ttl=1, now=0)
    store.add("new", ttl=100, now=0)
    assert store.purge_expired(now=50) == 1
    assert store.any_live(["new"], now=50)


def test_the_blocklist_condition_rides_on_a_query_where_the_state_is_in_the_database(store, request):
    """The database state offers ``any_live`` as a SQL condition answering as ``any_live`` does; Redis offers none."""
    clause = store.any_live_clause("first", "second")
    if request.node.callspec.params["store"] == "redis":
        assert clause is None
        return
    from sqlalchemy import select

    store.add("live", ttl=5, now=0)
    with store.engine.connect() as conn:
        assert conn.scalar(select(clause), {"first": "x", "second": "live", "now": 1}) is True
        assert conn.scalar(select(clause), {"first": "x", "second": "live", "now": 5}) is False
        assert conn.scalar(select(clause), {"first": "x", "second": "y", "now": 1}) is False


def test_decr_takes_back_one_hit_of_a_live_counter(store):
    """A reservation given back: one hit less, never below zero, and an expired counter stays expired."""
    store.incr("r", ttl=10, now=0)
    store.incr("r", ttl=10, now=1)
    store.decr("r", now=2)
    assert store.get("r", now=2) == (1, 10)
    store.decr("r", now=3)
    store.decr("r", now=3)
    assert store.get("r", now=3)[0] == 0
    assert store.incr("r", ttl=10, now=4) == (1, 10)  # the window it started keeps running
    store.decr("r", now=10)
    store.decr("missing", now=0)
    assert store.incr("r", ttl=10, now=11) == (1, 21) and store.get("missing", now=0) == (0, 0)
