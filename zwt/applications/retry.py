"""The retry rule of the worker's durable queues (the outbox, broken-commitment reports): a lease, and the
backoff after each failure. One place, so both queues retry alike."""

from __future__ import annotations

__all__ = ["LEASE_SECONDS", "backoff_seconds"]

#: how long a leased row is left to the worker that took it before another may take it again
LEASE_SECONDS = 120
_MAX_BACKOFF = 3600.0


def backoff_seconds(attempts: int, base: float) -> float:
    """The wait after the ``attempts``-th failure: ``base`` doubled per earlier failure, at most an hour."""
    return float(min(_MAX_BACKOFF, base * 2 ** max(0, attempts - 1)))
