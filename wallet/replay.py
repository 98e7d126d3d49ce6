"""Replay detection for holder-bound presentations: a port, and the in-memory cache the library ships."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Protocol

__all__ = ["ReplayCache", "MemoryReplayCache"]


class ReplayCache(Protocol):
    """Remembers presentation keys for ``ttl`` seconds; the service adds database and Redis versions."""

    def seen_before(self, key: bytes, *, now: int, ttl: int) -> bool:
        """Return True if ``key`` was recorded and has not expired; otherwise record it and return False."""
        ...


class MemoryReplayCache:
    """A single-process replay cache with expiry, bounded in size (oldest entries go first)."""

    def __init__(self, max_entries: int = 1_000_000) -> None:
        """Create an empty cache holding at most ``max_entries`` live keys."""
        self._expiry: dict[bytes, int] = {}
        self._heap: list[tuple[int, bytes]] = []
        self._max = max_entries

    @classmethod
    def restore(cls, entries: Iterable[tuple[bytes, int]], *, now: int,
                max_entries: int = 1_000_000) -> MemoryReplayCache:
        """Rebuild a cache from persisted ``(key, expires)`` pairs, dropping expired ones and keeping the bound."""
        cache = cls(max_entries)
        for key, expires in entries:
            if expires > now and cache._expiry.get(key, now) < expires:
                cache._expiry[key] = expires
                heapq.heappush(cache._heap, (expires, key))
        cache._purge(now)
        return cache

    def entries(self, now: int) -> list[tuple[bytes, int]]:
        """The live ``(key, expires)`` pairs, soonest expiry first: what a persisted cache writes down."""
        self._purge(now)
        return sorted(((key, expires) for key, expires in self._expiry.items() if expires > now),
                      key=lambda pair: (pair[1], pair[0]))

    def __len__(self) -> int:
        """How many keys are held (expired ones may linger until the next call)."""
        return len(self._expiry)

    def _purge(self, now: int) -> None:
        while self._heap and (self._heap[0][0] <= now or len(self._expiry) > self._max):
            expires, key = heapq.heappop(self._heap)
            if self._expiry.get(key) == expires:
                del self._expiry[key]

    def seen_before(self, key: bytes, *, now: int, ttl: int) -> bool:
        """Return True for a key recorded less than its ttl ago, else record it until ``now + ttl``."""
        self._purge(now)
        expires = self._expiry.get(key)
        if expires is not None and expires > now:
            return True
        self._expiry[key] = now + ttl
        heapq.heappush(self._heap, (now + ttl, key))
        self._purge(now)
        return False
