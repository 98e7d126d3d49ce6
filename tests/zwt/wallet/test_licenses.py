"""Licenses on record and the real-name check, over HTTP against fake departments."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from services_catalog.sandbox.citizens import DEMO_CITIZENS, KIND_LICENSE_TYPES, UNKNOWN_CITIZEN
from wallet.issuer import CHINA_TZ


def test_verified_citizen_gets_every_license_masked(world, departments):
    """A demo citizen the police know is verified at sign-up and holds the five licenses, numbers masked."""
    citizen = world.citizen(0)
    body = world.client.get("/api/v1/me/licenses", headers=citizen.headers).json
    assert body["identity_verified"] is True
    kinds = sorted(item["license_type"] for item in body["items"])
    assert kinds == sorted(r.license_type for r in DEMO_CITIZENS[0].licenses)
    id_card = next(item for item in body["items"] if item["license_type"] == "id_card")
    number = DEMO_CITIZENS[0].citizen.id_number
    assert id_card["fields"]["holder_code"]["value"] == number[:4] + "*" * 10 + number[-4:]
    assert number not in str(body)
    assert [c.operation for c in departments.fakes["police"].script.calls][:2] == ["identity", "records"]


@pytest.mark.parametrize(("index", "license_type", "shown"), [
    (0, "household_register", {"household_type": "家庭户", "relation": "户主", "gender": "男"}),
    (0, "exit_entry_permit", {"issuing_authority": "中华人民共和国国家移民管理局", "issue_place": "山东"}),
    (3, "residence_permit", {"issuing_authority": "青岛市公安局崂山分局", "gender": "男", "ethnicity": "汉"}),
])
def test_police_household_register_and_permits_reach_the_wallet(world, index, license_type, shown):
    """The police adapter's household register, residence permit and exit-entry permit become wallet licenses,
    their fields mapped to the registry's names, numbers masked."""
    citizen = world.citizen(index)
    refreshed = world.client.post("/api/v1/me/licenses/refresh", headers=citizen.headers).json
    item = next(item for item in refreshed["items"] if item["license_type"] == license_type)
    assert {name: item["fields"][name]["value"] for name in shown} == shown
    record = next(lic for lic in DEMO_CITIZENS[index].licenses if lic.license_type == license_type)
    assert item["valid_until"] == (record.valid_until.isoformat() if record.valid_until else None)
    number = record.fields.get("household_number") or record.fields.get("permit_number")
    if number:
        assert number not in str(refreshed)


