"""Promised time limits in working days: the 调休 calendar, a paused correction, overdue and near-due flags."""

from __future__ import annotations

import datetime as dt

from applications import Actor, WorkingCalendar, apply_move, new_application, time_limit

CN = dt.timezone(dt.timedelta(hours=8))
STAFF = Actor("staff", "s", "police")
CITIZEN = Actor("applicant", "a")


def accepted_on(day: dt.date, limit: int):
    at = dt.datetime.combine(day, dt.time(10), CN)
    app = new_application(id="x", item_code="I", department="police", applicant_id="a", form={}, at=at,
                          time_limit_days=limit, actor=CITIZEN)
    return apply_move(app, "accept", STAFF, at)[0]


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), CN)


def test_make_up_saturday_counts_and_the_holiday_does_not():
    """Accepted Thu 2026-09-17 with 3 days: Fri 18th, Sun 20th (调休), Mon 21st."""
    limit = time_limit(accepted_on(dt.date(2026, 9, 17), 3), WorkingCalendar(), moment(dt.date(2026, 9, 17)))
    assert limit.due == dt.date(2026, 9, 21) and limit.remaining_days == 3 and limit.unknown_years == ()


def test_national_day_week_is_skipped():
    """Accepted Wed 2026-09-30 with 2 days: the holiday runs to 7 Oct, so Thu 8th and Fri 9th."""
    limit = time_limit(accepted_on(dt.date(2026, 9, 30), 2), WorkingCalendar(), moment(dt.date(2026, 9, 30)))
    assert limit.due == dt.date(2026, 10, 9)


def test_correction_pauses_the_limit():
    """A correction pending Tue to Thu moves the due date by those three working days."""
    app = accepted_on(dt.date(2026, 3, 2), 5)  # Monday; without a pause due Monday 9 March
    plain = time_limit(app, WorkingCalendar(), moment(dt.date(2026, 3, 2)))
    assert plain.due == dt.date(2026, 3, 9)
    app, _ = apply_move(app, "request_correction", STAFF, moment(dt.date(2026, 3, 3)), message="补充")
    pending = time_limit(app, WorkingCalendar(), moment(dt.date(2026, 3, 4)))
    assert pending.paused and pending.due is None and pending.remaining_days == 5 and not pending.overdue
    app, _ = apply_move(app, "supply_correction", CITIZEN, moment(dt.date(2026, 3, 5)))
    resumed = time_limit(app, WorkingCalendar(), moment(dt.date(2026, 3, 6)))
    assert resumed.due == dt.date(2026, 3, 12) and resumed.remaining_days == 4 and not resumed.paused


def test_overdue_and_near_due():
    """Two working days left is near due; past the due date undecided is overdue; a decision stops the clock."""
    app = accepted_on(dt.date(2026, 3, 2), 5)
    assert not time_limit(app, WorkingCalendar(), moment(dt.date(2026, 3, 4))).near_due
    near = time_limit(app, WorkingCalendar(), moment(dt.date(2026, 3, 5)))
    assert near.near_due and near.remaining_days == 2
    late = time_limit(app, WorkingCalendar(), moment(dt.date(2026, 3, 11)))
    assert late.overdue and late.remaining_days == -2
    decided, _ = apply_move(app, "decide", STAFF, moment(dt.date(2026, 3, 6)), outcome="approved")
    done = time_limit(decided, WorkingCalendar(), moment(dt.date(2026, 3, 20)))
    assert not done.overdue and not done.near_due and done.remaining_days == 1


def test_unknown_year_is_reported():
    """A limit running into a year nobody published counts weekends only and names that year."""
    limit = time_limit(accepted_on(dt.date(2040, 12, 27), 5), WorkingCalendar(), moment(dt.date(2040, 12, 27)))
    assert limit.unknown_years == (2040, 2041)
    assert limit.due == dt.date(2041, 1, 3)


def test_not_accepted_yet_has_no_limit():
    """The clock starts at acceptance."""
    app = new_application(id="x", item_code="I", department="police", applicant_id="a", form={},
                          at=moment(dt.date(2026, 3, 2)), time_limit_days=5, actor=CITIZEN)
    assert time_limit(app, WorkingCalendar(), moment(dt.date(2026, 3, 9))) is None
