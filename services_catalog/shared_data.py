"""Fetching shared department data: several sources about one person in parallel, under one deadline.

:func:`fetch_shared` asks the sources through the :class:`~services_catalog.aggregator.Aggregator` (its
deadlines, bulkheads, breakers and one retry) and reports each as ``ok``, ``pending`` (the department was
too slow for the deadline) or ``failed``. The records, sources and port are in :mod:`.shared_records`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from .aggregator import Aggregator
from .departments import Department
from .errors import DepartmentRejected
from .records import Citizen
from .shared_records import SHARED_SOURCES, SharedDataSource, SharedRecord, SharedSource

__all__ = ["SharedResult", "RESULT_STATES", "fetch_shared"]

#: ok: the department answered (``record`` None when it holds nothing about the person); pending: it did not
#: answer within the deadline (or all its slots are taken by slow calls); failed: it answered with an error,
#: its answer was malformed, or its breaker is open
RESULT_STATES = ("ok", "pending", "failed")
_PENDING_REASONS = frozenset({"timeout", "busy"})


@dataclass(frozen=True)
class SharedResult:
    """One source's outcome: ``state`` is one of ``RESULT_STATES``; ``fetched_at`` is POSIX seconds when ok."""

    source: str
    state: str
    record: SharedRecord | None = None
    fetched_at: float | None = None
    department_code: str | None = None
    reason: str | None = None
    latency_ms: int = 0


def _department_for(source: SharedSource, departments: Mapping[str, Department]) -> Department | None:
    return next((d for d in departments.values() if d.kind == source.department_kind), None)


def _call(department: Department, source: str, citizen: Citizen) -> Callable[[float], SharedRecord | None]:
    adapter = department.adapter

    def call(timeout: float) -> SharedRecord | None:
        if not isinstance(adapter, SharedDataSource):
            raise DepartmentRejected(department.code, f"serves no shared data ({source})")
        return adapter.shared_record(source, citizen, timeout=timeout)

    return call


def fetch_shared(aggregator: Aggregator, departments: Mapping[str, Department], citizen: Citizen,
                 sources: Iterable[str], *, deadline_s: float,
                 known: Mapping[str, SharedSource] = SHARED_SOURCES,
                 meanwhile: Callable[[], None] | None = None) -> dict[str, SharedResult]:
    """Fetch each of ``sources`` about ``citizen`` in parallel; every source is reported by ``deadline_s``.

    A source name not in ``known`` (default: ``SHARED_SOURCES``) raises ``KeyError`` (callers validate names
    first); a source whose department kind is not deployed is ``failed`` with reason ``no_department``.
    ``meanwhile``, the caller's own work, runs in the calling thread while the departments answer
    (``Aggregator.gather``); it runs once even when no department is asked.
    """
    wanted = [known[name] for name in dict.fromkeys(sources)]
    results: dict[str, SharedResult] = {}
    calls: dict[str, Callable[[float], SharedRecord | None]] = {}
    routed: dict[str, tuple[str, str]] = {}
    for source in wanted:
        department = _department_for(source, departments)
        if department is None:
            results[source.name] = SharedResult(source.name, "failed", reason="no_department")
            continue
        # breakers and bulkheads are per source ("shared:<name>"), apart from the home screen's per department
        calls[f"shared:{source.name}"] = _call(department, source.name, citizen)
        routed[f"shared:{source.name}"] = (source.name, department.code)
    gathered = aggregator.gather(calls, retry=True, deadline_s=deadline_s, meanwhile=meanwhile) if calls else None
    if gathered is None and meanwhile is not None:
        meanwhile()
    now = aggregator.clock.now()
    for key, outcome in (gathered.sources.items() if gathered else ()):
        name, code = routed[key]
        if outcome.state == "ok":
            results[name] = SharedResult(name, "ok", outcome.value, now, code, None, outcome.latency_ms)
            continue
        state = "pending" if outcome.reason in _PENDING_REASONS else "failed"
        results[name] = SharedResult(name, state, None, None, code, outcome.reason, outcome.latency_ms)
    return {source.name: results[source.name] for source in wanted}
