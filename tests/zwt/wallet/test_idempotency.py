"""A POST retried with the same ``Idempotency-Key`` creates one resource and answers as the first time.

Presentations, device registrations (citizen and counter), counter log batches and catalog item registration
share ``zwt.idempotency``; a different body under the same key is a 422 on the header.
"""

from __future__ import annotations

import base64
import json

from sqlalchemy import func, select, update

from wallet import cose
from wallet.holder import generate_device_key
from zwt.models import CounterDevice, IdempotencyKey, Presentation, ServiceItemRow, WalletDevice

from ..catalog_admin_helpers import BASE, item_doc, register_departments
from .conftest import COUNTER, HALL


def _count(world, model) -> int:
    with world.app.extensions["zwt"].db.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)))


def _key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def _twice(world, path: str, body, headers: dict[str, str], key: str):
    """POST the same request twice under ``key``; the second is the first's answer, replayed."""
    first = world.client.post(path, json=body, headers={**headers, **_key(key)})
    again = world.client.post(path, json=body, headers={**headers, **_key(key)})
    assert first.status_code == 201, first.json
    assert again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    return first


def _reused(response) -> None:
    assert response.status_code == 422, response.json
    assert response.json["errors"] == [{"field": "Idempotency-Key", "code": "idempotency_key_reused",
                                        "message": response.json["errors"][0]["message"]}]


def test_a_retried_presentation_is_one_presentation(world):
    """Same key, same body: one row and the same QD1 text; another body under that key: 422, nothing made."""
    alice = world.citizen(0)
    license_id = world.license_id(alice, "id_card")
    path = f"/api/v1/me/licenses/{license_id}/presentations"
    first = _twice(world, path, {"profile": "standard"}, alice.headers, "retry-1")
    assert first.json["qd1"].startswith("QD1:") and _count(world, Presentation) == 1
    _reused(world.client.post(path, json={"profile": "minimal"}, headers={**alice.headers, **_key("retry-1")}))
    assert _count(world, Presentation) == 1
    assert world.client.post(path, json={"profile": "standard"}, headers=alice.headers).status_code == 201
    assert _count(world, Presentation) == 2  # without the header nothing changes


def test_keys_belong_to_their_account(world):
    """Another citizen's request under the same key is their own."""
    alice, bob = world.citizen(0), world.citizen(1)
    for citizen in (alice, bob):
        path = f"/api/v1/me/licenses/{world.license_id(citizen, 'id_card')}/presentations"
        response = world.client.post(path, json={"profile": "standard"}, headers={**citizen.headers, **_key("k")})
        assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert _count(world, Presentation) == 2


def test_a_failed_try_gives_the_key_back(world):
    """A refused request keeps nothing under its key: the corrected retry under that key goes through."""
    alice = world.citizen(0)
    path = f"/api/v1/me/licenses/{world.license_id(alice, 'id_card')}/presentations"
    wrong = world.client.post(path, json={"profile": "no-such-profile"}, headers={**alice.headers, **_key("fix")})
    assert wrong.status_code == 422
    assert world.client.post(path, json={"profile": "standard"},
                             headers={**alice.headers, **_key("fix")}).status_code == 201


def test_a_key_still_running_is_409_until_it_is_abandoned(world):
    """While the first request runs a retry waits (409, Retry-After); a claim left by a dead request is taken over."""
    alice = world.citizen(0)
    path = f"/api/v1/me/licenses/{world.license_id(alice, 'id_card')}/presentations"
    assert world.client.post(path, json={"profile": "standard"},
                             headers={**alice.headers, **_key("slow")}).status_code == 201
    with world.app.extensions["zwt"].db.engine.begin() as conn:  # as if that request were still running
        conn.execute(update(IdempotencyKey).values(status=None, response_enc=None, response_key_version=None))
    busy = world.client.post(path, json={"profile": "standard"}, headers={**alice.headers, **_key("slow")})
    assert busy.status_code == 409 and busy.json["code"] == "idempotency_key_in_use"
    assert busy.headers["Retry-After"] == "1"
    world.clock.advance(61)
    assert world.client.post(path, json={"profile": "standard"},
                             headers={**alice.headers, **_key("slow")}).status_code == 201


def test_a_malformed_key_is_refused(world):
    """A key is 1 to 255 visible ASCII characters."""
    alice = world.citizen(0)
    path = f"/api/v1/me/licenses/{world.license_id(alice, 'id_card')}/presentations"
    for bad in ("", "有空格 key", "x" * 256):
        refused = world.client.post(path, json={"profile": "standard"}, headers={**alice.headers, **_key(bad)})
        assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "Idempotency-Key"
    assert _count(world, Presentation) == 0


def test_a_retried_device_registration_is_one_device(world):
    """The nonce is spent by the first request; the retry gets its answer instead of a replay refusal."""
    alice = world.auth.step_up(world.citizen(0))
    body = {"name": "my phone", **world.prove(alice.headers, alice.subject, generate_device_key())}
    _twice(world, "/api/v1/me/devices", body, alice.headers, "device-1")
    assert _count(world, WalletDevice) == 1
    other = {"name": "my phone", **world.prove(alice.headers, alice.subject, generate_device_key())}
    _reused(world.client.post("/api/v1/me/devices", json=other, headers={**alice.headers, **_key("device-1")}))


def test_retried_counter_device_and_log_batch_registrations(world):
    """A counter device registered twice under one key is one device; a log batch uploaded twice, one batch."""
    clerk = world.clerk()
    subject = world.client.get("/api/v1/me", headers=clerk).json["subject"]
    key = generate_device_key()
    body = {"name": "扫码枪", **world.prove(clerk, subject, key)}
    device = _twice(world, "/api/v1/verifier/devices", body, clerk, "counter-1").json["id"]
    assert _count(world, CounterDevice) == 1
    raw = json.dumps({"batch_id": "b-0001", "device_id": device, "hall_code": HALL, "counter_code": COUNTER,
                      "records": [{"record_id": "r-1", "verified_at": "2026-11-26T17:00:00+08:00",
                                   "verdict": "revoked"}]}).encode()
    signed = {"payload": base64.b64encode(raw).decode(),
              "signature": base64.b64encode(cose.sign_raw(key, cose.ALG_ES256, raw)).decode()}
    first = world.client.post("/api/v1/verifier/logs", json=signed, headers={**clerk, **_key("logs-1")})
    again = world.client.post("/api/v1/verifier/logs", json=signed, headers={**clerk, **_key("logs-1")})
    assert first.status_code == 201 and (again.status_code, again.json) == (201, first.json)
    assert again.headers["Idempotent-Replayed"] == "true"  # the first answer, not the batch's own "duplicate"


def test_a_retried_item_registration_is_one_item(world):
    """A department admin's draft registered twice under one key is one item, same ETag and Location."""
    register_departments(world.app)
    admin = world.admin("police")
    first = _twice(world, BASE, item_doc(1), admin, "item-1")
    again = world.client.post(BASE, json=item_doc(1), headers={**admin, **_key("item-1")})
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Location"] == first.headers["Location"]
    assert _count(world, ServiceItemRow) == 1
    _reused(world.client.post(BASE, json=item_doc(2), headers={**admin, **_key("item-1")}))
    assert _count(world, ServiceItemRow) == 1
