"""Public credit in handling (公共信用): the item's credit rule at pre-check and submission, the commitment
(信用承诺 → 容缺受理) an applicant in good standing signs to deliver materials later, and the commitments broken.

- **Pre-check** shows the rule's outcome (``services_catalog.credit_rules.evaluate``): the verdict, the standing
  it rests on, the materials that may be deferred (and the day they would be due), or the listing that refuses
  the item with its credit-repair route (信用修复). The platform down: ``unknown``, and full materials.
- **Submission** refuses a subject on a list the item restricts (403 ``credit_restricted``: nothing is written
  but the look-up in the citizen's access log). A ``commitment`` in the body defers materials the outcome
  allows; anything else about it is a 422 naming the field. The application's ``ApplicationCredit`` row keeps
  the outcome (only that: a department never sees the record) and what is owed, due
  ``credit_rule.commitment_days`` working days after submission (the applications' working-day calendar).
- **Delivery** of an owed material (``deliver``) goes through the same material forms as submission
  (``materials.prepare``: license, shared data, library file) and closes that obligation.
- **The sweep** (``sweep``: the worker's loop and ``flask credit sweep-commitments``) breaks what is still owed
  after its due day; ``report`` then tells the credit platform (``record_broken_commitment``, idempotent by the
  commitment id) durably: the row stays ``pending`` and is retried with the outbox's backoff until the platform
  takes it, so an outage delays the report and never loses it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from applications.states import NOT_ACCEPTED, WITHDRAWN
from services_catalog.credit import BrokenCommitment
from services_catalog.credit_rules import RuleOutcome, StandingState, Verdict
from services_catalog.items import ServiceItem
from wallet.issuer import china_day

from ..catalog.repository import load_item, row_by_impl_code
from ..container import Services
from ..credit import CreditUnavailable, credit_standing_for, record_broken_commitment
from ..db import session
from ..errors import Conflict, Forbidden, ValidationFailed, field_error
from ..models import Account, ApplicationCredit, ApplicationRow, MessageRow
from . import materials as application_materials
from .retry import LEASE_SECONDS, backoff_seconds

__all__ = ["CreditRestricted", "CreditPlan", "pre_check_view", "check", "record", "add_to_view", "deliver",
           "sweep", "report", "run_once", "run_sweeper"]

log = logging.getLogger("zwt.applications")

#: an application in one of these states owes nothing any more: its commitment lapses instead of breaking
_VOID_STATES = frozenset({NOT_ACCEPTED, WITHDRAWN})
_BATCH = 200


class CreditRestricted(Forbidden):
    """403: the applicant is on a list the item restricts; ``credit`` says which, why, and how to repair."""

    code = "credit_restricted"


@dataclass(frozen=True)
class CreditPlan:
    """What submission does about credit: the outcome, the materials deferred under a commitment, their due day."""

    outcome: RuleOutcome
    deferred: tuple[str, ...] = ()
    due_on: dt.date | None = None


def _due_day(item: ServiceItem, svc: Services) -> dt.date:
    """The day materials deferred today must be delivered by: the rule's working days after today (China)."""
    day, _ = svc.applications.calendar.add_working_days(china_day(svc.clock.now()), item.credit_rule.commitment_days)
    return day


def _outcome(account: Account, item: ServiceItem, svc: Services) -> RuleOutcome:
    """The item's rule applied to the applicant's standing; the look-up's log entry committed at once, so it
    stays whatever the request does next."""
    outcome = credit_standing_for(account, item.credit_rule, svc=svc, impl_code=item.impl_code)
    if item.credit_rule.needs_standing:
        session().commit()
    return outcome


def pre_check_view(account: Account, item: ServiceItem, *, svc: Services) -> dict[str, Any]:
    """The pre-check's ``credit`` section: the outcome and, when a commitment is allowed, its period and due day."""
    outcome = _outcome(account, item, svc)
    out = outcome.to_dict()
    out["commitment"] = None if not outcome.deferrable else {
        "days": item.credit_rule.commitment_days, "due": _due_day(item, svc).isoformat()}
    return out


def check(account: Account, item: ServiceItem, requested: Mapping[str, Any] | None, *, svc: Services) -> CreditPlan:
    """The credit step of submission: refuse a restricted subject (403), check the commitment asked for (422
    naming the field), and return what is deferred and until when."""
    outcome = _outcome(account, item, svc)
    if outcome.verdict is Verdict.REFUSED:
        listing = outcome.refused_by[0]
        raise CreditRestricted(params={"list_name": listing.list_name}, extra={"credit": outcome.to_dict()})
    if requested is None:
        return CreditPlan(outcome)
    if not requested.get("accepted"):
        raise ValidationFailed.field("commitment.accepted", "commitment_not_accepted")
    if outcome.verdict is not Verdict.COMMITMENT_ALLOWED:
        raise ValidationFailed(errors=[field_error("commitment", "commitment_not_allowed")],
                               extra={"credit": outcome.to_dict()})
    names: Sequence[str] = requested.get("materials") or ()
    wrong = [field_error(f"commitment.materials[{i}]", "not_deferrable") for i, name in enumerate(names)
             if name not in outcome.deferrable]
    if wrong:
        raise ValidationFailed(errors=wrong, extra={"credit": outcome.to_dict()})
    return CreditPlan(outcome, tuple(dict.fromkeys(names)), _due_day(item, svc))


