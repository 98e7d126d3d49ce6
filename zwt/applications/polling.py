"""Status by polling: the worker asks department systems where the applications they took stand.

Every ``ZWT_APPLICATION_POLL_SECONDS`` the worker reads the applications delivered to a department system
(not the back office's) that are not final, ``BATCH`` at a time, and asks each department about its share in
one call (``ApplicationStatus``) through the catalog's aggregator, so the department's deadline, retry,
bulkhead and circuit breaker hold as for any other call. A department that reports a later state than the
platform knows is caught up move by move (``applications.moves_to``) through ``handling.department_move``,
the very code the signed callback runs: the same timeline events, messages, texts and result license. A
status already applied changes nothing; a state behind the platform's, or one it cannot reach, is left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Sequence

from sqlalchemy import select

from applications import Actor, moves_to
from applications.states import FINAL_STATES
from services_catalog.ports import ApplicationStatus, CaseStatus

from ..container import Services
from ..errors import ApiError
from ..models import ApplicationEventRow, ApplicationRow
from . import handling

__all__ = ["BATCH", "StatusPoller", "poll_statuses", "catch_up"]

log = logging.getLogger("zwt.applications")

#: applications asked about per round of calls (each department gets its share in one call)
BATCH = 100


class StatusPoller:
    """What the worker calls each round: polls when ``ZWT_APPLICATION_POLL_SECONDS`` have passed on ``svc.clock``
    since the last poll (at once on the first round; never with the setting at 0)."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self._next: dt.datetime | None = None

    def __call__(self) -> int:
        """Poll if due; how many moves that applied."""
        seconds = self.svc.config.application_poll_seconds
        now = self.svc.clock.now()
        if not seconds or (self._next is not None and now < self._next):
            return 0
        self._next = now + dt.timedelta(seconds=seconds)
        return poll_statuses(self.svc)


def poll_statuses(svc: Services, *, batch: int = BATCH) -> int:
    """Ask the departments about every undecided application they hold; how many moves that applied."""
    applied, after = 0, 0
    while True:
        with svc.db.sessions() as sess:
            rows = sess.execute(
                select(ApplicationRow.id, ApplicationRow.public_id, ApplicationRow.department_code)
                .where(ApplicationRow.channel == "system", ApplicationRow.delivery_state == "delivered",
                       ApplicationRow.state.not_in(FINAL_STATES), ApplicationRow.id > after)
                .order_by(ApplicationRow.id).limit(batch)).all()
        if not rows:
            return applied
        after = rows[-1].id
        wanted: dict[str, list[str]] = {}
        for row in rows:
            wanted.setdefault(row.department_code, []).append(row.public_id)
        applied += _ask(svc, wanted)
        if len(rows) < batch:
            return applied


def _ask(svc: Services, wanted: dict[str, list[str]]) -> int:
    """One call per department through the aggregator, then the moves its answers call for."""
    calls: dict[str, Callable[[float], Sequence[CaseStatus]]] = {}
    for code, ids in wanted.items():
        department = svc.departments.get(code)
        if department is not None and isinstance(department.adapter, ApplicationStatus):
            calls[code] = _query(department.adapter, tuple(ids))
    if not calls:
        return 0
    applied = 0
    for code, outcome in svc.catalog.aggregator.gather(calls).sources.items():
        if outcome.state != "ok" or outcome.value is None:
            log.warning("application status poll failed", extra={"department": code, "reason": outcome.reason})
            continue
        asked = set(wanted[code])
        applied += sum(catch_up(svc, code, status) for status in outcome.value if status.application_id in asked)
    return applied


def _query(adapter: ApplicationStatus, ids: tuple[str, ...]) -> Callable[[float], Sequence[CaseStatus]]:
    def call(timeout: float) -> Sequence[CaseStatus]:
        return adapter.application_statuses(ids, timeout=timeout)
    return call


def catch_up(svc: Services, department: str, status: CaseStatus) -> int:
    """Bring one application to the state its department reports; how many moves it took (0: nothing new)."""
    actor = Actor("department", department, department)
    applied = 0
    with svc.db.sessions() as sess:
        row = sess.scalar(select(ApplicationRow).where(ApplicationRow.public_id == status.application_id))
        if row is None or row.department_code != department:
            return 0
        path = moves_to(row.state, status.state, actor.kind) or ()
        if path == ("request_correction",) and _last_department_move(sess, row) == "request_correction":
            return 0  # the department still shows the correction the citizen has since supplied
        sess.rollback()
        for move in path:
            sess.expire_all()  # read the row afresh for each move, as a callback's request would
            try:
                handling.department_move(status.application_id, actor, move, svc=svc, sess=sess,
                                         **_arguments(move, status, last=move == path[-1]))
            except ApiError as exc:  # a refused step (say, a decision without its legal basis): stop here
                sess.rollback()
                log.warning("application status not applied", extra={
                    "application": status.application_id, "department": department, "move": move,
                    "error": exc.code})
                break
            applied += 1
    return applied


def _last_department_move(sess: Any, row: ApplicationRow) -> str | None:
    return sess.scalar(select(ApplicationEventRow.move).where(
        ApplicationEventRow.application_id == row.id, ApplicationEventRow.actor_kind.in_(("staff", "department")))
        .order_by(ApplicationEventRow.seq.desc()).limit(1))


def _arguments(move: str, status: CaseStatus, *, last: bool) -> dict[str, Any]:
    """What a move takes from the status, as the callback's body would carry it."""
    found: dict[str, Any] = {"message": status.message if last or move in ("refuse", "request_correction") else ""}
    if move == "decide":
        found.update(outcome=status.outcome, reason=status.reason, legal_basis=status.legal_basis,
                     license_fields=dict(status.license_fields))
    elif move == "conclude":
        found["delivery"] = status.delivery
    return found
