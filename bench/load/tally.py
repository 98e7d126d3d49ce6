"""What the service acknowledged during a run, and how much of it the database holds afterwards.

The users record every presentation id answered 201 and every counter log record id a 201 upload accepted
(not refused); after the run :func:`count_lost` looks each one up in the database. Acknowledged but absent
is lost. Pure SQLAlchemy on the service's tables, so a test can run it without locust.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from zwt.models import AccessLogEntry, Presentation

__all__ = ["Tally", "Lost", "count_lost"]

CHUNK = 500


@dataclass
class Tally:
    """Ids the service acknowledged: presentations (public ids) and counter log records (record ids)."""

    presentations: set[str] = field(default_factory=set)
    log_records: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def presented(self, public_id: str) -> None:
        with self._lock:
            self.presentations.add(public_id)

    def logged(self, record_ids: Iterable[str]) -> None:
        with self._lock:
            self.log_records.update(record_ids)


@dataclass(frozen=True)
class Lost:
    """Acknowledged and found, per kind; ``lost`` is what was acknowledged and is not in the database."""

    presentations_acked: int
    presentations_found: int
    records_acked: int
    records_found: int

    @property
    def lost(self) -> int:
        return (self.presentations_acked - self.presentations_found) + (self.records_acked - self.records_found)


def _found(engine: Engine, column: object, ids: set[str]) -> int:
    """How many of ``ids`` the column holds, asked in chunks."""
    ordered, found = sorted(ids), 0
    with engine.connect() as conn:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            found += int(conn.scalar(select(func.count()).where(column.in_(chunk))) or 0)  # type: ignore[attr-defined]
    return found


def count_lost(engine: Engine, tally: Tally) -> Lost:
    """Look every acknowledged id up in the database."""
    return Lost(len(tally.presentations), _found(engine, Presentation.public_id, tally.presentations),
                len(tally.log_records), _found(engine, AccessLogEntry.record_id, tally.log_records))
