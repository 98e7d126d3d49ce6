"""Use cases of service ratings: rate or change a rating, answer a follow-up, respond to the answer.

The national five levels (5 非常满意 … 1 非常不满意); 2 and 1 are bad and open a follow-up the department
must answer within ``ZWT_RATING_FOLLOW_UP_DAYS`` working days of the applications calendar. A rating is given
once per application, after its conclusion, and may be changed for ``CHANGE_WINDOW`` after it was first given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ..audit import access_denied
from ..container import Services
from ..db import session
from ..errors import Conflict, NotFound
from ..masking import mask_in_text
from ..models import Account, ApplicationRow, RatingRow
from .stats import bump_generation

__all__ = ["LEVELS", "BAD_LEVEL", "CHANGE_WINDOW", "rate", "rating_of", "answer", "respond", "follow_ups",
           "rating_view", "local_today"]

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_LEVEL = 2  # this level or worse opens a follow-up
CHANGE_WINDOW = dt.timedelta(days=7)
_CHINA = dt.timezone(dt.timedelta(hours=8))


def local_today(svc: Services) -> dt.date:
    """Today in the city (working days and due dates are counted in local dates)."""
    return svc.clock.now().astimezone(_CHINA).date()


def _application(account: Account, public_id: str) -> ApplicationRow:
    row = session().scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id))
    if row is None or row.account_id != account.id:
        if row is not None:
            access_denied("application", account)
        raise NotFound()
    return row


def rate(account: Account, public_id: str, *, level: int, tags: list[str], comment: str,
         svc: Services) -> tuple[RatingRow, bool]:
    """Rate a concluded application of ``account``, or change its rating inside the window; True when new."""
    sess = session()
    app = _application(account, public_id)
    if app.state != "concluded":
        raise Conflict("not_concluded", params={"state": app.state}, extra={"state": app.state})
    now = svc.clock.now()
    row = sess.scalar(select(RatingRow).where(RatingRow.application_id == app.id).with_for_update())
    created = row is None
    if row is None:
        row = RatingRow(application_id=app.id, account_id=account.id, item_code=app.item_code,
                        department_code=app.department_code, rated_at=now)
        sess.add(row)
    elif now > row.rated_at + CHANGE_WINDOW:
        raise Conflict("rating_window_closed", params={"days": CHANGE_WINDOW.days},
                       extra={"changeable_until": (row.rated_at + CHANGE_WINDOW).isoformat()})
    row.level, row.tags, row.comment, row.changed_at = level, list(tags), mask_in_text(comment), now
    if level <= BAD_LEVEL and row.follow_up is None:
        row.follow_up = "open"
        row.follow_up_due, _ = svc.applications.calendar.add_working_days(local_today(svc),
                                                                          svc.config.rating_follow_up_days)
    sess.commit()
    bump_generation(svc)  # after the commit, so no node caches the old counts under the new generation
    return row, created


def rating_of(account: Account, public_id: str) -> RatingRow:
    """The rating of one of ``account``'s applications (404 when it has none)."""
    app = _application(account, public_id)
    row = session().scalar(select(RatingRow).where(RatingRow.application_id == app.id))
    if row is None:
        raise NotFound()
    return row


def _follow_up_for(staff: Account, public_id: str) -> tuple[RatingRow, ApplicationRow]:
    """A follow-up of the staff's department, by its application's public id (404 for any other, audited)."""
    sess = session()
    app = sess.scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id))
    if app is None or app.department_code != (staff.department_code or ""):
        if app is not None:
            access_denied("application", staff)
        raise NotFound()
    row = sess.scalar(select(RatingRow).where(RatingRow.application_id == app.id).with_for_update())
    if row is None or row.follow_up is None:
        raise NotFound()
    return row, app


def answer(staff: Account, public_id: str, text: str, *, svc: Services) -> tuple[RatingRow, ApplicationRow]:
    """The department's answer to a follow-up (once; an answered follow-up is 409)."""
    row, app = _follow_up_for(staff, public_id)
    if row.follow_up != "open":
        raise Conflict("follow_up_answered", params={"state": row.follow_up}, extra={"state": row.follow_up})
    row.answer, row.answered_at, row.follow_up = mask_in_text(text), svc.clock.now(), "answered"
    session().commit()
    return row, app


def respond(account: Account, public_id: str, text: str, *, satisfied: bool, svc: Services) -> RatingRow:
    """The citizen's response to the department's answer (once)."""
    row = rating_of(account, public_id)
    if row.follow_up != "answered":
        raise Conflict("follow_up_not_answered", params={"state": row.follow_up or "none"},
                       extra={"state": row.follow_up})
    row.response, row.responded_at = mask_in_text(text), svc.clock.now()
    row.follow_up = "resolved" if satisfied else "unresolved"
    session().commit()
    return row


def follow_ups(staff: Account, *, state: str | None, overdue: bool | None, svc: Services
               ) -> list[tuple[RatingRow, ApplicationRow]]:
    """The department's follow-ups, soonest due first; ``overdue`` keeps the open ones past their due date."""
    query = (select(RatingRow, ApplicationRow).join(ApplicationRow, ApplicationRow.id == RatingRow.application_id)
             .where(RatingRow.department_code == (staff.department_code or ""), RatingRow.follow_up.is_not(None)))
    if state:
        query = query.where(RatingRow.follow_up == state)
    if overdue:
        query = query.where(RatingRow.follow_up == "open", RatingRow.follow_up_due < local_today(svc))
    rows = session().execute(query.order_by(RatingRow.follow_up_due, RatingRow.id).limit(500))
    return [(r, a) for r, a in rows]


def rating_view(row: RatingRow, app: ApplicationRow, svc: Services) -> dict[str, Any]:
    """A rating as its applicant and the department see it: no name, no account, the comment screened."""
    today = local_today(svc)
    follow_up = None if row.follow_up is None else {
        "state": row.follow_up, "due": row.follow_up_due.isoformat() if row.follow_up_due else None,
        "overdue": row.follow_up == "open" and row.follow_up_due is not None and row.follow_up_due < today,
        "answer": row.answer, "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "response": row.response, "responded_at": row.responded_at.isoformat() if row.responded_at else None}
    return {"application_id": app.public_id, "impl_code": row.item_code, "item_name": app.item_name,
            "department_code": row.department_code, "level": row.level, "level_label": LEVELS[row.level],
            "tags": list(row.tags), "comment": row.comment, "rated_at": row.rated_at.isoformat(),
            "changed_at": row.changed_at.isoformat(),
            "changeable_until": (row.rated_at + CHANGE_WINDOW).isoformat(), "follow_up": follow_up}
