"""End to end over HTTP: present, verify offline with a synced bundle, revoke, resync, see ``revoked``."""

from __future__ import annotations

from wallet.verify import verify


def test_present_verify_offline_revoke_resync_revoked(world):
    """A driving licence verifies offline until its department revokes it and the counter resyncs."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    made = world.present(citizen, lic, profile="standard")
    assert made.status_code == 201, made.json
    text = made.json["qd1"]
    assert text.startswith("QD1:") and made.json["holder_bound"] is False

    bundle = world.bundle()
    verdict = verify(text, bundle, now=world.now)
    assert verdict.valid and verdict.license_type == "driving_license"

    admin = world.admin("police")
    identifier = verdict.license_id
    changed = world.client.post(f"/api/v1/admin/licenses/{identifier}/status",
                                json={"action": "revoke", "reason": "吊销"}, headers=admin)
    assert changed.status_code == 200, changed.json
    assert changed.json["status"] == "revoked"

    assert verify(text, bundle, now=world.now).valid  # the old bundle does not know yet
    assert verify(text, world.bundle(), now=world.now).reason == "revoked"
    again = world.present(citizen, lic, profile="standard")
    assert again.status_code == 409 and again.json["code"] == "license_revoked"


def _status(world, identifier, action, admin, reason="核查"):
    """POST a status change as ``admin``."""
    return world.client.post(f"/api/v1/admin/licenses/{identifier}/status", json={"action": action, "reason": reason},
                             headers=admin)


def test_suspend_then_reinstate(world):
    """A suspended license verifies as ``suspended`` after a resync and as valid again once reinstated."""
    citizen = world.citizen(1)
    lic = world.license_id(citizen, "id_card")
    text = world.present(citizen, lic, profile="minimal").json["qd1"]
    identifier = verify(text, world.bundle(), now=world.now).license_id
    admin = world.admin("police")

    assert _status(world, identifier, "suspend", admin).json["status"] == "suspended"
    assert verify(text, world.bundle(), now=world.now).reason == "suspended"
    assert world.present(citizen, lic, profile="minimal").json["code"] == "license_suspended"

    assert _status(world, identifier, "reinstate", admin).json["status"] == "valid"
    assert verify(text, world.bundle(), now=world.now).valid
    assert world.present(citizen, lic, profile="minimal").status_code == 201


def test_status_changes_follow_the_state_machine(world):
    """Reinstating a valid license or changing a revoked one is a 409 naming the states."""
    citizen = world.citizen(0)
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "vehicle_license")
    admin = world.admin("police")
    assert _status(world, lic["identifier"], "reinstate", admin).status_code == 409
    assert _status(world, lic["identifier"], "revoke", admin).status_code == 200
    refused = _status(world, lic["identifier"], "suspend", admin)
    assert refused.status_code == 409 and refused.json["code"] == "license_status_conflict"


def test_another_department_gets_404_like_a_missing_license(world):
    """The housing fund admin cannot see or revoke a police license: 404, the same as an unknown identifier."""
    citizen = world.citizen(0)
    identifier = next(item["identifier"] for item in world.licenses(citizen) if item["license_type"] == "id_card")
    other = world.admin("housing_fund")
    foreign = _status(world, identifier, "revoke", other)
    missing = _status(world, identifier + "0", "revoke", world.admin("police"))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json["code"] == missing.json["code"] == "not_found"
    assert world.client.get(f"/api/v1/admin/licenses/{identifier}", headers=other).status_code == 404
    assert world.client.get(f"/api/v1/admin/licenses/{identifier}",
                            headers=world.admin("police")).json["status"] == "valid"


def test_status_change_validation_names_the_fields(world):
    """An unknown action and a missing reason are 422s naming each field; citizens get 403."""
    citizen = world.citizen(0)
    identifier = world.licenses(citizen)[0]["identifier"]
    bad = world.client.post(f"/api/v1/admin/licenses/{identifier}/status", json={"action": "delete"},
                            headers=world.admin("police"))
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json["errors"]} == {"action", "reason"}
    assert _status(world, identifier, "revoke", citizen.headers).status_code == 403


def test_revocation_is_audited_in_the_holders_access_log(world):
    """The holder sees the revocation, by which admin, with the license it concerned."""
    citizen = world.citizen(0)
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "driving_license")
    _status(world, lic["identifier"], "revoke", world.admin("police"), reason="吊销驾驶证")
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert log[0]["event"] == "revoked" and log[0]["license_id"] == lic["id"]
    assert log[0]["actor_role"] == "dept_admin" and log[0]["source"] == "admin"


def test_counter_cli_verifies_with_the_served_bundle(world, tmp_path, capsys):
    """``python -m wallet verify --bundle`` with the served bundle and root key: exit 0, then 1 ``revoked``."""
    import datetime as dt
    import json

    from wallet.cli import main

    citizen = world.citizen(0)
    text = world.present(citizen, world.license_id(citizen, "driving_license")).json["qd1"]
    root = tmp_path / "root.pem"
    root.write_bytes(world.client.get("/api/v1/verifier/root-key").data)
    bundle = tmp_path / "bundle.cbor"
    at = dt.datetime.fromtimestamp(world.now, dt.timezone.utc).isoformat()

    def run() -> tuple[int, dict]:
        """Sync the bundle and run the counter CLI; return its exit code and JSON verdict."""
        bundle.write_bytes(world.client.get("/api/v1/verifier/bundle").data)
        code = main(["verify", "--bundle", str(bundle), "--root", str(root), "--at", at, "--json", text])
        return code, json.loads(capsys.readouterr().out)

    code, verdict = run()
    assert code == 0 and verdict["valid"] and verdict["type"] == "driving_license"
    _status(world, verdict["license_id"], "revoke", world.admin("police"))
    code, verdict = run()
    assert code == 1 and verdict["reason"] == "revoked"


def test_admin_finds_a_license_by_the_departments_own_serial(world):
    """The police find a driving licence by its archive number (here the ID number, lower-case x too),
    another department finds nothing, a bad type is 422, and the holder sees the lookup."""
    from services_catalog.sandbox.citizens import DEMO_CITIZENS

    citizen = world.citizen(0)
    serial = DEMO_CITIZENS[0].citizen.id_number
    police, hrss = world.admin("police"), world.admin("hrss")
    found = world.client.get("/api/v1/admin/licenses", query_string={"license_type": "driving_license",
                                                                     "serial": serial.lower()}, headers=police)
    assert found.status_code == 200, found.json
    (item,) = found.json["items"]
    assert item["license_type"] == "driving_license" and item["status"] == "valid"
    assert world.client.get(f"/api/v1/admin/licenses/{item['identifier']}", headers=police).status_code == 200
    foreign = world.client.get("/api/v1/admin/licenses", query_string={"license_type": "driving_license",
                                                                       "serial": serial}, headers=hrss)
    assert foreign.status_code == 200 and foreign.json["items"] == []
    bad = world.client.get("/api/v1/admin/licenses", query_string={"license_type": "nope", "serial": serial},
                           headers=police)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "license_type"
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    lookups = [(e["event"], e["actor_role"]) for e in log if e["event"] == "admin_lookup"]
    assert lookups == [("admin_lookup", "dept_admin")]
