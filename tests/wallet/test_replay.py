"""The in-memory replay cache: remembers keys for their ttl, forgets after, and stays bounded."""

from __future__ import annotations

import pytest

from wallet.replay import MemoryReplayCache, ReplayCache


def test_first_sight_records_and_second_sight_reports() -> None:
    """A key is new the first time and seen the second time within its ttl."""
    cache: ReplayCache = MemoryReplayCache()
    assert cache.seen_before(b"k", now=100, ttl=10) is False
    assert cache.seen_before(b"k", now=109, ttl=10) is True


@pytest.mark.parametrize("later", [110, 500])
def test_key_expires_after_ttl(later: int) -> None:
    """Once its ttl has passed, a key counts as new again and old entries are purged."""
    cache = MemoryReplayCache()
    cache.seen_before(b"k", now=100, ttl=10)
    assert cache.seen_before(b"k", now=later, ttl=10) is False
    assert len(cache) == 1


def test_cache_is_bounded() -> None:
    """Beyond max_entries the entries closest to expiry are dropped first."""
    cache = MemoryReplayCache(max_entries=3)
    for i in range(5):
        cache.seen_before(bytes([i]), now=100 + i, ttl=60)
    assert len(cache) == 3
    assert cache.seen_before(bytes([4]), now=105, ttl=60) is True
    assert cache.seen_before(bytes([0]), now=105, ttl=60) is False
