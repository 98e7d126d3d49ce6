"""Devices over HTTP: proof of possession, holder-bound presentations, replay, removal and wallet lock."""

from __future__ import annotations

from wallet import cose
from wallet.holder import generate_device_key, present
from wallet.verify import verify
from zwt.wallet_service.devices import binding_message

from .conftest import b64


def test_device_registration_needs_proof_of_possession(world):
    """A signature by another key, a reused nonce and a non-P-256 key are 422s naming the field."""
    citizen = world.citizen(0)
    key, other = generate_device_key(), generate_device_key()
    proof = world.prove(citizen.headers, citizen.subject, other)
    proof["public_key"] = world.prove(citizen.headers, citizen.subject, key)["public_key"]
    forged = world.client.post("/api/v1/me/devices", json={"name": "x", **proof}, headers=citizen.headers)
    assert forged.status_code == 422 and forged.json["errors"][0]["field"] == "signature"

    good = world.prove(citizen.headers, citizen.subject, key)
    assert world.client.post("/api/v1/me/devices", json={"name": "x", **good},
                             headers=citizen.headers).status_code == 201
    reused = world.client.post("/api/v1/me/devices", json={"name": "x", **good}, headers=citizen.headers)
    assert reused.status_code == 422 and reused.json["errors"][0] == {
        "field": "nonce", "code": "unknown_nonce", "message": reused.json["errors"][0]["message"]}

    from cryptography.hazmat.primitives.asymmetric import ec
    from wallet.keys import spki_der

    p384 = ec.generate_private_key(ec.SECP384R1())
    bad_curve = {**world.prove(citizen.headers, citizen.subject, key), "public_key": b64(spki_der(p384.public_key()))}
    refused = world.client.post("/api/v1/me/devices", json={"name": "x", **bad_curve}, headers=citizen.headers)
    assert refused.status_code == 422 and refused.json["errors"][0]["code"] == "not_p256"


def test_nonce_is_bound_to_the_account(world):
    """A nonce fetched by one citizen cannot register a device for another."""
    alice, bob = world.citizen(0), world.citizen(1)
    key = generate_device_key()
    nonce = world.client.post("/api/v1/nonces", headers=alice.headers).json["nonce"]
    signature = cose.sign_raw(key, cose.ALG_ES256, binding_message(nonce, bob.subject))
    from wallet.keys import spki_der

    body = {"name": "x", "public_key": b64(spki_der(key.public_key())), "nonce": nonce, "signature": b64(signature)}
    assert world.client.post("/api/v1/me/devices", json=body, headers=bob.headers).status_code == 422


def test_bound_presentation_verifies_once_then_replayed(world):
    """A device-bound credential shown holder-bound verifies; the same presentation again is ``replayed``."""
    citizen = world.citizen(0)
    key, device_id = world.device(citizen)
    made = world.present(citizen, world.license_id(citizen, "driving_license"), profile="standard")
    body = made.json
    assert body["holder_bound"] and body["device_id"] == device_id
    assert verify(body["qd1"], world.bundle(), now=world.now).reason == "holder_binding_required"

    shown = present(body["qd1"], key, now=world.now)
    clerk = world.clerk()
    first = world.client.post("/api/v1/verifier/verify", json={"qd1": shown}, headers=clerk)
    assert first.json["valid"] is True and first.json["holder_bound"] is True
    again = world.client.post("/api/v1/verifier/verify", json={"qd1": shown}, headers=clerk)
    assert again.json["valid"] is False and again.json["reason"] == "replayed"


def test_replay_is_caught_on_another_node(world, make_app, departments):
    """The replay cache lives in shared state: a second node refuses what the first accepted."""
    citizen = world.citizen(0)
    key, _ = world.device(citizen)
    text = world.present(citizen, world.license_id(citizen, "id_card")).json["qd1"]
    shown = present(text, key, now=world.now)
    clerk = world.clerk()
    assert world.client.post("/api/v1/verifier/verify", json={"qd1": shown}, headers=clerk).json["valid"]
    other = make_app(departments=departments).test_client()
    assert other.post("/api/v1/verifier/verify", json={"qd1": shown}, headers=clerk).json["reason"] == "replayed"


def test_removed_device_credentials_are_revoked_at_the_next_sync(world):
    """Removing a device revokes what was bound to it, not the license: unbound presentations still work."""
    citizen = world.citizen(0)
    key, device_id = world.device(citizen)
    lic = world.license_id(citizen, "driving_license")
    bound = world.present(citizen, lic).json["qd1"]
    before = world.bundle()
    removed = world.client.delete(f"/api/v1/me/devices/{device_id}", headers=citizen.headers)
    assert removed.status_code == 204
    assert world.client.delete(f"/api/v1/me/devices/{device_id}", headers=citizen.headers).status_code == 404
    assert verify(present(bound, key, now=world.now), before, now=world.now).valid
    assert verify(present(bound, key, now=world.now), world.bundle(), now=world.now).reason == "revoked"
    unbound = world.present(citizen, lic).json
    assert unbound["holder_bound"] is False and verify(unbound["qd1"], world.bundle(), now=world.now).valid
    assert world.client.get("/api/v1/me/devices", headers=citizen.headers).json == {"items": []}


