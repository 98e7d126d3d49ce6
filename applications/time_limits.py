"""The promised time limit (承诺时限) of an application in working days, paused while a correction is pending.

The limit runs from the working day after acceptance (受理). A working day on which a correction was
pending at any moment (from the request to the day it was supplied) does not count, and while one is still
pending the due date moves day by day. Overdue: the due date has passed with no decision. Near due: at
most ``near_days`` working days are left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from .calendar import WorkingCalendar
from .model import Application, Pause

__all__ = ["TimeLimit", "time_limit", "CHINA_TZ", "NEAR_DUE_DAYS"]

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
NEAR_DUE_DAYS = 2


@dataclass(frozen=True)
class TimeLimit:
    """Where an application stands against its promised limit; ``unknown_years`` only counted weekends."""

    limit_days: int
    due: dt.date | None
    remaining_days: int | None
    paused: bool
    overdue: bool
    near_due: bool
    unknown_years: tuple[int, ...]


def _china_day(at: dt.datetime) -> dt.date:
    return at.astimezone(CHINA_TZ).date()


def _pause_skipper(pauses: tuple[Pause, ...]) -> Callable[[dt.date], bool]:
    spans = [(_china_day(p.start), None if p.end is None else _china_day(p.end)) for p in pauses]

    def paused(day: dt.date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in spans)
    return paused


def time_limit(app: Application, calendar: WorkingCalendar, now: dt.datetime, *,
               near_days: int = NEAR_DUE_DAYS) -> TimeLimit | None:
    """The application's time limit as of ``now``; None when its item promises none or it is not accepted yet."""
    if app.time_limit_days is None or app.accepted_at is None:
        return None
    start, today = _china_day(app.accepted_at), _china_day(now)
    skip = _pause_skipper(app.pauses)
    stop = _china_day(app.decided_at) if app.decided_at is not None else today
    remaining = app.time_limit_days - calendar.working_days_between(start, stop, skip=skip)
    open_pause = bool(app.pauses) and app.pauses[-1].end is None
    due = None if open_pause else calendar.add_working_days(start, app.time_limit_days, skip=skip)[0]
    undecided = app.decided_at is None
    overdue = undecided and due is not None and today > due
    near_due = undecided and not overdue and not open_pause and remaining <= near_days
    last = max(stop, due or stop)
    looked_at = (start + dt.timedelta(days=n) for n in range((last - start).days + 1))
    return TimeLimit(app.time_limit_days, due, remaining, open_pause, overdue, near_due,
                     calendar.unknown_years(looked_at))
