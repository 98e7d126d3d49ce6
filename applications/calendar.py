"""Working days in China: statutory holidays and make-up working days (调休), with the city's file first.

Where the facts come from, in order: the city's holiday file (it publishes each year's holidays every
December, and a file it drops in overrides everything for the years it covers), then the ``chinesecalendar``
library (``chinese_calendar``: the State Council's published holidays and make-up days, and an explicit
refusal for a year it has no data for), then, for a year neither knows, weekends only: such a year is
reported by ``unknown_years`` so the caller can show and log a warning.

``chinesecalendar`` rather than ``holidays``: both list the 2026 holidays and make-up days, but ``holidays``
extrapolates future years from rules without their make-up days, so a year nobody has published yet would
look known; ``chinesecalendar`` says it does not know.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Optional

import chinese_calendar

from .errors import CalendarFileInvalid

__all__ = ["WorkingCalendar", "CityCalendar", "parse_city_calendar", "library_is_workday", "weekend_only"]

# A source answers "is this a working day" for a date, or None when it does not know the date's year.
DaySource = Callable[[dt.date], Optional[bool]]


def library_is_workday(day: dt.date) -> bool | None:
    """The ``chinesecalendar`` answer for ``day``, or None when the library has no data for its year."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def weekend_only(day: dt.date) -> bool:
    """Monday to Friday: the answer for a year nobody has published."""
    return day.weekday() < 5


@dataclass(frozen=True)
class CityCalendar:
    """The city's published days off and make-up working days, for the ``years`` its file covers."""

    years: frozenset[int]
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    def is_workday(self, day: dt.date) -> bool | None:
        """The city's answer for ``day``, or None for a year its file does not cover."""
        if day.year not in self.years:
            return None
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return weekend_only(day)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days; ``city`` overrides ``library``, and weekends answer the rest."""

    city: CityCalendar | None = None
    library: DaySource = library_is_workday
    _memo: dict[dt.date, tuple[bool, bool]] = field(default_factory=dict, compare=False, repr=False)

    def _answer(self, day: dt.date) -> tuple[bool, bool]:
        """(is a working day, the year is known)."""
        found = self._memo.get(day)
        if found is None:
            known = self.city.is_workday(day) if self.city is not None else None
            if known is None:
                known = self.library(day)
            found = (weekend_only(day), False) if known is None else (known, True)
            self._memo[day] = found
        return found

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (weekdays only for a year nobody knows)."""
        return self._answer(day)[0]

    def knows(self, day: dt.date) -> bool:
        """Whether the city file or the library knows ``day``'s year."""
        return self._answer(day)[1]

    def unknown_years(self, days: Iterable[dt.date]) -> tuple[int, ...]:
        """The years among ``days`` that only weekends were counted for, sorted."""
        return tuple(sorted({d.year for d in days if not self.knows(d)}))

    def add_working_days(self, start: dt.date, count: int, *, skip: Callable[[dt.date], bool] = lambda d: False
                         ) -> tuple[dt.date, tuple[dt.date, ...]]:
        """The ``count``-th working day after ``start`` not skipped, and every day looked at on the way."""
        day, seen, counted = start, [], 0
        while counted < count:
            day += dt.timedelta(days=1)
            seen.append(day)
            if self.is_workday(day) and not skip(day):
                counted += 1
        return day, tuple(seen)

    def working_days_between(self, start: dt.date, end: dt.date, *,
                             skip: Callable[[dt.date], bool] = lambda d: False) -> int:
        """Working days in (start, end] not skipped; 0 when ``end`` is not after ``start``."""
        day, counted = start, 0
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day) and not skip(day):
                counted += 1
        return counted


def parse_city_calendar(text: str, *, name: str) -> CityCalendar:
    """Read the city's holiday file: JSON (``name`` ends in .json) or CSV; ``CalendarFileInvalid`` names the fault.

    JSON: ``{"years": [2027], "holidays": ["2027-01-01", ...], "workdays": ["2027-02-06", ...]}``.
    CSV: a header ``date,kind`` and one row per day, kind ``holiday`` or ``workday``; the years are those
    of its rows. Every date must fall in a covered year, and none may be both.
    """
    if name.lower().endswith(".json"):
        years, holidays, workdays = _from_json(text)
    else:
        years, holidays, workdays = _from_csv(text)
    for day in holidays | workdays:
        if day.year not in years:
            raise CalendarFileInvalid(f"{day.isoformat()}: its year is not among the file's years")
    both = holidays & workdays
    if both:
        raise CalendarFileInvalid(f"{min(both).isoformat()}: listed both as a holiday and as a working day")
    return CityCalendar(frozenset(years), frozenset(holidays), frozenset(workdays))


def _date(value: object, where: str) -> dt.date:
    if not isinstance(value, str):
        raise CalendarFileInvalid(f"{where}: a date must be written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CalendarFileInvalid(f"{where}: {value!r} is not a date written YYYY-MM-DD") from None


def _from_json(text: str) -> tuple[set[int], set[dt.date], set[dt.date]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CalendarFileInvalid(f"not JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise CalendarFileInvalid("the file must hold one JSON object")
    years = data.get("years")
    if not isinstance(years, list) or not years or not all(
            isinstance(y, int) and not isinstance(y, bool) and 1949 < y < 2200 for y in years):
        raise CalendarFileInvalid("years: must be a non-empty list of years")
    lists: dict[str, set[dt.date]] = {}
    for key in ("holidays", "workdays"):
        values = data.get(key, [])
        if not isinstance(values, list):
            raise CalendarFileInvalid(f"{key}: must be a list of dates")
        lists[key] = {_date(v, f"{key}[{i}]") for i, v in enumerate(values)}
    return set(years), lists["holidays"], lists["workdays"]


def _from_csv(text: str) -> tuple[set[int], set[dt.date], set[dt.date]]:
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if rows.fieldnames is None or [f.strip() for f in rows.fieldnames] != ["date", "kind"]:
        raise CalendarFileInvalid("line 1: the header must be 'date,kind'")
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for number, row in enumerate(rows, start=2):
        day = _date(row.get("date"), f"line {number}")
        kind = (row.get("kind") or "").strip()
        if kind not in ("holiday", "workday"):
            raise CalendarFileInvalid(f"line {number}: kind must be 'holiday' or 'workday'")
        (holidays if kind == "holiday" else workdays).add(day)
    if not holidays and not workdays:
        raise CalendarFileInvalid("the file lists no day")
    return {d.year for d in holidays | workdays}, holidays, workdays