def test_wallet_lock_suspends_bound_credentials_and_refuses_presentations(world):
    """Lost phone: every bound credential reads ``suspended`` after the next sync and nothing new is shown."""
    citizen = world.citizen(0)
    key, _ = world.device(citizen)
    texts = [world.present(citizen, world.license_id(citizen, kind)).json["qd1"]
             for kind in ("driving_license", "id_card")]
    locked = world.client.post("/api/v1/me/wallet/lock", headers=citizen.headers)
    assert locked.status_code == 200
    assert locked.json["devices_removed"] == 1 and locked.json["credentials_suspended"] == 2
    bundle = world.bundle()
    assert [verify(present(t, key, now=world.now), bundle, now=world.now).reason for t in texts] == [
        "suspended", "suspended"]
    refused = world.present(citizen, world.license_id(citizen, "id_card"))
    assert refused.status_code == 409 and refused.json["code"] == "wallet_locked"
    proof = world.prove(citizen.headers, citizen.subject, generate_device_key())
    assert world.client.post("/api/v1/me/devices", json={"name": "new", **proof},
                             headers=citizen.headers).json["code"] == "wallet_locked"


def test_unlocking_needs_a_fresh_login_and_keeps_the_lost_phone_out(world):
    """A refreshed (not fresh) token cannot unlock; after a fresh login presentations and devices work
    again, while what was bound to the lost phone stays suspended."""
    citizen = world.citizen(0)
    key, _ = world.device(citizen)
    old = world.present(citizen, world.license_id(citizen, "driving_license")).json["qd1"]
    world.client.post("/api/v1/me/wallet/lock", headers=citizen.headers)
    refreshed = world.client.post("/api/v1/auth/refresh",
                                  headers={"Authorization": f"Bearer {citizen.refresh_token}"}).json
    stale = {"Authorization": f"Bearer {refreshed['access_token']}"}
    refused = world.client.delete("/api/v1/me/wallet/lock", headers=stale)
    assert refused.status_code == 401 and refused.json["code"] == "fresh_login_required"
    fresh = world.auth.login(citizen.phone, citizen.password).json
    headers = {"Authorization": f"Bearer {fresh['access_token']}"}
    assert world.client.delete("/api/v1/me/wallet/lock", headers=headers).status_code == 204
    assert world.client.delete("/api/v1/me/wallet/lock", headers=headers).status_code == 204  # idempotent
    shown = world.client.post(f"/api/v1/me/licenses/{world.license_id(citizen, 'id_card')}/presentations",
                              json={}, headers=headers)
    assert shown.status_code == 201 and shown.json["holder_bound"] is False
    citizen.access_token = fresh["access_token"]
    headers = world.auth.step_up(citizen).headers  # binding a device needs a step-up on top of the fresh login
    proof = world.prove(headers, citizen.subject, generate_device_key())
    assert world.client.post("/api/v1/me/devices", json={"name": "new phone", **proof},
                             headers=headers).status_code == 201
    assert verify(present(old, key, now=world.now), world.bundle(), now=world.now).reason == "suspended"
    events = [e["event"] for e in world.client.get("/api/v1/me/access-log", headers=headers).json["items"]]
    assert "wallet_unlocked" in events and "wallet_locked" in events


def test_device_limit_and_duplicates_are_409(world, make_app, departments):
    """The same key twice is ``device_registered``; more devices than allowed is ``too_many_devices``."""
    app = make_app({"ZWT_MAX_DEVICES": "2"}, departments=departments)
    world.app, world.client = app, app.test_client()
    world.auth.client, world.auth.app = world.client, app
    citizen = world.citizen(0)
    key, _ = world.device(citizen)
    proof = world.prove(citizen.headers, citizen.subject, key)
    twice = world.client.post("/api/v1/me/devices", json={"name": "y", **proof}, headers=citizen.headers)
    assert twice.status_code == 409 and twice.json["code"] == "device_registered"
    world.device(citizen, "tablet")
    proof = world.prove(citizen.headers, citizen.subject, generate_device_key())
    third = world.client.post("/api/v1/me/devices", json={"name": "z", **proof}, headers=citizen.headers)
    assert third.status_code == 409 and third.json["code"] == "too_many_devices"


def test_presentation_binds_to_the_named_device_or_else_the_newest(world):
    """Without ``device_id`` the newest active device is bound; a named older device is bound instead, and
    each device keeps its own status slot for the license across presentations."""
    from wallet.cwt import decode_claims
    from wallet.keys import spki_der
    from wallet.verify import decode

    def bound(response):
        claims = decode_claims(decode(response.json["qd1"]).message.payload)
        return response.json["device_id"], spki_der(claims.cnf), claims.status.idx

    citizen = world.citizen(0)
    old_key, old_id = world.device(citizen, "old phone")
    new_key, new_id = world.device(citizen, "new phone")
    lic = world.license_id(citizen, "driving_license")

    newest = bound(world.present(citizen, lic))
    assert newest[:2] == (new_id, spki_der(new_key.public_key()))
    named = bound(world.present(citizen, lic, device_id=old_id))
    assert named[:2] == (old_id, spki_der(old_key.public_key()))
    assert named[2] != newest[2]
    assert bound(world.present(citizen, lic, device_id=old_id)) == named
    assert bound(world.present(citizen, lic, device_id=new_id)) == newest
    assert bound(world.present(citizen, lic)) == newest

    assert world.client.delete(f"/api/v1/me/devices/{new_id}", headers=citizen.headers).status_code == 204
    assert bound(world.present(citizen, lic)) == named
    gone = world.present(citizen, lic, device_id=new_id)
    assert gone.status_code == 422 and gone.json["errors"][0]["field"] == "device_id"
