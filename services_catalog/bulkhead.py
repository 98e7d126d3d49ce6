"""A bounded number of concurrent calls per department, so one hung department cannot take every thread."""

from __future__ import annotations

import threading

__all__ = ["Bulkhead"]


class Bulkhead:
    """A non-blocking semaphore: when all ``limit`` slots are busy, callers fail fast instead of queueing."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a bulkhead needs at least one slot")
        self.limit = limit
        self._lock = threading.Lock()
        self._in_use = 0

    @property
    def in_use(self) -> int:
        """How many slots are taken right now."""
        return self._in_use

    def try_acquire(self) -> bool:
        """Take a slot if one is free."""
        with self._lock:
            if self._in_use >= self.limit:
                return False
            self._in_use += 1
            return True

    def release(self) -> None:
        """Give a slot back (when the call's thread is really done, not when the caller stopped waiting)."""
        with self._lock:
            if self._in_use == 0:
                raise RuntimeError("bulkhead released more often than acquired")
            self._in_use -= 1
