"""Use cases of online handling: apply, take a step (citizen, back-office staff or the department's system),
and read an application as the citizen sees it. Views call these with plain values.

Submission writes the application, its first event, its message and, for a department whose system takes
applications (``ApplicationIntake``), an outbox row, all in one transaction; the department is reached by the
worker (``zwt.applications.outbox``), never inside the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from applications import (
    Actor,
    Application,
    ApplicationError,
    FormInvalid,
    IllegalMove,
    MoveRefused,
    apply_move,
    check_form,
    legal_moves,
    new_application,
    time_limit,
)
from applications.states import APPLICANT, FINAL_STATES, STATES
from services_catalog.items import ServiceItem
from services_catalog.ports import ApplicationIntake

from ..audit import access_denied
from ..auth.levels import LEVEL_NAMES
from ..catalog.repository import load_item, published_item, row_by_impl_code
from ..container import Services, services
from ..db import session
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from ..models import Account, ApplicationEventRow, ApplicationRow, MessageRow, OutboxRow
from . import agents, commitments
from . import materials as application_materials
from . import messages, result
from .store import events_of, find_for_update, new_public_id, seal_form, to_domain, write_move, write_new

__all__ = ["Submitted", "submit", "citizen_move", "department_row", "department_move", "mine", "detail_for",
           "application_view", "refused", "takes_applications", "online_item", "require_application_level"]


def refused(exc: ApplicationError) -> ValidationFailed | Conflict:
    """The problem of a domain refusal: 422 naming each field at fault, 409 naming the legal moves."""
    if isinstance(exc, FormInvalid):
        return ValidationFailed(errors=[field_error(p.field, p.code) for p in exc.problems])
    if isinstance(exc, IllegalMove):
        return Conflict("illegal_move", params={"move": exc.move, "state": exc.state},
                        extra={"state": exc.state, "legal_moves": list(exc.legal)})
    if isinstance(exc, MoveRefused):
        return ValidationFailed(errors=[field_error(exc.field, exc.code)])
    return ValidationFailed.field("body", "invalid")


def takes_applications(department: str, svc: Services) -> bool:
    """Whether the department's own system takes applications (else its staff work from the back office)."""
    found = svc.departments.get(department)
    return found is not None and isinstance(found.adapter, ApplicationIntake)


def online_item(impl_code: str) -> ServiceItem:
    """The published item ``impl_code`` taking online applications; else a 422 naming ``impl_code``."""
    item = published_item(session(), impl_code, services().catalog.items)
    if item is None:
        raise ValidationFailed.field("impl_code", "unknown_service_item")
    if not item.accepts_online:
        raise ValidationFailed.field("impl_code", "not_online")
    return item


def require_application_level(account: Account, svc: Services) -> None:
    """403 ``proofing_level_too_low`` below ``ZWT_APPLICATION_LEVEL`` (to apply, or to authorise an agent)."""
    if account.proofing_level < svc.config.application_level:
        raise Forbidden("proofing_level_too_low",
                        params={"required": svc.config.application_level, "level": account.proofing_level},
                        extra={"required_level": LEVEL_NAMES[svc.config.application_level]})


@dataclass(frozen=True)
class Submitted:
    """A new application's row and the rows the citizen's answer shows: its first step and its messages, in order."""

    row: ApplicationRow
    event: ApplicationEventRow
    messages: tuple[MessageRow, ...]


