"""A department without a system of its own: its staff's queue and moves, fenced to the department."""

from __future__ import annotations

import pytest


def test_back_office_handles_an_application_end_to_end(world, civil_staff, civil_item):
    """The queue shows it; accept, decide and conclude go through the admin API; the citizen sees each step."""
    citizen = world.citizen(0)
    impl_code = civil_item
    made = world.apply(citizen, impl_code, form={"address": "市南区", "reason": "family", "since": "2026-01-05"})
    assert made.json["channel"] == "back_office" and made.json["delivery_state"] == "back_office"
    assert world.drain() == 0
    app_id = made.json["id"]
    queue = world.client.get("/api/v1/admin/applications", headers=civil_staff).json["items"]
    assert [a["id"] for a in queue] == [app_id]
    assert world.client.get(f"/api/v1/admin/applications?impl_code={impl_code}x", headers=civil_staff
                            ).json["items"] == []
    accepted = world.staff_move(civil_staff, app_id, move="accept")
    assert accepted.status_code == 200 and accepted.json["time_limit"]["due"] is not None
    denied_badly = world.staff_move(civil_staff, app_id, move="decide", outcome="denied", reason="年龄不符")
    assert denied_badly.status_code == 422 and denied_badly.json["errors"][0]["field"] == "legal_basis"
    decided = world.staff_move(civil_staff, app_id, move="decide", outcome="denied", reason="年龄不符",
                               legal_basis="《青岛市高龄津贴发放办法》第三条")
    assert decided.status_code == 200
    illegal = world.staff_move(civil_staff, app_id, move="accept")
    assert illegal.status_code == 409 and illegal.json["legal_moves"] == ["conclude"]
    world.staff_move(civil_staff, app_id, move="conclude", delivery="online")
    view = world.detail(citizen, app_id)
    assert view["state"] == "concluded" and view["decision"] == {
        "outcome": "denied", "reason": "年龄不符", "legal_basis": "《青岛市高龄津贴发放办法》第三条"}
    assert view["timeline"][-1]["actor"] == "staff"


def test_staff_of_another_department_see_nothing(world, civil_staff, civil_item):
    """Police staff neither list nor move a civil-affairs application: it answers like a missing one."""
    citizen = world.citizen(0)
    app_id = world.apply(citizen, civil_item).json["id"]
    police_staff = world.staff("dept_admin", department_code="police")
    assert world.client.get("/api/v1/admin/applications", headers=police_staff).json["items"] == []
    other = world.staff_move(police_staff, app_id, move="accept")
    missing = world.staff_move(police_staff, "ap_nothing", move="accept")
    assert other.status_code == missing.status_code == 404
    assert other.json["code"] == missing.json["code"]


def test_queue_filters_by_due_date_and_overdue(world, civil_staff, clock):
    """Accepted with 2 working days, the application is due by then, and overdue after."""
    citizen = world.citizen(0)
    app_id = world.apply(citizen, world.publish(4, department="civil_affairs", limit=2, result=None)).json["id"]
    due = world.staff_move(civil_staff, app_id, move="accept").json["time_limit"]["due"]
    soon = world.client.get(f"/api/v1/admin/applications?due_before={due}", headers=civil_staff).json["items"]
    assert [a["id"] for a in soon] == [app_id]
    assert world.client.get("/api/v1/admin/applications?overdue=true", headers=civil_staff).json["items"] == []
    clock.advance(10 * 86400)
    fresh = world.staff("dept_admin", department_code="civil_affairs")  # ten days on, a new sign-in
    late = world.client.get("/api/v1/admin/applications?overdue=true", headers=fresh).json["items"]
    assert [a["id"] for a in late] == [app_id] and late[0]["time_limit"]["overdue"] is True


def test_citizen_withdraws_and_cannot_after_the_decision(world, civil_staff, civil_item):
    """Withdrawal while undecided; afterwards a 409 naming what may still be done."""
    citizen = world.citizen(0)
    impl_code = civil_item
    first = world.apply(citizen, impl_code).json["id"]
    withdrawn = world.client.post(f"/api/v1/me/applications/{first}/withdraw", headers=citizen.headers)
    assert withdrawn.status_code == 200 and withdrawn.json["state"] == "withdrawn" and withdrawn.json["due"] == []
    second = world.apply(citizen, impl_code).json["id"]
    world.staff_move(civil_staff, second, move="accept")
    world.staff_move(civil_staff, second, move="decide", outcome="approved")
    late = world.client.post(f"/api/v1/me/applications/{second}/withdraw", headers=citizen.headers)
    assert late.status_code == 409 and late.json["code"] == "illegal_move"


def test_someone_elses_application_answers_like_a_missing_one(world):
    """Another citizen's application id is a 404 for reading, withdrawing and correcting."""
    owner, other = world.citizen(0), world.citizen(1)
    app_id = world.apply(owner, world.publish(3, department="civil_affairs", result=None)).json["id"]
    for method, path in (("get", ""), ("post", "/withdraw")):
        theirs = getattr(world.client, method)(f"/api/v1/me/applications/{app_id}{path}", headers=other.headers)
        missing = getattr(world.client, method)(f"/api/v1/me/applications/ap_none{path}", headers=other.headers)
        assert theirs.status_code == missing.status_code == 404 and theirs.data == missing.data.replace(
            missing.json["request_id"].encode(), theirs.json["request_id"].encode())


@pytest.mark.parametrize("form, field", [
    ({"address": "市南区", "reason": "fun", "since": "2026-01-05"}, "form.reason"),
    ({"reason": "work", "since": "2026-01-05"}, "form.address"),
    ({"address": "市南区", "reason": "work", "since": "2026-01-05", "pets": "2"}, "form.pets"),
])
def test_bad_form_is_refused_naming_the_field_and_writes_nothing(world, form, field):
    """A form the item does not accept is a 422 naming the field; no application exists afterwards."""
    citizen = world.citizen(0)
    refused = world.apply(citizen, world.publish(1), form=form)
    assert refused.status_code == 422 and refused.headers["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in refused.json["errors"]]
    assert world.client.get("/api/v1/me/applications", headers=citizen.headers).json["items"] == []


def test_applying_needs_level_two(world, auth):
    """An account at level 0 (the police do not know the person) may not apply."""
    unknown = auth.register(name="路人甲")
    refused = world.apply(unknown, world.publish(1))
    assert refused.status_code == 403 and refused.json["code"] == "proofing_level_too_low"


def test_item_not_online_is_refused(world):
    """An unknown or unpublished item code is a 422 on impl_code."""
    refused = world.apply(world.citizen(0), "371A0123400000-370202000000-999-11370202MB2801012Q-1-00")
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "impl_code"