def test_full_number_needs_a_step_up(world):
    """``reveal=true`` works with the sign-up's token (a password and an SMS code, just now), not with a
    refreshed one, and is logged."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    number = DEMO_CITIZENS[0].citizen.id_number
    revealed = world.client.get(f"/api/v1/me/licenses/{lic}?reveal=true", headers=citizen.headers)
    assert revealed.status_code == 200 and revealed.json["fields"]["holder_code"]["value"] == number
    refreshed = world.client.post("/api/v1/auth/refresh",
                                  headers={"Authorization": f"Bearer {citizen.refresh_token}"}).json["access_token"]
    stale = world.client.get(f"/api/v1/me/licenses/{lic}?reveal=true",
                             headers={"Authorization": f"Bearer {refreshed}"})
    assert stale.status_code == 401 and stale.json["code"] == "step_up_required"
    masked = world.client.get(f"/api/v1/me/licenses/{lic}", headers={"Authorization": f"Bearer {refreshed}"})
    assert masked.status_code == 200 and number not in str(masked.json)
    events = [e["event"] for e in world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]]
    assert events == ["revealed"]


def test_another_citizens_license_is_404_and_the_denial_is_audited(world):
    """Citizen A asking for B's license gets the same 404 as for a missing one; B's log records the attempt."""
    alice, bob = world.citizen(0), world.citizen(1)
    bobs = world.license_id(bob, "id_card")
    for path in (f"/api/v1/me/licenses/{bobs}", f"/api/v1/me/licenses/{bobs}?reveal=true"):
        denied = world.client.get(path, headers=alice.headers)
        missing = world.client.get(path.replace(bobs, "lic_missing"), headers=alice.headers)
        assert denied.status_code == missing.status_code == 404
        assert {k: v for k, v in denied.json.items() if k != "request_id"} == {
            k: v for k, v in missing.json.items() if k != "request_id"}
    shown = world.present(alice, bobs, profile="full")
    assert shown.status_code == 404
    log = world.client.get("/api/v1/me/access-log", headers=bob.headers).json["items"]
    assert [e["event"] for e in log] == ["access_denied"] * 3
    assert log[0]["license_id"] == bobs and log[0]["actor_role"] == "citizen" and log[0]["actor_name"] is None
    assert world.client.get("/api/v1/me/access-log", headers=alice.headers).json["items"] == []


def _sign_up(auth, name: str, id_number: str, phone: str, *, address: str = "127.0.0.1"):
    """Start a registration and answer its SMS code from ``address``; return the confirmation response."""
    challenge = auth.start_registration(name, id_number, phone)
    return auth.client.post("/api/v1/auth/register/confirm", environ_base={"REMOTE_ADDR": address},
                            json={"challenge_id": challenge, "code": auth.code(phone)})


def test_unknown_id_number_registers_at_level_0_without_licenses(world, auth, client):
    """An ID number the police do not know registers the account at level 0; licenses stay closed."""
    response = _sign_up(auth, UNKNOWN_CITIZEN.name, UNKNOWN_CITIZEN.id_number, "13900000001")
    assert response.status_code == 201 and response.json["identity_check"] == "not_found"
    assert response.json["account"]["proofing_level"] == 0
    headers = {"Authorization": f"Bearer {response.json['access_token']}"}
    assert client.get("/api/v1/me/licenses", headers=headers).json == {
        "items": [], "identity_verified": False, "proofing_level": 0, "licenses_released": False}
    refused = client.post("/api/v1/me/licenses/refresh", headers=headers)
    assert refused.status_code == 403 and refused.json["code"] == "proofing_level_too_low"


def test_mismatched_name_is_refused_and_guessing_is_throttled(world, auth):
    """A name that contradicts the police records is a 422 on ``name``; after five from one address, 429."""
    demo = DEMO_CITIZENS[2].citizen
    for attempt in range(5):
        wrong = _sign_up(auth, "冒名顶替", demo.id_number, f"1390000100{attempt}")
        assert wrong.status_code == 422
        assert wrong.json["errors"][0]["field"] == "name" and wrong.json["errors"][0]["code"] == "identity_mismatch"
    throttled = _sign_up(auth, demo.name, demo.id_number, "13900001009")
    assert throttled.status_code == 429 and throttled.json["code"] == "too_many_identity_checks"
    assert int(throttled.headers["Retry-After"]) > 0
    elsewhere = _sign_up(auth, demo.name, demo.id_number, DEMO_CITIZENS[2].phone, address="10.3.3.3")
    assert elsewhere.status_code == 201  # the owner, from their own address, is not blocked


def test_identity_check_verifies_an_existing_account_later(world, auth, departments):
    """A police outage at sign-up leaves the account at level 0; the later check gives level 1, proving the
    phone gives level 2, and the licenses arrive."""
    departments.scripts["police"].then(1, fault="5xx")
    demo = DEMO_CITIZENS[3]
    response = _sign_up(auth, demo.citizen.name, demo.citizen.id_number, demo.phone)
    assert response.json["identity_check"] == "unavailable" and response.json["carrier_check"] == "skipped"
    headers = {"Authorization": f"Bearer {response.json['access_token']}"}
    wrong = world.client.post("/api/v1/me/identity-check", json={"name": "刘阳"}, headers=headers)
    assert wrong.status_code == 422 and wrong.json["errors"][0]["code"] == "identity_mismatch"
    right = world.client.post("/api/v1/me/identity-check", json={"name": demo.citizen.name}, headers=headers)
    assert right.json == {"outcome": "match", "identity_verified": True, "proofing_level": 1}
    sent = world.client.post("/api/v1/me/sms-challenges", json={"purpose": "phone"}, headers=headers).json
    proved = world.client.post("/api/v1/me/identity/phone", headers=headers,
                               json={"challenge_id": sent["challenge_id"], "code": auth.code(demo.phone)})
    assert proved.json == {"proofing_level": 2, "carrier_check": "match"}
    refreshed = world.client.post("/api/v1/me/licenses/refresh", headers=headers).json
    police = [lic for lic in demo.licenses if lic.license_type in KIND_LICENSE_TYPES["police"]]
    assert refreshed["sources"]["police"] == {"state": "ok", "count": len(police)} and len(police) == 4
    assert len(refreshed["items"]) == len(demo.licenses)


@pytest.mark.parametrize("body, field", [({}, "name"), ({"name": "1"}, "name"), ({"name": "张伟", "x": 1}, "x")])
def test_identity_check_validation_names_the_field(world, body, field):
    """Bad identity-check bodies are 422s naming the field."""
    citizen = world.citizen(0)
    response = world.client.post("/api/v1/me/identity-check", json=body, headers=citizen.headers)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == field


def test_refresh_keeps_licenses_when_a_department_fails(world, departments):
    """A failing department is reported per source and its licenses stay as they were."""
    citizen = world.citizen(0)
    before = {item["id"] for item in world.licenses(citizen)}
    departments.scripts["hrss"].then(1, fault="5xx")
    body = world.client.post("/api/v1/me/licenses/refresh", headers=citizen.headers).json
    assert body["sources"]["hrss"]["state"] == "error" and body["sources"]["police"]["state"] == "ok"
    assert {item["id"] for item in body["items"]} == before


def test_licenses_are_sealed_at_rest(world):
    """No ID number reaches the license rows in plain text."""
    world.citizen(0)
    number = DEMO_CITIZENS[0].citizen.id_number
    svc = world.app.extensions["zwt"]
    with svc.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM wallet_licenses")).all()
    assert rows and number not in repr(rows)


@pytest.mark.parametrize("query", ["before=0", "before=293574170664487620605640704", "limit=0", "limit=500"])
def test_access_log_paging_is_validated(world, query):
    """Out-of-range paging parameters are 422s, never a database error."""
    citizen = world.citizen(0)
    response = world.client.get(f"/api/v1/me/access-log?{query}", headers=citizen.headers)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == query.split("=")[0]


@pytest.mark.parametrize("value, masked", [("true", False), ("1", False), ("false", True), ("0", True)])
def test_reveal_takes_true_false_one_or_zero(world, value, masked):
    """``reveal`` is a boolean written ``true``/``false`` or ``1``/``0``; each reads as what it says."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    response = world.client.get(f"/api/v1/me/licenses/{lic}?reveal={value}", headers=citizen.headers)
    assert response.status_code == 200 and response.json["revealed"] is not masked


