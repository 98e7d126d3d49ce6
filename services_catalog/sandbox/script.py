"""How a sandbox (or fake) department behaves right now: latency, faults and hangs, set at runtime."""

from __future__ import annotations

import dataclasses
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from ..clock import WaitingClock, RealWaitingClock

__all__ = ["FAULTS", "MALFORMED_KINDS", "Behaviour", "Call", "Script"]

#: what can go wrong: a server error, a client error, a malformed answer, a hang, a refused connection
FAULTS = ("5xx", "4xx", "malformed", "hang", "refuse")
MALFORMED_KINDS = ("missing_field", "wrong_type", "bad_date", "not_json")


@dataclass(frozen=True)
class Behaviour:
    """One call's behaviour: wait ``latency_s``, then answer normally or with ``fault``."""

    latency_s: float = 0.0
    fault: str | None = None
    status: int = 503  # for 5xx / 4xx faults
    malformed: str = "missing_field"
    hang_max_s: float = 300.0

    def __post_init__(self) -> None:
        if self.fault is not None and self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; expected one of {FAULTS}")
        if self.malformed not in MALFORMED_KINDS:
            raise ValueError(f"unknown malformed kind {self.malformed!r}")


@dataclass(frozen=True)
class Call:
    """A call the department got: port operation, arrival time (clock.monotonic) and the fault applied."""

    operation: str
    at: float
    fault: str | None


class Script:
    """A department's scripted behaviour, changed at runtime, recording every call (a fake, not a mock)."""

    def __init__(self, clock: WaitingClock | None = None, *, latency_s: float = 0.0) -> None:
        self.clock: WaitingClock = clock or RealWaitingClock()
        self._lock = threading.Lock()
        self._default = Behaviour(latency_s=latency_s)
        self._queued: deque[Behaviour] = deque()
        self._release = self.clock.event()
        self.calls: list[Call] = []

    @property
    def behaviour(self) -> Behaviour:
        """The behaviour calls get once queued one-shot behaviours are used up."""
        return self._default

    def set(self, **changes: Any) -> Script:
        """Change the standing behaviour, e.g. ``set(latency_s=0.2)`` or ``set(fault="5xx")``."""
        with self._lock:
            self._default = dataclasses.replace(self._default, **changes)
        return self

    def then(self, times: int = 1, **changes: Any) -> Script:
        """Give the next ``times`` calls the standing behaviour changed by ``changes``, then go back."""
        with self._lock:
            once = dataclasses.replace(self._default, **changes)
            self._queued.extend([once] * times)
        return self

    def heal(self) -> Script:
        """Clear faults and queued behaviours, keep the latency, and release hung calls."""
        with self._lock:
            self._default = Behaviour(latency_s=self._default.latency_s)
            self._queued.clear()
        self.release()
        return self

    def release(self) -> None:
        """Let every call hanging right now answer; later calls hang again while the fault stays."""
        with self._lock:
            event, self._release = self._release, self.clock.event()
        event.set()

    def begin(self, operation: str) -> Behaviour:
        """Record a call to ``operation`` and return the behaviour it gets (used by sandboxes and fakes)."""
        with self._lock:
            behaviour = self._queued.popleft() if self._queued else self._default
            self.calls.append(Call(operation, self.clock.monotonic(), behaviour.fault))
            release = self._release
        if behaviour.fault != "refuse":
            if behaviour.latency_s > 0:
                self.clock.sleep(behaviour.latency_s)
            if behaviour.fault == "hang":
                self.clock.wait_event(release, behaviour.hang_max_s)
        return behaviour

    def operations(self) -> list[str]:
        """Return the operations called so far, in order."""
        with self._lock:
            return [c.operation for c in self.calls]