def submit(account: Account, impl_code: str, form: Mapping[str, Any], *, svc: Services,
           materials: Mapping[str, Any] | None = None, commitment: Mapping[str, Any] | None = None,
           on_behalf_of: str | None = None) -> Submitted:
    """Apply for a published item that accepts online applications; needs ``ZWT_APPLICATION_LEVEL``.

    With ``on_behalf_of`` the account applies as the agent of the holder whose authorisation it names; the
    holder is the applicant. The item's credit rule is applied to the applicant (``commitments.check``: a
    restricted subject refused; ``commitment`` defers the materials it names). The pre-check runs first whenever
    the item declares how its materials are satisfied, with ``materials`` (consent and library files per
    material) or without any choices, and its outcome is kept: nothing reaches the department short of a
    material it needs, and what is short is named in the 422 (or the 409 of a department still answering).

    Everything is written in the caller's transaction, which commits: the view reads the new rows before the
    commit, so the answer costs no second read of what was just written."""
    require_application_level(account, svc)
    item = online_item(impl_code)
    try:
        accepted = check_form(item.form_fields, form)
    except FormInvalid as exc:
        raise refused(exc) from None
    now, public_id = svc.clock.now(), new_public_id()
    # 代办: the applicant is the holder when an agent applies under their authorisation (zwt.applications.agents)
    acting = agents.acting_for(account, on_behalf_of, item.impl_code, at=now, materials=materials, svc=svc)
    applicant = acting.applicant
    plan = commitments.check(applicant, item, commitment, svc=svc)
    kept = None
    if materials is not None or application_materials.required(item, skip=plan.deferred):
        kept = application_materials.prepare(applicant, item, public_id, materials or {}, svc=svc, rt=svc.wallet,
                                             skip=plan.deferred)
    app = new_application(id=public_id, item_code=item.impl_code, department=item.department_code,
                          applicant_id=applicant.subject, form=accepted, at=now,
                          time_limit_days=item.promised_time_limit, actor=acting.actor, agent=acting.agent)
    system = takes_applications(item.department_code, svc)
    sealed, version = seal_form(public_id, accepted, svc)
    row = ApplicationRow(public_id=public_id, item_code=item.impl_code, item_name=item.name,
                         department_code=item.department_code, account_id=applicant.id, agent=acting.record,
                         state=app.state,
                         form_enc=sealed, form_key_version=version, time_limit_days=item.promised_time_limit,
                         submitted_at=now, updated_at=now, pauses=[], channel="system" if system else "back_office",
                         delivery_state="queued" if system else "back_office")
    sess = session()
    first = write_new(sess, row, app, svc)
    agents.applied(sess, acting, row, by=account, svc=svc)
    signed = commitments.record(sess, row, plan, svc)
    if kept is not None:
        application_materials.keep(sess, row, kept)
    if system:
        sess.add(OutboxRow(application_id=row.id, department_code=item.department_code, status="pending",
                           attempts=0, next_attempt_at=now, last_error="", created_at=now, updated_at=now))
    message = messages.post_for(sess, row, app.events[0], svc)
    sess.flush()
    return Submitted(row, first, (message,) if signed is None else (signed, message))


def _move(row: ApplicationRow, events: list[ApplicationEventRow], actor: Actor, move: str, subject: str,
          svc: Services, sess: Session | None = None, **kwargs: Any) -> Application:
    sess = sess if sess is not None else session()
    before = to_domain(row, events, svc, subject=subject)
    try:
        after, event = apply_move(before, move, actor, svc.clock.now(), **kwargs)
    except ApplicationError as exc:
        raise refused(exc) from None
    write_move(sess, row, after, event, svc)
    if event.actor.kind != APPLICANT:  # the department's steps, and an agent's
        messages.post_for(sess, row, event, svc)
    return after


def citizen_move(account: Account, public_id: str, move: str, *, svc: Services,
                 form: Mapping[str, Any] | None = None) -> ApplicationRow:
    """Withdraw, or supply a correction (the corrected form fields, checked against the item's form); by the
    applicant, or by the agent who made it while their authorisation covers it."""
    sess = session()
    row, events = find_for_update(sess, public_id)
    acting = agents.acting_on(account, row, svc=svc)
    if acting is None:
        access_denied("application", account)
        raise NotFound()
    checked = None
    if form is not None:
        item_row = row_by_impl_code(sess, row.item_code)
        fields = load_item(item_row).form_fields if item_row is not None else ()
        try:
            checked = check_form(fields, form, partial=True)
        except FormInvalid as exc:
            raise refused(exc) from None
    actor, applicant_subject = acting
    _move(row, events, actor, move, applicant_subject, svc, form=checked)
    sess.commit()
    return row


def department_row(public_id: str, actor: Actor, staff: Account | None) -> ApplicationRow:
    """One of the department's applications (404, audited, for another department's)."""
    row = session().scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id))
    if row is None or row.department_code != actor.department:
        if staff is not None and row is not None:
            access_denied("application", staff)
        raise NotFound()
    return row


