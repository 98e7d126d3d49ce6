"""One exception family for everything that can go wrong when talking to a department."""

from __future__ import annotations

__all__ = [
    "DepartmentError",
    "DepartmentTimeout",
    "DepartmentUnavailable",
    "MalformedAnswer",
    "DepartmentRejected",
    "CircuitOpen",
    "DepartmentBusy",
]


class DepartmentError(Exception):
    """A department call failed; ``department`` names it and ``reason`` is a short machine code."""

    reason = "error"
    #: whether the failure counts against the department's circuit breaker
    trips_breaker = True
    #: whether a read may be retried once after this failure
    retryable = False

    def __init__(self, department: str, detail: str = "") -> None:
        super().__init__(f"{department}: {self.reason}" + (f": {detail}" if detail else ""))
        self.department = department
        self.detail = detail


class DepartmentTimeout(DepartmentError):
    """The department did not answer within the time it was given."""

    reason = "timeout"
    retryable = True


class DepartmentUnavailable(DepartmentError):
    """The department could not be reached or answered with a server error (5xx or its equivalent)."""

    reason = "unavailable"
    retryable = True


class MalformedAnswer(DepartmentError):
    """The department answered, but not in its documented format (missing field, wrong type, bad date)."""

    reason = "malformed"


class DepartmentRejected(DepartmentError):
    """The department refused the request (4xx or its equivalent): our fault, so breakers ignore it."""

    reason = "rejected"
    trips_breaker = False


class CircuitOpen(DepartmentError):
    """The department's circuit breaker is open, so it was not called at all."""

    reason = "circuit_open"
    trips_breaker = False


class DepartmentBusy(DepartmentError):
    """The department's bulkhead was full, so the call failed fast instead of queueing."""

    reason = "busy"
    trips_breaker = False
