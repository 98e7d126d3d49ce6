"""Time as a parameter: the app reads the clock it was given, so tests never sleep or patch time."""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol

__all__ = ["Clock", "SystemClock", "FixedClock"]


class Clock(Protocol):
    """Where the service gets the current time from."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...

    def timestamp(self) -> float:
        """The current time as POSIX seconds."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        return dt.datetime.now(dt.timezone.utc)

    def timestamp(self) -> float:
        """The current time as POSIX seconds."""
        return time.time()


class FixedClock:
    """A clock that only moves when told to (tests and deterministic demos)."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)

    def now(self) -> dt.datetime:
        """The current (frozen) time."""
        return self._now

    def timestamp(self) -> float:
        """The current (frozen) time as POSIX seconds."""
        return self._now.timestamp()

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self._now += dt.timedelta(seconds=seconds)
