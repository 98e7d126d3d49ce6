"""Working days: the library's holidays and 调休 make-up days, the city file first, weekends for unknown years."""

from __future__ import annotations

import datetime as dt

import pytest

from applications import CalendarFileInvalid, WorkingCalendar, parse_city_calendar

D = dt.date
UNKNOWN = 2041  # a year no library release will publish while this test lives


def test_statutory_holiday_is_not_a_working_day():
    """National Day 2026 is a day off although it falls on a Thursday."""
    calendar = WorkingCalendar()
    assert D(2026, 10, 1).weekday() == 3
    assert not calendar.is_workday(D(2026, 10, 1))


@pytest.mark.parametrize("day", [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)])
def test_make_up_weekend_day_is_a_working_day(day):
    """A 调休 Saturday or Sunday is worked."""
    assert day.weekday() >= 5
    assert WorkingCalendar().is_workday(day)
    assert WorkingCalendar().knows(day)


def test_unknown_year_counts_only_weekends_and_says_so():
    """For a year neither the city nor the library knows, Monday to Friday are working days, and the year is named."""
    calendar = WorkingCalendar()
    jan = [D(UNKNOWN, 1, d) for d in range(1, 8)]
    assert [calendar.is_workday(d) for d in jan] == [d.weekday() < 5 for d in jan]
    assert calendar.unknown_years([D(2026, 12, 31), *jan]) == (UNKNOWN,)


def test_city_file_overrides_the_library_and_covers_new_years():
    """The city's JSON file decides for the years it lists, both days off and make-up days."""
    city = parse_city_calendar(
        '{"years": [2026, %d], "holidays": ["2026-10-12", "%d-01-01"], "workdays": ["%d-01-05"]}'
        % (UNKNOWN, UNKNOWN, UNKNOWN), name="city.json")
    calendar = WorkingCalendar(city)
    assert not calendar.is_workday(D(2026, 10, 12))       # a Monday the library works
    assert calendar.is_workday(D(2026, 10, 1))            # not in the file: for 2026 the file alone speaks
    assert not calendar.is_workday(D(UNKNOWN, 1, 1))
    assert calendar.is_workday(D(UNKNOWN, 1, 5))           # a Saturday made a working day
    assert calendar.unknown_years([D(UNKNOWN, 3, 1)]) == ()


def test_city_csv_file():
    """The CSV form (date,kind) reads the same, BOM and all; its years are those of its rows."""
    city = parse_city_calendar("\ufeffdate,kind\n2041-01-01,holiday\n2041-01-05,workday\n", name="c.csv")
    assert city.years == frozenset({2041})
    assert city.holidays == frozenset({D(2041, 1, 1)}) and city.workdays == frozenset({D(2041, 1, 5)})


@pytest.mark.parametrize("text, name, fault", [
    ("{", "c.json", "not JSON"),
    ('{"years": []}', "c.json", "years"),
    ('{"years": [2041], "holidays": ["2041-13-01"]}', "c.json", "holidays[0]"),
    ('{"years": [2041], "holidays": ["2040-01-01"]}', "c.json", "2040-01-01"),
    ('{"years": [2041], "holidays": ["2041-01-01"], "workdays": ["2041-01-01"]}', "c.json", "both"),
    ("day,kind\n", "c.csv", "line 1"),
    ("date,kind\n2041-01-01,party\n", "c.csv", "line 2"),
])
def test_bad_city_file_is_refused_naming_the_fault(text, name, fault):
    """A malformed holiday file is refused with the place at fault, never half read."""
    with pytest.raises(CalendarFileInvalid, match=fault.replace("[", r"\[").replace("]", r"\]")):
        parse_city_calendar(text, name=name)


def test_add_working_days_crosses_a_make_up_weekend():
    """Two working days after Thursday 2026-02-12 end on Saturday the 14th, a make-up day before Spring Festival."""
    calendar = WorkingCalendar()
    due, _ = calendar.add_working_days(D(2026, 2, 12), 2)
    assert due == D(2026, 2, 14)
