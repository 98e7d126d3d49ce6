"""Durable delivery of applications to department systems: the outbox the worker drains.

Submission writes an outbox row in the application's transaction. ``drain_once`` leases due rows (on PostgreSQL
with ``FOR UPDATE SKIP LOCKED``, so several workers never take the same row; a leased row is ``in_flight`` until
a later ``next_attempt_at``, so a worker that dies mid-way leaves it to be taken again), then delivers up to
``ZWT_OUTBOX_CONCURRENCY`` at once through the department's ``ApplicationIntake`` adapter, each in its own
transaction. The application id is the idempotency key at the department, so a delivery repeated after a lost
answer opens no second case. A failure waits ``ZWT_OUTBOX_BACKOFF_SECONDS`` doubled per attempt (at most an
hour); after ``ZWT_OUTBOX_MAX_ATTEMPTS`` the row is a dead letter a platform admin replays.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import logging
import threading
from typing import Any, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from applications import Actor, apply_move
from services_catalog.errors import DepartmentError
from services_catalog.ports import ApplicationIntake, ApplicationSubmission

from ..auth.accounts import read_id_number
from ..container import Services
from ..errors import NotFound
from ..models import Account, ApplicationRow, OutboxRow
from . import messages
from .store import events_of, open_form, to_domain, write_move

__all__ = ["LEASE_SECONDS", "STATES", "drain_once", "run_worker", "dead_letters", "replay", "backoff_seconds",
           "depth", "register_gauges"]

log = logging.getLogger("zwt.applications")

#: how long a leased row is left to the worker that took it before another may take it again
LEASE_SECONDS = 120
_MAX_BACKOFF = 3600.0
WORKER = Actor("system", "outbox")
#: the states of an undelivered row: due or waiting for its retry, leased by a worker, given up on
STATES = ("pending", "in_flight", "dead")


def backoff_seconds(attempts: int, base: float) -> float:
    """The wait after the ``attempts``-th failure: ``base`` doubled per earlier failure, at most an hour."""
    return float(min(_MAX_BACKOFF, base * 2 ** max(0, attempts - 1)))


def _lease(svc: Services, limit: int) -> list[int]:
    """Take up to ``limit`` due rows (or rows whose lease ran out) for this worker; their ids."""
    now = svc.clock.now()
    with svc.db.sessions() as sess, sess.begin():
        query = (select(OutboxRow).where(OutboxRow.status.in_(("pending", "in_flight")),
                                         OutboxRow.next_attempt_at <= now)
                 .order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(limit))
        if svc.db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(sess.scalars(query))
        for row in rows:
            row.status, row.next_attempt_at = "in_flight", now + dt.timedelta(seconds=LEASE_SECONDS)
        return [row.id for row in rows]


def _submission(sess: Session, app_row: ApplicationRow, svc: Services) -> ApplicationSubmission:
    applicant = sess.get(Account, app_row.account_id)
    assert applicant is not None
    return ApplicationSubmission(application_id=app_row.public_id, item_code=app_row.item_code,
                                 applicant_name=applicant.display_name,
                                 applicant_id_number=read_id_number(applicant, svc=svc) or "",
                                 form=open_form(app_row, svc), submitted_at=app_row.submitted_at)


def _deliver(svc: Services, outbox_id: int) -> bool:
    """Deliver one leased row; whether the department took it."""
    with svc.db.sessions() as sess:
        row = sess.get(OutboxRow, outbox_id)
        app_row = None if row is None else sess.get(ApplicationRow, row.application_id)
        if row is None or app_row is None or row.status != "in_flight":
            return False
        department = svc.departments.get(row.department_code)
        adapter = None if department is None else department.adapter
        submission = _submission(sess, app_row, svc)
        sess.rollback()  # no transaction stays open across the department's call
        error = ""
        try:
            if not isinstance(adapter, ApplicationIntake):
                raise DepartmentError(row.department_code, "the department system takes no applications")
            receipt = adapter.submit_application(submission, timeout=svc.config.department_timeout_s)
        except DepartmentError as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
        now = svc.clock.now()
        row = sess.get(OutboxRow, outbox_id, with_for_update=True)
        app_row = sess.get(ApplicationRow, row.application_id) if row is not None else None
        if row is None or app_row is None or row.status != "in_flight":
            return False
        row.attempts += 1
        row.updated_at = now
        if error:
            row.last_error = error
            if row.attempts >= svc.config.outbox_max_attempts:
                row.status, app_row.delivery_state = "dead", "dead"
                log.warning("application delivery dead-lettered", extra={
                    "application": app_row.public_id, "department": row.department_code, "attempts": row.attempts})
            else:
                row.status = "pending"
                row.next_attempt_at = now + dt.timedelta(
                    seconds=backoff_seconds(row.attempts, svc.config.outbox_backoff_seconds))
            sess.commit()
            return False
        row.status, row.last_error = "done", ""
        app_row.delivery_state, app_row.department_ref = "delivered", receipt.reference
        _begin_pre_check(sess, app_row, svc, now)
        sess.commit()
        return True


def _begin_pre_check(sess: Session, app_row: ApplicationRow, svc: Services, now: dt.datetime) -> None:
    """The department has the application: it is in pre-check (unless the citizen withdrew it meanwhile)."""
    applicant = sess.get(Account, app_row.account_id)
    assert applicant is not None
    app = to_domain(app_row, events_of(sess, app_row), svc, subject=applicant.subject)
    if app.state != "submitted":
        return
    after, event = apply_move(app, "begin_pre_check", WORKER, now)
    write_move(sess, app_row, after, event, svc)
    messages.post_for(sess, app_row, event, svc)


def drain_once(svc: Services, executor: cf.Executor | None = None, *, limit: int | None = None) -> int:
    """Lease the due rows and deliver them, ``ZWT_OUTBOX_CONCURRENCY`` at once; how many were delivered."""
    width = svc.config.outbox_concurrency
    ids = _lease(svc, limit or width * 4)
    if not ids:
        return 0
    if executor is None:
        with cf.ThreadPoolExecutor(max_workers=width, thread_name_prefix="outbox") as pool:
            return sum(pool.map(lambda i: _deliver(svc, i), ids))
    return sum(executor.map(lambda i: _deliver(svc, i), ids))


def run_worker(svc: Services, stop: threading.Event, *, poll_seconds: float) -> None:
    """Drain the outbox until ``stop`` is set, waiting ``poll_seconds`` whenever nothing was due."""
    with cf.ThreadPoolExecutor(max_workers=svc.config.outbox_concurrency, thread_name_prefix="outbox") as pool:
        while not stop.is_set():
            try:
                busy = drain_once(svc, pool)
            except Exception:  # the database is away: log, wait, try again; the rows are still there
                log.exception("outbox drain failed")
                busy = 0
            if not busy:
                stop.wait(poll_seconds)


def depth(sess: Session) -> dict[str, int]:
    """How many rows are in each of ``STATES`` (only those with any: for an operator, and the gauge)."""
    return {status: count for status, count in sess.execute(
        select(OutboxRow.status, func.count()).where(OutboxRow.status.in_(STATES)).group_by(OutboxRow.status))}


def register_gauges(svc: Services) -> None:
    """Export ``zwt_outbox_depth`` by state, counted at each scrape (alert on ``dead`` above zero)."""
    def read() -> Iterator[tuple[tuple[str, ...], float]]:
        with svc.db.sessions() as sess:
            found = depth(sess)
        for state in STATES:
            yield (state,), float(found.get(state, 0))

    svc.metrics.add_gauge("zwt_outbox_depth", "application deliveries owed to department systems, by state: "
                          "pending (due or waiting for a retry), in_flight (leased by a worker), dead (dead letters)",
                          read, labels=("state",))


def dead_letters(sess: Session, *, limit: int = 200) -> list[dict[str, Any]]:
    """The dead-letter list: what could not be delivered, newest first."""
    rows = sess.execute(select(OutboxRow, ApplicationRow.public_id).join(
        ApplicationRow, ApplicationRow.id == OutboxRow.application_id).where(OutboxRow.status == "dead")
        .order_by(OutboxRow.updated_at.desc(), OutboxRow.id.desc()).limit(limit))
    return [{"id": row.id, "application_id": public_id, "department_code": row.department_code,
             "attempts": row.attempts, "last_error": row.last_error, "created_at": row.created_at,
             "updated_at": row.updated_at} for row, public_id in rows]


def replay(sess: Session, outbox_id: int, svc: Services) -> OutboxRow:
    """Put a dead letter back in the queue with a fresh count of attempts (404 for anything else)."""
    row = sess.get(OutboxRow, outbox_id, with_for_update=True)
    if row is None or row.status != "dead":
        raise NotFound()
    app_row = sess.get(ApplicationRow, row.application_id)
    assert app_row is not None
    now = svc.clock.now()
    row.status, row.attempts, row.next_attempt_at, row.updated_at = "pending", 0, now, now
    app_row.delivery_state = "queued"
    return row