def department_move(public_id: str, actor: Actor, move: str, *, svc: Services, staff: Account | None = None,
                    sess: Session | None = None, **kwargs: Any) -> ApplicationRow:
    """A step by the department (its staff, its system's signed callback, or its answer to the worker's status
    poll), fenced to its own applications; ``sess`` where there is no request (the worker).

    An approval of an item whose result is a wallet license issues it in the same transaction.
    """
    sess = sess if sess is not None else session()
    row = sess.scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id).with_for_update())
    if row is None or row.department_code != actor.department:
        if staff is not None and row is not None:
            access_denied("application", staff)
        raise NotFound()
    applicant = sess.get(Account, row.account_id)
    assert applicant is not None
    license_fields = kwargs.pop("license_fields", None)
    after = _move(row, events_of(sess, row), actor, move, applicant.subject, svc, sess, **kwargs)
    if move == "decide" and after.decision is not None and after.decision.outcome == "approved":
        row.result_license = result.issue_result(row, applicant, license_fields or {}, svc=svc, sess=sess)
    sess.commit()
    return row


def mine(account: Account, *, state: str | None) -> list[ApplicationRow]:
    """The account's applications, newest first."""
    query = select(ApplicationRow).where(ApplicationRow.account_id == account.id)
    if state:
        query = query.where(ApplicationRow.state == state)
    return list(session().scalars(query.order_by(ApplicationRow.id.desc()).limit(200)))


def detail_for(account: Account, public_id: str, *, svc: Services | None = None) -> ApplicationRow:
    """One of the account's applications, or with ``svc`` also one it made as an agent still authorised
    (404 for anyone else's, audited)."""
    row = session().scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id))
    if row is None:
        raise NotFound()
    if row.account_id != account.id and (svc is None or agents.acting_on(account, row, svc=svc) is None):
        access_denied("application", account)
        raise NotFound()
    return row


def application_view(row: ApplicationRow, svc: Services, *, subject: str, full: bool,
                     known: Submitted | None = None) -> dict[str, Any]:
    """An application as the API shows it: state, time limit, what is due; ``full`` adds timeline and messages.

    ``known``: the rows a submission just wrote, which are the whole timeline and message list, so nothing is
    read back."""
    sess = session()
    events = [known.event] if known is not None else events_of(sess, row)
    app = to_domain(row, events, svc, subject=subject)
    limit = time_limit(app, svc.applications.calendar, svc.clock.now())
    if limit is not None and limit.unknown_years:
        svc.applications.warn_unknown(limit.unknown_years)
    out: dict[str, Any] = {
        "id": row.public_id, "impl_code": row.item_code, "item_name": row.item_name,
        "department_code": row.department_code, "state": row.state, "state_label": STATES[row.state],
        "submitted_at": row.submitted_at, "updated_at": row.updated_at, "channel": row.channel,
        "delivery_state": row.delivery_state, "decision": row.decision, "delivery": row.delivery,
        "result_license_id": row.result_license,
        "time_limit": None if limit is None else {
            "days": limit.limit_days, "due": limit.due, "remaining_days": limit.remaining_days,
            "paused": limit.paused, "overdue": limit.overdue, "near_due": limit.near_due,
            "calendar_warning": [f"{y} 年节假日安排未知，仅按周末计算" for y in limit.unknown_years]},
        "due": _due(app, row),
        "agent": agents.agent_view(row),
    }
    commitments.add_to_view(out, row)
    if full:
        out["form"] = dict(app.form)
        out["timeline"] = [{"seq": e.seq, "move": e.move, "from_state": e.from_state or None,
                            "to_state": e.to_state, "actor": e.actor_kind, "at": e.at, "message": e.message,
                            "details": e.details} for e in events]
        notes = known.messages if known is not None else sess.scalars(
            select(MessageRow).where(MessageRow.application_id == row.id).order_by(MessageRow.id))
        out["messages"] = [messages.message_view(m, row.public_id) for m in notes]
    return out


def _due(app: Application, row: ApplicationRow) -> list[dict[str, Any]]:
    """What the citizen may or must do now: supply the correction the department asked for, or withdraw."""
    if row.state in FINAL_STATES:
        return []
    due = []
    for move in legal_moves(app.state, "applicant"):
        entry: dict[str, Any] = {"action": move}
        if move == "supply_correction":
            asked = next((e for e in reversed(app.events) if e.move == "request_correction"), None)
            entry["message"] = asked.message if asked is not None else ""
        due.append(entry)
    return due
