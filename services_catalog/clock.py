"""Time as a parameter: wall and monotonic time, sleeping, and timed waits on events and futures.

Everything in the library that waits goes through a ``WaitingClock`` so tests can run it in virtual time
(:class:`services_catalog.testing.ManualClock`) instead of sleeping.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from typing import Any, Iterable, Protocol

__all__ = ["WaitingClock", "RealWaitingClock"]


class WaitingClock(Protocol):
    """Where the aggregator and the sandboxes get time from and how they wait.

    Named for what sets it apart from ``zwt.clock.Clock``, which only reads the time (as a datetime):
    this one also waits, so virtual time can drive deadlines, retries and slow departments.
    """

    def now(self) -> float:
        """Wall-clock time, POSIX seconds (for data ages)."""
        ...

    def monotonic(self) -> float:
        """Monotonic seconds (for deadlines and latencies)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block the calling thread for ``seconds``."""
        ...

    def event(self) -> threading.Event:
        """Return a fresh event that :meth:`wait_event` on this clock can wait for."""
        ...

    def wait_event(self, event: threading.Event, timeout: float | None) -> bool:
        """Block until ``event`` is set or ``timeout`` passes; return whether it is set."""
        ...

    def wait_futures(self, futures: Iterable[cf.Future[Any]], timeout: float | None) -> set[cf.Future[Any]]:
        """Block until at least one future is done or ``timeout`` passes; return the done ones."""
        ...


class RealWaitingClock:
    """The real clock: ``time.time``, ``time.monotonic`` and ``threading`` waits."""

    def now(self) -> float:
        """Wall-clock time, POSIX seconds."""
        return time.time()

    def monotonic(self) -> float:
        """Monotonic seconds."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Sleep for real."""
        if seconds > 0:
            time.sleep(seconds)

    def event(self) -> threading.Event:
        """Return a plain ``threading.Event``."""
        return threading.Event()

    def wait_event(self, event: threading.Event, timeout: float | None) -> bool:
        """Wait on the event for real."""
        return event.wait(None if timeout is None else max(timeout, 0.0))

    def wait_futures(self, futures: Iterable[cf.Future[Any]], timeout: float | None) -> set[cf.Future[Any]]:
        """Wait with ``concurrent.futures.wait(..., FIRST_COMPLETED)``."""
        done, _ = cf.wait(list(futures), None if timeout is None else max(timeout, 0.0),
                          return_when=cf.FIRST_COMPLETED)
        return set(done)
