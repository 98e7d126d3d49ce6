"""A circuit breaker per department: stop calling one that keeps failing, probe it after a cool-down."""

from __future__ import annotations

import enum
import threading
from collections import deque
from dataclasses import dataclass
from typing import Callable

from .clock import WaitingClock

__all__ = ["BreakerState", "BreakerPolicy", "CircuitBreaker"]


class BreakerState(str, enum.Enum):
    """Closed lets calls through, open refuses them, half-open lets one probe through."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerPolicy:
    """Open after ``failure_threshold`` failures within ``window_s``; probe again after ``cool_down_s``."""

    failure_threshold: int = 5
    window_s: float = 30.0
    cool_down_s: float = 15.0


class CircuitBreaker:
    """Thread-safe breaker on an injected clock; callers ask :meth:`allow` and report every outcome.

    ``on_change`` is called with the new state after each move (outside the lock).
    """

    def __init__(self, clock: WaitingClock, policy: BreakerPolicy = BreakerPolicy(),
                 on_change: Callable[[BreakerState], None] | None = None) -> None:
        self._clock = clock
        self.policy = policy
        self._on_change = on_change
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._failures: deque[float] = deque()
        self._opened_at = 0.0
        self._probing = False

    @property
    def state(self) -> BreakerState:
        """The current state (an open breaker past its cool-down reports half-open)."""
        with self._lock:
            if self._state is BreakerState.OPEN and self._cooled_down():
                return BreakerState.HALF_OPEN
            return self._state

    def _cooled_down(self) -> bool:
        return self._clock.monotonic() - self._opened_at >= self.policy.cool_down_s

    def _moved(self, before: BreakerState, after: BreakerState) -> None:
        """Tell ``on_change`` of a move, if the state changed."""
        if self._on_change is not None and after is not before:
            self._on_change(after)

    def allow(self) -> bool:
        """Tell whether a call may go out; after the cool-down exactly one caller gets to probe."""
        with self._lock:
            before = self._state
            if self._state is BreakerState.CLOSED:
                return True
            if self._state is BreakerState.OPEN and self._cooled_down():
                self._state = BreakerState.HALF_OPEN
            allowed = self._state is BreakerState.HALF_OPEN and not self._probing
            if allowed:
                self._probing = True
            after = self._state
        self._moved(before, after)
        return allowed

    def cancel(self) -> None:
        """Give back a probe slot that :meth:`allow` granted but that was never used."""
        with self._lock:
            self._probing = False

    def record_success(self) -> None:
        """Report that the department answered (a 4xx too: it is up); closes a half-open breaker."""
        with self._lock:
            before = self._state
            if self._state is not BreakerState.CLOSED:
                self._state = BreakerState.CLOSED
                self._failures.clear()
            self._probing = False
            after = self._state
        self._moved(before, after)

    def record_failure(self) -> None:
        """Report a timeout, connection error, 5xx or malformed answer; may open the breaker."""
        with self._lock:
            before = self._state
            now = self._clock.monotonic()
            self._probing = False
            if self._state is not BreakerState.CLOSED:
                self._state, self._opened_at = BreakerState.OPEN, now
            else:
                self._failures.append(now)
                while self._failures and self._failures[0] <= now - self.policy.window_s:
                    self._failures.popleft()
                if len(self._failures) >= self.policy.failure_threshold:
                    self._state, self._opened_at = BreakerState.OPEN, now
                    self._failures.clear()
            after = self._state
        self._moved(before, after)
