"""Durable delivery of applications to department systems: the outbox the worker drains.

Submission writes an outbox row in the application's transaction. ``drain_once`` leases due rows (on PostgreSQL
with ``FOR UPDATE SKIP LOCKED``, so several workers never take the same row; a leased row is ``in_flight`` until
a later ``next_attempt_at``, so a worker that dies mid-way leaves it to be taken again) a batch at a time, reading
each application and decrypting its form and the applicant's ID number once in that lease transaction. It keeps
``ZWT_OUTBOX_CONCURRENCY`` deliveries in flight through the department's ``ApplicationIntake`` adapter (the
threads touch no database) and writes the answers a batch per transaction. The application id is the
idempotency key at the department, so a delivery repeated after a lost answer opens no second case. A failure
waits ``ZWT_OUTBOX_BACKOFF_SECONDS`` doubled per attempt (at most an hour); after
``ZWT_OUTBOX_MAX_ATTEMPTS`` the row is a dead letter a platform admin replays.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from applications import Actor, Application, apply_move
from services_catalog.errors import DepartmentError
from services_catalog.ports import ApplicationIntake, ApplicationSubmission

from ..auth.accounts import read_id_number
from ..container import Services
from ..errors import NotFound
from ..models import Account, ApplicationEventRow, ApplicationRow, OutboxRow
from . import messages
from .polling import StatusPoller
from .retry import LEASE_SECONDS, backoff_seconds
from .store import open_form, to_domain, write_move

__all__ = ["LEASE_SECONDS", "STATES", "drain_once", "run_worker", "dead_letters", "replay", "backoff_seconds",
           "depth", "register_gauges"]

log = logging.getLogger("zwt.applications")

#: rows leased ahead, in rounds of ``ZWT_OUTBOX_CONCURRENCY``: enough to keep the slots full while a slow
#: database round runs (each round's answers and leases grow with it)
_AHEAD = 3
WORKER = Actor("system", "outbox")
#: the states of an undelivered row: due or waiting for its retry, leased by a worker, given up on
STATES = ("pending", "in_flight", "dead")


@dataclass(frozen=True)
class _Leased:
    """A leased row with everything its delivery needs, read (and decrypted) once in the lease transaction."""

    outbox_id: int
    department_code: str
    submission: ApplicationSubmission
    form_enc: bytes
    subject: str


@dataclass(frozen=True)
class _Outcome:
    """What the department answered to one delivery: its receipt, or the error it failed with."""

    leased: _Leased
    reference: str = ""
    error: str = ""


def _lease(svc: Services, limit: int) -> list[_Leased]:
    """Take up to ``limit`` due rows for this worker in a transaction of its own."""
    return _exchange(svc, [], limit)[1]


def _exchange(svc: Services, outcomes: list[_Outcome], want: int) -> tuple[int, list[_Leased]]:
    """Write what the departments answered and lease up to ``want`` more rows, in one transaction (one commit
    per round however many rows it moves); how many were delivered, and the rows leased."""
    now = svc.clock.now()
    with svc.db.sessions() as sess, sess.begin():
        delivered = _record(sess, outcomes, svc, now) if outcomes else 0
        return delivered, _lease_in(sess, want, svc, now) if want > 0 else []


def _lease_in(sess: Session, limit: int, svc: Services, now: dt.datetime) -> list[_Leased]:
    """Take up to ``limit`` due rows (or rows whose lease ran out) in one statement, then read their applications
    and applicants in another, decrypting each form and ID number once."""
    due = (select(OutboxRow.id).where(OutboxRow.status.in_(("pending", "in_flight")), OutboxRow.next_attempt_at <= now)
           .order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(limit))
    if svc.db.dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    taken = sess.execute(update(OutboxRow).where(OutboxRow.id.in_(due.scalar_subquery()))
                         .values(status="in_flight", next_attempt_at=now + dt.timedelta(seconds=LEASE_SECONDS))
                         .returning(OutboxRow.id, OutboxRow.application_id, OutboxRow.department_code),
                         execution_options={"synchronize_session": False}).all()
    found = {app.id: (app, applicant) for app, applicant in sess.execute(
        select(ApplicationRow, Account).join(Account, Account.id == ApplicationRow.account_id)
        .where(ApplicationRow.id.in_(sorted(t.application_id for t in taken))))}
    return [_Leased(t.id, t.department_code, _submission(app, applicant, svc), app.form_enc, applicant.subject)
            for t in sorted(taken, key=lambda t: t.id) for app, applicant in [found[t.application_id]]]


def _submission(app_row: ApplicationRow, applicant: Account, svc: Services) -> ApplicationSubmission:
    return ApplicationSubmission(application_id=app_row.public_id, item_code=app_row.item_code,
                                 applicant_name=applicant.display_name,
                                 applicant_id_number=read_id_number(applicant, svc=svc) or "",
                                 form=open_form(app_row, svc), submitted_at=app_row.submitted_at)


def _call(svc: Services, leased: _Leased) -> _Outcome:
    """Hand one application to its department (no database here: the worker's threads only wait on departments)."""
    department = svc.departments.get(leased.department_code)
    adapter = None if department is None else department.adapter
    try:
        if not isinstance(adapter, ApplicationIntake):
            raise DepartmentError(leased.department_code, "the department system takes no applications")
        receipt = adapter.submit_application(leased.submission, timeout=svc.config.department_timeout_s)
    except DepartmentError as exc:
        return _Outcome(leased, error=f"{type(exc).__name__}: {exc}"[:200])
    return _Outcome(leased, reference=receipt.reference)


def _record(sess: Session, outcomes: list[_Outcome], svc: Services, now: dt.datetime) -> int:
    """Write what the departments answered (seven statements for the lot); how many were delivered.

    A row no longer ``in_flight`` (replayed, or its lease ran out and another worker finished it) is left alone.
    """
    delivered = 0
    rows: dict[int, OutboxRow] = {}
    apps: dict[int, ApplicationRow] = {}
    for row, app in sess.execute(select(OutboxRow, ApplicationRow).join(
            ApplicationRow, ApplicationRow.id == OutboxRow.application_id)
            .where(OutboxRow.id.in_(sorted(o.leased.outbox_id for o in outcomes))).order_by(OutboxRow.id)
            .with_for_update()):
        rows[row.id], apps[app.id] = row, app
    timelines: dict[int, list[ApplicationEventRow]] = {app_id: [] for app_id in apps}
    for event in sess.scalars(select(ApplicationEventRow).where(ApplicationEventRow.application_id.in_(
            sorted(apps))).order_by(ApplicationEventRow.application_id, ApplicationEventRow.seq)):
        timelines[event.application_id].append(event)
    for outcome in outcomes:
        row = rows.get(outcome.leased.outbox_id)
        app_row = None if row is None else apps.get(row.application_id)
        if row is None or app_row is None or row.status != "in_flight":
            continue
        row.attempts += 1
        row.updated_at = now
        if outcome.error:
            _failed(row, app_row, outcome.error, svc, now)
            continue
        row.status, row.last_error = "done", ""
        app_row.delivery_state, app_row.department_ref = "delivered", outcome.reference
        form = outcome.leased.submission.form if app_row.form_enc == outcome.leased.form_enc else None
        _begin_pre_check(sess, app_row, to_domain(app_row, timelines[app_row.id], svc, form=form,
                                                  subject=outcome.leased.subject), svc, now)
        delivered += 1
    return delivered


def _failed(row: OutboxRow, app_row: ApplicationRow, error: str, svc: Services, now: dt.datetime) -> None:
    """A failed attempt: retry after the backoff, or dead-letter it after ``ZWT_OUTBOX_MAX_ATTEMPTS``."""
    row.last_error = error
    if row.attempts >= svc.config.outbox_max_attempts:
        row.status, app_row.delivery_state = "dead", "dead"
        log.warning("application delivery dead-lettered", extra={
            "application": app_row.public_id, "department": row.department_code, "attempts": row.attempts})
    else:
        row.status = "pending"
        wait = backoff_seconds(row.attempts, svc.config.outbox_backoff_seconds)
        row.next_attempt_at = now + dt.timedelta(seconds=wait)


def _begin_pre_check(sess: Session, app_row: ApplicationRow, app: Application, svc: Services,
                     now: dt.datetime) -> None:
    """The department has the application: it is in pre-check (unless the citizen withdrew it meanwhile)."""
    if app.state != "submitted":
        return
    after, event = apply_move(app, "begin_pre_check", WORKER, now)
    write_move(sess, app_row, after, event, svc)
    messages.post_for(sess, app_row, event, svc)


def drain_once(svc: Services, executor: cf.Executor | None = None, *, limit: int | None = None) -> int:
    """Deliver what is due, up to ``limit`` rows (default 16 times ``ZWT_OUTBOX_CONCURRENCY``), keeping
    ``ZWT_OUTBOX_CONCURRENCY`` deliveries in flight all along; how many were delivered.

    Leased rows wait in a queue (up to ``_AHEAD`` rounds' worth with those in flight) so a slot an answer frees
    is taken at once. The database is reached from one thread of its own, one transaction at a time: each writes
    the answers that came in meanwhile and leases the rows the queue needs, so its rounds grow when the database
    is slow instead of holding the deliveries up. A worker that dies in between leaves its rows ``in_flight``
    until their lease runs out, then they are taken again (and the department, keyed by the application id,
    opens no second case).
    """
    width = svc.config.outbox_concurrency
    if executor is None:
        with cf.ThreadPoolExecutor(max_workers=width, thread_name_prefix="outbox") as pool:
            return _pipeline(svc, pool, width, limit or width * 16)
    return _pipeline(svc, executor, width, limit or width * 16)


def _pipeline(svc: Services, pool: cf.Executor, width: int, budget: int) -> int:
    queued: deque[_Leased] = deque()
    running: set[cf.Future[_Outcome]] = set()
    answered: list[_Outcome] = []
    exchange: cf.Future[tuple[int, list[_Leased]]] | None = None
    delivered = leased = 0
    more = True
    with cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db") as database:
        while True:
            want = min(_AHEAD * width - len(queued) - len(running), budget - leased) if more else 0
            idle = not (running or queued)
            if exchange is None and (len(answered) >= width // 2 or want >= width // 2
                                     or (idle and (answered or want > 0))):
                exchange = database.submit(_exchange, svc, answered, max(want, 0))
                answered, leased, asked = [], leased + max(want, 0), max(want, 0)
            while queued and len(running) < width:
                running.add(pool.submit(_call, svc, queued.popleft()))
            if exchange is None and not running:
                return delivered
            done, _ = cf.wait(running | ({exchange} if exchange else set()), return_when=cf.FIRST_COMPLETED)
            for future in done:
                if future is exchange:
                    written, got = exchange.result()
                    delivered, exchange = delivered + written, None
                    more = more and len(got) == asked
                    queued.extend(got)
                else:
                    running.discard(future)
                    answered.append(future.result())


def run_worker(svc: Services, stop: threading.Event, *, poll_seconds: float) -> None:
    """Drain the outbox until ``stop`` is set, waiting ``poll_seconds`` whenever nothing was due; every
    ``ZWT_APPLICATION_POLL_SECONDS`` also ask the department systems where their applications stand."""
    poll = StatusPoller(svc)
    with cf.ThreadPoolExecutor(max_workers=svc.config.outbox_concurrency, thread_name_prefix="outbox") as pool:
        while not stop.is_set():
            try:
                busy = drain_once(svc, pool)
                poll()
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
