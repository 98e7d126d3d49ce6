"""Done means: a residence permit applied for online, corrected, approved by the police's system, and the
permit in the wallet verifying offline, with every step in the timeline and the messages."""

from __future__ import annotations

import dataclasses

from services_catalog.items import FormField
from wallet.verify import verify
from zwt.catalog.repository import load_item, row_by_impl_code, save_item

from .conftest import PERMIT_FIELDS


def test_residence_permit_from_application_to_wallet(world, police):
    """apply → delivered → correction asked → supplied → accepted → approved (permit issued) → concluded."""
    citizen = world.citizen(0)  # 张伟 holds no residence permit yet
    impl_code = world.publish(1)
    key = world.department_key()

    made = world.apply(citizen, impl_code, **{"Idempotency-Key": "apply-1"})
    assert made.status_code == 201, made.json
    again = world.apply(citizen, impl_code, **{"Idempotency-Key": "apply-1"})
    assert again.status_code == 201 and again.json["id"] == made.json["id"]
    app_id = made.json["id"]
    assert made.headers["Location"] == f"/api/v1/me/applications/{app_id}"
    assert made.json["state"] == "submitted" and made.json["delivery_state"] == "queued"
    assert len(world.client.get("/api/v1/me/applications", headers=citizen.headers).json["items"]) == 1

    assert world.drain() == 1
    assert list(police.cases) == [app_id]  # the application id is the idempotency key at the department
    assert world.detail(citizen, app_id)["state"] == "pre_check"

    asked = world.callback(key, app_id, move="request_correction", message="请补充邮政编码")
    assert asked.status_code == 200, asked.json
    view = world.detail(citizen, app_id)
    assert view["state"] == "correction_requested"
    assert view["due"][0] == {"action": "supply_correction", "message": "请补充邮政编码"}
    assert "需要补正" in world.auth.last_text(citizen.phone)

    bad = world.client.post(f"/api/v1/me/applications/{app_id}/correction", json={"form": {"postcode": "26abc"}},
                            headers=citizen.headers)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "form.postcode"
    supplied = world.client.post(f"/api/v1/me/applications/{app_id}/correction",
                                 json={"form": {"postcode": "266100"}}, headers=citizen.headers)
    assert supplied.status_code == 200, supplied.json
    assert supplied.json["state"] == "pre_check" and supplied.json["form"]["postcode"] == "266100"

    for step in ({"move": "accept"}, {"move": "begin_review"},
                 {"move": "decide", "outcome": "approved", "reason": "符合条件", "license_fields": PERMIT_FIELDS},
                 {"move": "conclude", "delivery": "e_license"}):
        answer = world.callback(key, app_id, **step)
        assert answer.status_code == 200, answer.json

    view = world.detail(citizen, app_id)
    assert view["state"] == "concluded" and view["decision"]["outcome"] == "approved"
    assert [e["move"] for e in view["timeline"]] == [
        "submit", "begin_pre_check", "request_correction", "supply_correction", "accept", "begin_review", "decide",
        "conclude"]
    assert [e["actor"] for e in view["timeline"]] == [
        "applicant", "system", "department", "applicant", "department", "department", "department", "department"]
    assert view["time_limit"]["days"] == 10 and not view["time_limit"]["overdue"]

    inbox = world.client.get("/api/v1/me/messages", headers=citizen.headers)
    assert [m["kind"] for m in reversed(inbox.json["items"])] == [
        "submit", "begin_pre_check", "request_correction", "accept", "begin_review", "decide", "conclude"]
    assert inbox.json["unread"] == 7

    permit = world.license_id(citizen, "residence_permit")
    presented = world.present(citizen, permit)
    assert presented.status_code == 201, presented.json
    verdict = verify(presented.json["qd1"], world.bundle(), now=world.now)
    assert verdict.valid, verdict.reason
    assert verdict.license_type == "residence_permit"


def test_message_centre_etag_and_read_marks(world):
    """Polling with the ETag costs a 304 until something changes; a read mark changes the count and the tag."""
    citizen = world.citizen(0)
    made = world.apply(citizen, world.publish(2))
    assert made.status_code == 201
    first = world.client.get("/api/v1/me/messages", headers=citizen.headers)
    tag = first.headers["ETag"]
    assert first.json["unread"] == 1 and first.json["items"][0]["application_id"] == made.json["id"]
    same = world.client.get("/api/v1/me/messages", headers={**citizen.headers, "If-None-Match": tag})
    assert same.status_code == 304
    read = world.client.post(f"/api/v1/me/messages/{first.json['items'][0]['id']}/read", headers=citizen.headers)
    assert read.status_code == 204
    after = world.client.get("/api/v1/me/messages", headers={**citizen.headers, "If-None-Match": tag})
    assert after.status_code == 200 and after.json["unread"] == 0 and after.json["items"][0]["read"] is True


def test_a_message_id_past_the_key_range_is_a_404_not_a_database_error(world):
    """The keys are 32-bit on PostgreSQL: a longer number names no message (found by schemathesis on PG)."""
    citizen = world.citizen(0)
    for raw in ("2147483648", "1146231613578320", "0"):
        answer = world.client.post(f"/api/v1/me/messages/{raw}/read", headers=citizen.headers)
        assert answer.status_code == 404, (raw, answer.json)
        assert answer.mimetype == "application/problem+json"


def test_a_changed_or_withdrawn_item_is_never_applied_for_from_the_parsed_item_cache(world):
    """Submission parses an item once per change (the cache is keyed on the row's change stamp): a change to
    the form is enforced at once, and a withdrawn item is refused at once."""
    citizen = world.citizen(0)
    code = world.publish(7)
    assert world.apply(citizen, code).status_code == 201  # parsed and cached
    svc = world.app.extensions["zwt"]
    with svc.db.sessions() as sess:
        item = load_item(row_by_impl_code(sess, code))
        stricter = dataclasses.replace(item, form_fields=(*item.form_fields, FormField("employer", required=True)))
        save_item(sess, stricter, source="registration", actor="test", action="update", now=world.clock.now())
        sess.commit()
    refused = world.apply(citizen, code)
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["form.employer"]
    with svc.db.sessions() as sess:
        save_item(sess, stricter, source="registration", actor="test", action="withdraw", now=world.clock.now(),
                  status="withdrawn")
        sess.commit()
    gone = world.apply(citizen, code, {"address": "青岛市崂山区海尔路1号", "reason": "work", "since": "2026-01-05",
                                       "employer": "海尔"})
    assert gone.status_code == 422 and gone.json["errors"][0]["field"] == "impl_code"
