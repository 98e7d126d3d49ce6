"""Applications on record: the domain ``Application`` read from and written to its rows, one move at a time."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from applications import Actor, AgentAuthorisation, Application, Decision, Event, Pause, time_limit

from ..container import Services
from ..errors import NotFound
from ..models import ApplicationEventRow, ApplicationRow

__all__ = ["new_public_id", "seal_form", "open_form", "to_domain", "write_new", "write_move", "find_for_update",
           "refresh_due"]

_TABLE = "applications"


def new_public_id(prefix: str = "ap_") -> str:
    """An application's (or, with another ``prefix``, a neighbour's) opaque public id: no run of digits a
    privacy scan could mistake for a phone."""
    return prefix + uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))


def seal_form(public_id: str, form: dict[str, Any], svc: Services) -> tuple[bytes, int]:
    """The form data sealed for its row (it may hold an address, a family's circumstances)."""
    return svc.pii.encrypt(json.dumps(form, ensure_ascii=False, sort_keys=True), table=_TABLE, column="form",
                           row=public_id)


def open_form(row: ApplicationRow, svc: Services) -> dict[str, Any]:
    """The form data of a row."""
    found: dict[str, Any] = json.loads(svc.pii.decrypt(row.form_enc, row.form_key_version, table=_TABLE,
                                                       column="form", row=row.public_id))
    return found


def _when(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def to_domain(row: ApplicationRow, events: list[ApplicationEventRow], svc: Services, *,
              subject: str, form: Mapping[str, Any] | None = None) -> Application:
    """The domain application of a row and its events (``subject``: the applicant's account subject; ``form``:
    the row's form when the caller has already opened it, so it is decrypted once)."""
    agent = row.agent
    return Application(
        id=row.public_id, item_code=row.item_code, department=row.department_code, applicant_id=subject,
        form=open_form(row, svc) if form is None else form, submitted_at=row.submitted_at,
        time_limit_days=row.time_limit_days, state=row.state, agent=None if agent is None else AgentAuthorisation(
            agent["agent_id"], row.item_code, dt.datetime.fromisoformat(agent["granted_at"]),
            dt.datetime.fromisoformat(agent["expires_at"]), agent["evidence"]),
        accepted_at=row.accepted_at, decided_at=row.decided_at,
        decision=None if row.decision is None else Decision(**row.decision), delivery=row.delivery,
        resume_state=row.resume_state,
        pauses=tuple(Pause(dt.datetime.fromisoformat(start or ""), _when(end)) for start, end in row.pauses),
        events=tuple(Event(e.seq, e.move, e.from_state, e.to_state, Actor(e.actor_kind, e.actor_ref), e.at,
                           e.message, e.details) for e in events))


def _event_row(row_id: int, event: Event) -> ApplicationEventRow:
    return ApplicationEventRow(application_id=row_id, seq=event.seq, move=event.move, from_state=event.from_state,
                               to_state=event.to_state, actor_kind=event.actor.kind, actor_ref=event.actor.id,
                               at=event.at, message=event.message, details=dict(event.details))


def refresh_due(row: ApplicationRow, app: Application, svc: Services) -> None:
    """Store the due date the back office filters by (None until accepted and while a correction is pending)."""
    limit = time_limit(app, svc.applications.calendar, svc.clock.now())
    row.due_on = None if limit is None else limit.due
    if limit is not None and limit.unknown_years:
        svc.applications.warn_unknown(limit.unknown_years)


def write_new(sess: Session, row: ApplicationRow, app: Application, svc: Services) -> ApplicationEventRow:
    """Insert a new application and its first event, which is returned (the caller commits)."""
    sess.add(row)
    sess.flush()
    first = _event_row(row.id, app.events[0])
    sess.add(first)
    return first


def write_move(sess: Session, row: ApplicationRow, app: Application, event: Event, svc: Services) -> None:
    """Write the application after ``event`` onto its row and append the event (the caller commits)."""
    row.state, row.accepted_at, row.decided_at = app.state, app.accepted_at, app.decided_at
    row.decision = None if app.decision is None else {"outcome": app.decision.outcome, "reason": app.decision.reason,
                                                      "legal_basis": app.decision.legal_basis}
    row.delivery, row.resume_state, row.updated_at = app.delivery, app.resume_state, event.at
    row.pauses = [[p.start.isoformat(), None if p.end is None else p.end.isoformat()] for p in app.pauses]
    if event.move == "supply_correction":
        row.form_enc, row.form_key_version = seal_form(row.public_id, dict(app.form), svc)
    refresh_due(row, app, svc)
    sess.add(_event_row(row.id, event))


def find_for_update(sess: Session, public_id: str) -> tuple[ApplicationRow, list[ApplicationEventRow]]:
    """The row (locked on PostgreSQL) and its events; 404 when there is none."""
    row = sess.scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id).with_for_update())
    if row is None:
        raise NotFound()
    return row, events_of(sess, row)


def events_of(sess: Session, row: ApplicationRow) -> list[ApplicationEventRow]:
    """The row's timeline in order."""
    return list(sess.scalars(select(ApplicationEventRow).where(ApplicationEventRow.application_id == row.id)
                             .order_by(ApplicationEventRow.seq)))