@pytest.mark.parametrize("value", ["yes", "on", "y", "TRUE1", ""])
def test_reveal_refuses_words_that_only_look_like_booleans(world, value):
    """``reveal=yes`` is a 422 naming ``reveal``, not a silent ``true``; nothing is revealed or logged."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    response = world.client.get(f"/api/v1/me/licenses/{lic}?reveal={value}", headers=citizen.headers)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "reveal"
    assert world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"] == []


def test_a_license_past_its_last_day_shows_expired_and_is_not_presented(world):
    """Status comes from the validity dates and the injected clock: past ``valid_until`` it is ``expired``."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    today = world.clock.now().astimezone(CHINA_TZ).date()

    def last_day(day: dt.date) -> None:
        with world.app.extensions["zwt"].db.engine.begin() as conn:
            conn.execute(text("UPDATE wallet_licenses SET valid_until = :day WHERE public_id = :id"),
                         {"day": day, "id": lic})

    last_day(today)
    listed = world.client.get("/api/v1/me/licenses", headers=citizen.headers).json["items"]
    assert next(item for item in listed if item["id"] == lic)["status"] == "valid"  # its last day counts
    last_day(today - dt.timedelta(days=1))
    listed = world.client.get("/api/v1/me/licenses", headers=citizen.headers).json["items"]
    statuses = {item["id"]: item["status"] for item in listed}
    assert statuses.pop(lic) == "expired" and set(statuses.values()) == {"valid"}
    one = world.client.get(f"/api/v1/me/licenses/{lic}", headers=citizen.headers).json
    assert one["status"] == "expired"
    refused = world.present(citizen, lic, profile="minimal")
    assert refused.status_code == 409 and refused.json["code"] == "license_expired"
