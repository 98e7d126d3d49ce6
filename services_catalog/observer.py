"""What the aggregator tells an observer: each department call's outcome and each breaker's new state.

The library knows no metrics system; the service passes an object with these two methods (``zwt.metrics``
counts and exports them) and tests pass a recorder. Both are called on the aggregator's worker threads and
must return at once without raising.
"""

from __future__ import annotations

from typing import Protocol

from .breaker import BreakerState

__all__ = ["CALL_OUTCOMES", "DepartmentObserver", "NullObserver", "call_outcome"]

#: every outcome a department call is reported with
CALL_OUTCOMES = ("ok", "timeout", "error", "breaker_open", "busy")


def call_outcome(reason: str | None) -> str:
    """The reported outcome of a call that ended with ``reason`` (None for an answer)."""
    if reason is None:
        return "ok"
    if reason == "circuit_open":
        return "breaker_open"
    return reason if reason in ("timeout", "busy") else "error"


class DepartmentObserver(Protocol):
    """Receives the outcome of every department call and every breaker state change."""

    def department_call(self, department: str, outcome: str) -> None:
        """One call to ``department`` ended with ``outcome`` (one of ``CALL_OUTCOMES``)."""

    def breaker_state(self, department: str, state: BreakerState) -> None:
        """The breaker of ``department`` moved to ``state``."""


class NullObserver:
    """Observes nothing: the default when no observer is given."""

    def department_call(self, department: str, outcome: str) -> None:
        """Ignore the outcome."""

    def breaker_state(self, department: str, state: BreakerState) -> None:
        """Ignore the state."""
