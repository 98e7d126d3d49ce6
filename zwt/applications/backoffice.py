"""The back office of a department without a system of its own: its staff's queue, fenced to the department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from applications.states import FINAL_STATES

from ..container import Services
from ..db import session
from ..models import Account, ApplicationRow

__all__ = ["queue"]


def queue(staff: Account, svc: Services, *, state: str | None, impl_code: str | None, due_before: dt.date | None,
          overdue: bool | None) -> list[ApplicationRow]:
    """The department's applications, soonest due first, then oldest; filtered by state, item and due date."""
    query = select(ApplicationRow).where(ApplicationRow.department_code == (staff.department_code or ""))
    if state:
        query = query.where(ApplicationRow.state == state)
    else:
        query = query.where(ApplicationRow.state.notin_(FINAL_STATES))
    if impl_code:
        query = query.where(ApplicationRow.item_code == impl_code)
    if due_before is not None:
        query = query.where(ApplicationRow.due_on <= due_before)
    if overdue:
        today = svc.clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        query = query.where(ApplicationRow.due_on < today, ApplicationRow.decided_at.is_(None))
    order: list[Any] = [ApplicationRow.due_on.is_(None), ApplicationRow.due_on, ApplicationRow.id]
    return list(session().scalars(query.order_by(*order).limit(500)))
