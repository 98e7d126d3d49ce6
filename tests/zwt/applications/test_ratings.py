"""Service ratings (好差评) over HTTP: rate after conclusion, change within 7 days, a bad rating opens a follow-up
the department answers and the citizen responds to, public statistics with an ETag, comments screened."""

from __future__ import annotations

import pytest

DAY = 86400


@pytest.fixture
def concluded(world, civil_staff, civil_item):
    """Make a concluded civil-affairs application of a citizen; returns (citizen, application id, impl code)."""
    impl_code, citizens = civil_item, {}

    def make(citizen_no: int = 0, *, conclude: bool = True):
        if citizen_no not in citizens:
            citizens[citizen_no] = world.citizen(citizen_no)
        citizen = citizens[citizen_no]
        app_id = world.apply(citizen, impl_code, form={"address": "市南区", "reason": "family",
                                                       "since": "2026-01-05"}).json["id"]
        if conclude:
            for step in ({"move": "accept"},
                         {"move": "decide", "outcome": "approved", "reason": "符合条件", "legal_basis": "办法第三条"},
                         {"move": "conclude", "delivery": "online"}):
                assert world.staff_move(civil_staff, app_id, **step).status_code == 200
        return citizen, app_id, impl_code
    return make


def _rate(world, citizen, app_id, **body):
    return world.client.put(f"/api/v1/me/applications/{app_id}/rating", json=body, headers=citizen.headers)


def _stats(world, **params):
    return world.client.get("/api/v1/ratings/stats", query_string=params)


def test_a_bad_rating_opens_a_follow_up_the_department_answers_and_the_stats_change(world, concluded, civil_staff):
    """非常不满意 opens a follow-up due in working days; the department answers, the citizen responds; stats move."""
    citizen, app_id, impl_code = concluded()
    before = _stats(world, code=impl_code)
    assert before.status_code == 200 and before.json["items"] == []
    tag = before.headers["ETag"]
    assert _stats(world, code=impl_code, **{}).headers["ETag"] == tag
    assert world.client.get("/api/v1/ratings/stats", query_string={"code": impl_code},
                            headers={"If-None-Match": tag}).status_code == 304

    made = _rate(world, citizen, app_id, level=1, tags=["等待时间长"], comment="排队两小时")
    assert made.status_code == 201, made.json
    assert made.json["level_label"] == "非常不满意" and made.json["follow_up"]["state"] == "open"
    assert made.json["follow_up"]["due"] is not None and made.json["follow_up"]["overdue"] is False

    queue = world.client.get("/api/v1/admin/ratings/follow-ups", headers=civil_staff).json["items"]
    assert [f["application_id"] for f in queue] == [app_id]
    assert "account" not in queue[0] and "name" not in queue[0]

    after = world.client.get("/api/v1/ratings/stats", query_string={"code": impl_code},
                             headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["ETag"] != tag
    assert after.json["items"] == [{"code": impl_code, "total": 1, "levels": {"5": 0, "4": 0, "3": 0, "2": 0, "1": 1},
                                    "satisfaction_rate": 0.0}]
    by_department = _stats(world, group="department", code="civil_affairs").json["items"]
    assert by_department[0]["code"] == "civil_affairs" and by_department[0]["total"] == 1

    early = world.client.post(f"/api/v1/me/applications/{app_id}/rating/response",
                              json={"satisfied": True}, headers=citizen.headers)
    assert early.status_code == 409 and early.json["code"] == "follow_up_not_answered"
    answered = world.client.post(f"/api/v1/admin/ratings/follow-ups/{app_id}/answer",
                                 json={"answer": "已增加窗口，致歉"}, headers=civil_staff)
    assert answered.status_code == 200 and answered.json["follow_up"]["state"] == "answered"
    again = world.client.post(f"/api/v1/admin/ratings/follow-ups/{app_id}/answer",
                              json={"answer": "再答"}, headers=civil_staff)
    assert again.status_code == 409
    responded = world.client.post(f"/api/v1/me/applications/{app_id}/rating/response",
                                  json={"satisfied": True, "response": "谢谢"}, headers=citizen.headers)
    assert responded.status_code == 200
    follow_up = responded.json["follow_up"]
    assert (follow_up["state"], follow_up["answer"], follow_up["response"]) == ("resolved", "已增加窗口，致歉", "谢谢")

    changed = _rate(world, citizen, app_id, level=4)
    assert changed.status_code == 200 and changed.json["follow_up"]["state"] == "resolved"
    assert _stats(world, code=impl_code).json["items"][0]["satisfaction_rate"] == 1.0


def test_a_follow_up_not_answered_in_time_is_flagged_overdue(world, concluded, civil_staff, clock):
    """Past its due date (working days) an open follow-up reads overdue and the overdue filter finds it."""
    citizen, app_id, _ = concluded()
    assert _rate(world, citizen, app_id, level=2).status_code == 201
    assert world.client.get("/api/v1/admin/ratings/follow-ups?overdue=true", headers=civil_staff).json["items"] == []
    clock.advance(40 * DAY)
    late = world.client.get("/api/v1/admin/ratings/follow-ups?overdue=true", headers=civil_staff).json["items"]
    assert [f["application_id"] for f in late] == [app_id] and late[0]["follow_up"]["overdue"] is True


def test_a_rating_changes_inside_its_window_and_not_after(world, concluded, clock):
    """Once per application: a second PUT within 7 days changes it, after 7 days it is refused."""
    citizen, app_id, _ = concluded()
    assert _rate(world, citizen, app_id, level=5).status_code == 201
    clock.advance(6 * DAY)
    inside = _rate(world, citizen, app_id, level=3, tags=["态度好"])
    assert inside.status_code == 200 and inside.json["level"] == 3 and inside.json["follow_up"] is None
    clock.advance(2 * DAY)
    outside = _rate(world, citizen, app_id, level=1)
    assert outside.status_code == 409 and outside.json["code"] == "rating_window_closed"
    mine = world.client.get(f"/api/v1/me/applications/{app_id}/rating", headers=citizen.headers)
    assert mine.json["level"] == 3 and mine.json["tags"] == ["态度好"]


def test_only_the_applicant_rates_and_only_after_conclusion(world, concluded):
    """Not concluded: 409; another citizen's application: 404; a bad level: 422 naming the field."""
    citizen, open_id, _ = concluded(conclude=False)
    pending = _rate(world, citizen, open_id, level=5)
    assert pending.status_code == 409 and pending.json["code"] == "not_concluded"
    _, app_id, _ = concluded(0)
    stranger = world.citizen(1)
    assert _rate(world, stranger, app_id, level=5).status_code == 404
    bad = _rate(world, citizen, app_id, level=6)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "level"
    assert world.client.get("/api/v1/ratings/stats?since=2026-02-01&until=2026-01-01").json["errors"][0][
        "field"] == "until"


def test_comments_are_screened_for_id_and_phone_numbers(world, concluded, civil_staff):
    """An ID number and a phone number in a comment are masked for the citizen and the department alike."""
    citizen, app_id, _ = concluded()
    made = _rate(world, citizen, app_id, level=2, comment="我的身份证370202198503120316，电话13800138000")
    assert made.status_code == 201
    for shown in (made.json["comment"], world.client.get("/api/v1/admin/ratings/follow-ups",
                                                         headers=civil_staff).json["items"][0]["comment"]):
        assert "370202198503120316" not in shown and "13800138000" not in shown
        assert "3702**********0316" in shown and "138****8000" in shown
