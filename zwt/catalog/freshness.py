"""This worker's view of the catalog generation, so a repeated search costs no database round trip.

Every search page, list ETag and replica catch-up is keyed by the catalog generation. Reading it is a
round trip (three on PostgreSQL: BEGIN, SELECT, ROLLBACK) that used to cost more than the cached page
it guards. A worker now re-reads it at most every ``max_age`` seconds (``ZWT_CATALOG_FRESHNESS_SECONDS``),
and at once after a transaction of its own changed the catalog: another worker's or node's change shows
up within ``max_age``, this worker's own immediately. ``max_age`` 0 reads it on every request.

Safety: the generation cached is always one some transaction committed. A transaction that bumps it
marks its session, reads the generation directly while it lasts, and clears this cache when it commits
or rolls back, so no page is ever cached under a generation whose data it does not show.
"""

from __future__ import annotations

import threading
from typing import Callable

from sqlalchemy.orm import Session

from ..clock import Clock
from .repository import CHANGED_MARK, generation

__all__ = ["GenerationCache"]


class GenerationCache:
    """The last committed catalog generation this worker read, and when (by the injected clock)."""

    def __init__(self, max_age: float, clock: Clock, read: Callable[[Session], int] = generation) -> None:
        self.max_age = max_age
        self._clock = clock
        self._read = read
        self._value: int | None = None
        self._read_at = 0.0
        self._epoch = 0  # bumped by every invalidation: a read that straddles one is not kept
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Make the next ``get`` read the database."""
        with self._lock:
            self._value = None
            self._epoch += 1

    def get(self, sess: Session) -> int:
        """The catalog generation, from this cache while it is younger than ``max_age``."""
        if sess.info.get(CHANGED_MARK):
            return self._read(sess)  # this transaction's own, uncommitted change: never cached
        now = self._clock.timestamp()
        with self._lock:
            value, read_at, epoch = self._value, self._read_at, self._epoch
        if value is not None and 0 <= now - read_at < self.max_age:
            return value
        value = self._read(sess)
        with self._lock:
            if self._epoch == epoch:  # else another thread's commit may have made this value old already
                self._value, self._read_at = value, now
        return value