def _message(sess: Session, row: ApplicationRow, kind: str, title: str, body: str, at: dt.datetime) -> MessageRow:
    message = MessageRow(account_id=row.account_id, application_id=row.id, kind=kind, title=title, body=body,
                         created_at=at)
    sess.add(message)
    return message


def _listed(names: Sequence[str]) -> str:
    return "、".join(f"“{name}”" for name in names)


def record(sess: Session, row: ApplicationRow, plan: CreditPlan, svc: Services) -> MessageRow | None:
    """Keep the outcome (when the rule asked the platform) and the commitment with the new application (flushed);
    the commitment's message, if one was left."""
    if plan.outcome.standing is StandingState.NOT_CHECKED:
        return None
    now, message = svc.clock.now(), None
    credit = ApplicationCredit(application_id=row.id, account_id=row.account_id, verdict=plan.outcome.verdict.value,
                               standing=plan.outcome.standing.value, reason=plan.outcome.reason, checked_at=now,
                               owed=list(plan.deferred), delivered=[], report_attempts=0, report_error="")
    if plan.deferred:
        credit.commitment_id, credit.state, credit.due_on = f"cmt-{row.public_id}", "owed", plan.due_on
        message = _message(
            sess, row, "commitment_signed", "已签署信用承诺",
            f"您的“{row.item_name}”申请（办件号 {row.public_id}）已按信用承诺容缺受理，请于 {plan.due_on} 前补交"
            f"{_listed(plan.deferred)}；逾期未补交将作为承诺未履行记入公共信用记录。", now)
    sess.add(credit)
    return message


def _credit_of(sess: Session, row: ApplicationRow, *, for_update: bool = False) -> ApplicationCredit | None:
    query = select(ApplicationCredit).where(ApplicationCredit.application_id == row.id)
    return sess.scalar(query.with_for_update() if for_update else query)


def _outstanding(credit: ApplicationCredit) -> list[str]:
    return [name for name in credit.owed if name not in credit.delivered]


def add_to_view(out: dict[str, Any], row: ApplicationRow) -> None:
    """Add the application's ``credit`` (the outcome and the commitment; never the record) to its view, and the
    owed materials to what is due while the commitment is open."""
    credit = _credit_of(session(), row)
    if credit is None:
        out["credit"] = None
        return
    commitment = None
    if credit.commitment_id is not None:
        commitment = {"id": credit.commitment_id, "materials": list(credit.owed), "delivered": list(credit.delivered),
                      "outstanding": _outstanding(credit), "due": credit.due_on, "state": credit.state,
                      "closed_at": credit.closed_at, "reported": credit.report_state == "reported"}
    out["credit"] = {"verdict": credit.verdict, "standing": credit.standing, "reason": credit.reason,
                     "checked_at": credit.checked_at, "commitment": commitment}
    if credit.state == "owed":
        out["due"] = [*out.get("due", []), {"action": "deliver_owed_materials", "materials": _outstanding(credit),
                                            "due": credit.due_on}]


def deliver(account: Account, row: ApplicationRow, chosen: Mapping[str, Any], *, svc: Services) -> None:
    """Deliver owed materials of one of the citizen's applications (``materials``: which, default all still owed;
    ``consent`` and ``uploads`` as at submission); the commitment is fulfilled when nothing is left owed."""
    sess, now = session(), svc.clock.now()
    credit = _credit_of(sess, row, for_update=True)
    if credit is None or credit.state != "owed":
        raise Conflict("nothing_owed", extra={"commitment_state": None if credit is None else credit.state})
    assert credit.due_on is not None
    if china_day(now) > credit.due_on:
        raise Conflict("commitment_overdue", params={"due": credit.due_on.isoformat()},
                       extra={"due": credit.due_on.isoformat()})
    outstanding = _outstanding(credit)
    wanted = list(dict.fromkeys(chosen.get("materials") or outstanding))
    wrong = [field_error(f"materials[{i}]", "not_owed") for i, name in enumerate(wanted) if name not in outstanding]
    if wrong:
        raise ValidationFailed(errors=wrong)
    item_row = row_by_impl_code(sess, row.item_code)
    item = load_item(item_row) if item_row is not None else None
    known = set() if item is None else {m.name for m in item.materials}
    if item is None or not set(wanted) <= known:
        raise ValidationFailed(errors=[field_error(f"materials.{n}", "unknown_material") for n in wanted
                                       if n not in known])
    prepared = application_materials.prepare(account, item, row.public_id, chosen, svc=svc, rt=svc.wallet,
                                             skip=tuple(known - set(wanted)))
    missing = [name for name in wanted if name not in {p["name"] for p in prepared}]
    if missing:  # a material the item no longer lets be delivered online
        raise ValidationFailed(errors=[field_error(f"materials.{n}", "material_missing") for n in missing])
    application_materials.keep(sess, row, prepared)
    credit.delivered = [*credit.delivered, *wanted]
    left = _outstanding(credit)
    if not left:
        credit.state, credit.closed_at = "fulfilled", now
    _message(sess, row, "owed_delivered" if left else "commitment_fulfilled",
             "已补交承诺材料" if left else "信用承诺已履行",
             f"您的“{row.item_name}”申请（办件号 {row.public_id}）已补交{_listed(wanted)}"
             + (f"；仍需于 {credit.due_on} 前补交{_listed(left)}。" if left else "，信用承诺已履行。"), now)
    row.updated_at = now
    sess.commit()


