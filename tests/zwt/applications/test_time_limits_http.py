"""Time limits over HTTP: the city's holiday file over the library, a 调休 Saturday, a correction pause and a
year nobody has published (weekends only, with a warning)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zwt.clock import FixedClock

from .conftest import ID_CARD_MATERIAL


@pytest.fixture
def clock():
    """Thursday 27 December 2040, 09:00 in Qingdao: the city has published 2040, nobody 2041."""
    return FixedClock(dt.datetime(2040, 12, 27, 1, 0, tzinfo=dt.timezone.utc))


@pytest.fixture
def app(make_app, departments, tmp_path):
    """The app with the city's holiday file: Friday 28 off, Saturday 29 worked (调休)."""
    path = tmp_path / "qingdao-holidays.json"
    path.write_text(json.dumps({"years": [2040], "holidays": ["2040-12-28"], "workdays": ["2040-12-29"]}))
    return make_app({"ZWT_HOLIDAY_FILE": str(path)}, departments=departments)


def test_limit_follows_the_city_file_pauses_and_warns_for_an_unknown_year(world, caplog):
    """3 working days from Thursday: Saturday 29 (调休), Monday 31, Tuesday 1 January 2041 (weekdays only)."""
    impl_code = world.publish(5, department="civil_affairs", limit=3, result=None)
    staff = world.staff("dept_admin", department_code="civil_affairs")
    citizen = world.citizen(0)
    # in 2040 the demo ID card has expired: a scan from the library stands in for it
    made = world.apply(citizen, impl_code, materials={"uploads": {ID_CARD_MATERIAL: world.scan(citizen)}})
    assert made.status_code == 201, made.json
    app_id = made.json["id"]
    accepted = world.staff_move(staff, app_id, move="accept").json["time_limit"]
    assert accepted["due"] == "2041-01-01" and accepted["remaining_days"] == 3
    assert accepted["calendar_warning"] == ["2041 年节假日安排未知，仅按周末计算"]
    assert any(getattr(r, "year", None) == 2041 for r in caplog.records)
    paused = world.staff_move(staff, app_id, move="request_correction", message="补充").json["time_limit"]
    assert paused["paused"] is True and paused["due"] is None and paused["remaining_days"] == 3
    world.clock.advance(86400 * 2)  # supplied on Saturday 29, a working day of the pause
    supplied = world.client.post(f"/api/v1/me/applications/{app_id}/correction", json={"form": {}},
                                 headers=citizen.headers)
    assert supplied.status_code == 200, supplied.json
    assert supplied.json["time_limit"]["due"] == "2041-01-02"
