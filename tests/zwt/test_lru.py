"""The per-process LRU map behind the search-page and QR-image caches."""

from __future__ import annotations

from zwt.lru import LruCache


def test_the_least_recently_used_entry_goes_first():
    """A read refreshes an entry, so the entry not read is the one forgotten."""
    cache: LruCache[str, bytes] = LruCache(2)
    cache.put("a", b"1")
    cache.put("b", b"2")
    assert cache.get("a") == b"1"
    cache.put("c", b"3")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1", None, b"3")
    assert len(cache) == 2


def test_size_zero_keeps_nothing():
    """``ZWT_SEARCH_CACHE_SIZE=0`` turns the page cache off."""
    cache: LruCache[str, bytes] = LruCache(0)
    cache.put("a", b"1")
    assert cache.get("a") is None and len(cache) == 0