def sweep(svc: Services) -> int:
    """Break every commitment still owed after its due day (one of a withdrawn or refused application lapses);
    each broken one is queued for the credit platform. How many broke."""
    sess, now = session(), svc.clock.now()
    query = (select(ApplicationCredit, ApplicationRow)
             .join(ApplicationRow, ApplicationRow.id == ApplicationCredit.application_id)
             .where(ApplicationCredit.state == "owed", ApplicationCredit.due_on < china_day(now))
             .order_by(ApplicationCredit.id).limit(_BATCH))
    if svc.db.dialect == "postgresql":
        query = query.with_for_update(skip_locked=True, of=ApplicationCredit)
    broken = 0
    for credit, row in sess.execute(query).all():
        credit.closed_at = now
        if row.state in _VOID_STATES:
            credit.state = "lapsed"
            continue
        credit.state, credit.report_state, credit.next_report_at = "broken", "pending", now
        _message(sess, row, "commitment_broken", "信用承诺未履行",
                 f"您的“{row.item_name}”申请（办件号 {row.public_id}）承诺于 {credit.due_on} 前补交的"
                 f"{_listed(_outstanding(credit))}未补交，已作为承诺未履行记入公共信用记录。", now)
        broken += 1
    sess.commit()
    return broken


def _lease(sess: Session, svc: Services) -> list[int]:
    """Take the broken commitments due for a report (a lease: a worker dying mid-way leaves them to another)."""
    now = svc.clock.now()
    query = (select(ApplicationCredit).where(ApplicationCredit.report_state == "pending",
                                             ApplicationCredit.next_report_at <= now)
             .order_by(ApplicationCredit.next_report_at, ApplicationCredit.id).limit(_BATCH))
    if svc.db.dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(sess.scalars(query))
    for credit in rows:
        credit.next_report_at = now + dt.timedelta(seconds=LEASE_SECONDS)
    ids = [credit.id for credit in rows]
    sess.commit()
    return ids


def _broken(sess: Session, credit: ApplicationCredit, row: ApplicationRow) -> BrokenCommitment:
    item_row = row_by_impl_code(sess, row.item_code)
    authority = load_item(item_row).department_name if item_row is not None else ""
    assert credit.commitment_id is not None and credit.due_on is not None
    return BrokenCommitment(commitment_id=credit.commitment_id, impl_code=row.item_code, item_name=row.item_name,
                            materials=tuple(_outstanding(credit)), due=credit.due_on,
                            authority=authority or "青岛市政务服务平台")


def report(svc: Services) -> int:
    """Report the broken commitments due to the credit platform; a refusal or outage waits the outbox's backoff
    and is tried again. How many the platform took."""
    sess, taken = session(), 0
    for credit_id in _lease(sess, svc):
        credit = sess.get(ApplicationCredit, credit_id)
        row = None if credit is None else sess.get(ApplicationRow, credit.application_id)
        account = None if row is None else sess.get(Account, row.account_id)
        if credit is None or row is None or account is None or credit.report_state != "pending":
            continue
        try:
            number = record_broken_commitment(account, _broken(sess, credit, row), svc=svc)
        except (CreditUnavailable, Forbidden) as exc:
            sess.rollback()
            credit = sess.get(ApplicationCredit, credit_id)
            assert credit is not None
            credit.report_attempts += 1
            credit.report_error = f"{exc.code}: {exc.extra.get('reason', '')}"[:200]
            credit.next_report_at = svc.clock.now() + dt.timedelta(
                seconds=backoff_seconds(credit.report_attempts, svc.config.outbox_backoff_seconds))
            log.warning("broken commitment not reported yet", extra={
                "commitment": credit.commitment_id, "attempts": credit.report_attempts})
            sess.commit()
            continue
        credit.report_state, credit.record_no, credit.report_error = "reported", number, ""
        credit.report_attempts += 1
        sess.commit()
        taken += 1
    return taken


def run_once(app: Flask) -> tuple[int, int]:
    """One round in its own app context: (commitments broken, reports the platform took)."""
    with app.app_context():
        svc: Services = app.extensions["zwt"]
        return sweep(svc), report(svc)


def run_sweeper(app: Flask, stop: threading.Event, *, every_seconds: float) -> None:
    """The worker's commitment round every ``every_seconds`` until ``stop`` is set (a failed round is logged)."""
    while not stop.is_set():
        try:
            run_once(app)
        except Exception:  # the database is away: log, wait, try again; the rows are still there
            log.exception("commitment sweep failed")
        stop.wait(every_seconds)
