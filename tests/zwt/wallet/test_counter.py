"""Counters over HTTP: bundle sync with ETags, online verification, signed offline log batches, access log."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wallet import cose
from wallet.holder import generate_device_key, present
from wallet.verify import verify

from .conftest import COUNTER, HALL


def _register_counter(world, clerk, key):
    """Register a counter device for the clerk; return its id."""
    me = world.client.get("/api/v1/me", headers=clerk).json
    response = world.client.post("/api/v1/verifier/devices", json={"name": "扫码枪", **world.prove(
        clerk, me["subject"], key)}, headers=clerk)
    assert response.status_code == 201, response.json
    assert (response.json["hall_code"], response.json["counter_code"]) == (me["hall_code"], me["counter_code"])
    return response.json["id"]


def _batch(device_id, records, *, batch_id="b-0001", hall=HALL, counter=COUNTER):
    """The JSON bytes of a log batch."""
    return json.dumps({"batch_id": batch_id, "device_id": device_id, "hall_code": hall, "counter_code": counter,
                       "records": records}, ensure_ascii=False).encode()


def _upload(world, clerk, key, raw):
    """Sign and upload a batch."""
    signature = cose.sign_raw(key, cose.ALG_ES256, raw)
    return world.client.post("/api/v1/verifier/logs", json={
        "payload": base64.b64encode(raw).decode(), "signature": base64.b64encode(signature).decode()}, headers=clerk)


def test_bundle_etag_gives_304_until_something_changes(world):
    """The bundle answers 304 to its own ETag, and a revocation changes the ETag."""
    citizen = world.citizen(0)
    first = world.client.get("/api/v1/verifier/bundle")
    assert first.status_code == 200 and first.mimetype == "application/vnd.qd1.trust+cbor"
    etag = first.headers["ETag"]
    again = world.client.get("/api/v1/verifier/bundle", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "id_card")
    world.client.post(f"/api/v1/admin/licenses/{lic['identifier']}/status", json={"action": "suspend", "reason": "x"},
                      headers=world.admin("police"))
    changed = world.client.get("/api/v1/verifier/bundle", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_departments_first_license_moves_the_bundle_so_counters_get_its_status_list(world):
    """A bundle synced before any police license holds no police status list; the first one (a citizen signing
    up) creates the list and moves the generation, so the next sync carries it and a code verifies offline
    instead of ``status_unknown``."""
    early = world.client.get("/api/v1/verifier/bundle")
    assert early.status_code == 200
    assert not any(uri.endswith(":police") for uri in world.bundle().status_lists)
    citizen = world.citizen(0)
    later = world.client.get("/api/v1/verifier/bundle", headers={"If-None-Match": early.headers["ETag"]})
    assert later.status_code == 200 and later.headers["ETag"] != early.headers["ETag"]
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "id_card")
    shown = world.client.post(f"/api/v1/me/licenses/{lic['id']}/presentations", json={"profile": "minimal"},
                              headers=citizen.headers)
    assert shown.status_code == 201, shown.json
    verdict = verify(shown.json["qd1"], world.bundle(), now=world.now)
    assert verdict.valid, verdict


def test_offline_and_online_verifications_reach_the_citizens_access_log(world):
    """The citizen sees the presentation, the online check and the uploaded offline check, with hall and counter."""
    citizen = world.citizen(0)
    item = world.service_item()
    shown = world.present(citizen, world.license_id(citizen, "driving_license"), impl_code=item).json
    assert shown["fields"] == ["holder_name", "holder_code", "valid_from", "valid_until", "license_class"]
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)

    online = world.client.post("/api/v1/verifier/verify", json={"qd1": shown["qd1"], "impl_code": item},
                               headers=clerk).json
    assert online["valid"] and set(online["fields"]) == set(shown["fields"])
    offline = verify(shown["qd1"], world.bundle(), now=world.now)
    record = {"record_id": "r-1", "verified_at": "2026-11-26T09:00:30+00:00", "license_id": offline.license_id,
              "license_type": offline.license_type, "verdict": "valid", "fields": sorted(offline.fields),
              "impl_code": item}
    stored = _upload(world, clerk, key, _batch(device_id, [record]))
    assert stored.status_code == 201 and stored.json == {"batch_id": "b-0001", "received": 1, "accepted": 1,
                                                         "stored": 1, "refused": [], "duplicate": False}
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert [(e["event"], e["source"]) for e in log] == [("verified", "offline"), ("verified", "online"),
                                                        ("presented", "app")]
    assert all(e["hall_code"] == HALL and e["counter_code"] == COUNTER and e["actor_role"] == "clerk"
               for e in log[:2])
    assert log[0]["impl_code"] == item and log[0]["verdict"] == "valid" and log[0]["actor_name"]
    assert [e["reported_by"] for e in log] == ["counter", None, None]  # only the upload is the counter's word


def test_log_upload_is_idempotent_and_refuses_forgeries(world):
    """The same batch twice stores once; another key's signature, another counter and changed content are refused."""
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    records = [{"record_id": f"r-{i}", "verified_at": "2026-11-26T17:00:00+08:00", "verdict": "revoked"}
               for i in range(3)]
    raw = _batch(device_id, records)
    assert _upload(world, clerk, key, raw).status_code == 201
    again = _upload(world, clerk, key, raw)
    assert again.status_code == 200 and again.json["duplicate"] is True and again.json["stored"] == 0

    forged = _upload(world, clerk, generate_device_key(), _batch(device_id, records, batch_id="b-2"))
    assert forged.status_code == 422 and forged.json["errors"][0]["field"] == "signature"
    changed = _upload(world, clerk, key, _batch(device_id, records[:1]))
    assert changed.status_code == 409 and changed.json["code"] == "batch_conflict"

    elsewhere = world.clerk(hall="370203-hall-02", counter="counter-07")
    foreign = _upload(world, elsewhere, key, _batch(device_id, records, batch_id="b-3"))
    assert foreign.status_code == 403 and foreign.json["code"] == "foreign_counter"
    claimed = _upload(world, clerk, key, _batch(device_id, records, batch_id="b-4", counter="counter-99"))
    assert claimed.status_code == 403
    svc = world.app.extensions["zwt"]
    with svc.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM wallet_access_log")).scalar() == 3


@pytest.mark.parametrize("payload, field", [
    ("not base64!", "payload"),
    (base64.b64encode(b"[1, 2]").decode(), "payload.batch_id"),
    (base64.b64encode(b"{bad json").decode(), "payload"),
    (base64.b64encode(b"[" * 100_000).decode(), "payload"),  # was a RecursionError (500)
    (base64.b64encode(b'{"batch_id": "b-1", "\\ud800": 1}').decode(), "payload"),  # was a 500 (unwritable answer)
    (base64.b64encode(b'{"batch_id": "b-\\u0000"}').decode(), "payload.batch_id"),
])
def test_log_upload_validation_names_the_field(world, payload, field):
    """Undecodable or incomplete payloads are 422s naming the field."""
    clerk = world.clerk()
    response = world.client.post("/api/v1/verifier/logs", json={"payload": payload, "signature": "A" * 86},
                                 headers=clerk)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == field


def test_a_log_payload_deeper_than_a_request_body_may_be_is_json_too_deep(world):
    """The signed payload is held to a request body's depth limit (found by the counter-log fuzz properties)."""
    deep = base64.b64encode(b"[" * 401 + b"]" * 401).decode()
    response = world.client.post("/api/v1/verifier/logs", json={"payload": deep, "signature": "A" * 86},
                                 headers=world.clerk())
    assert response.status_code == 400 and response.json["code"] == "json_too_deep"


def test_counter_routes_are_for_clerks(world):
    """Citizens get 403 from verify, logs and device registration."""
    citizen = world.citizen(0)
    for path in ("/api/v1/verifier/verify", "/api/v1/verifier/logs", "/api/v1/verifier/devices"):
        assert world.client.post(path, json={}, headers=citizen.headers).status_code == 403


def test_online_verify_reports_insufficient_disclosure_for_the_item(world):
    """A minimal presentation cannot serve an item that needs the licence class: ``insufficient_disclosure``."""
    citizen = world.citizen(0)
    item = world.service_item()
    minimal = world.present(citizen, world.license_id(citizen, "driving_license"), profile="minimal").json["qd1"]
    verdict = world.client.post("/api/v1/verifier/verify", json={"qd1": minimal, "impl_code": item},
                                headers=world.clerk()).json
    assert verdict["valid"] is False and verdict["reason"] == "insufficient_disclosure"


def test_access_log_is_append_only_in_the_database(world):
    """Even the service's own connection cannot UPDATE or DELETE access-log rows."""
    citizen = world.citizen(0)
    world.present(citizen, world.license_id(citizen, "id_card"))
    svc = world.app.extensions["zwt"]
    for statement in ("UPDATE wallet_access_log SET verdict = 'valid'", "DELETE FROM wallet_access_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with svc.db.engine.begin() as conn:
                conn.execute(text(statement))
    with svc.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM wallet_access_log")).scalar() == 1


def test_another_node_serves_the_new_bundle_within_a_second(world, make_app, departments, clock):
    """A node that cached the bundle re-reads the generation after ``ZWT_BUNDLE_FRESHNESS_SECONDS`` (1 s by default)."""
    citizen = world.citizen(0)
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "id_card")
    other = make_app(departments=departments).test_client()
    before = other.get("/api/v1/verifier/bundle").headers["ETag"]
    world.client.post(f"/api/v1/admin/licenses/{lic['identifier']}/status", json={"action": "revoke", "reason": "x"},
                      headers=world.admin("police"))
    assert other.get("/api/v1/verifier/bundle").headers["ETag"] == before  # still within its check interval
    clock.advance(1.0)
    assert other.get("/api/v1/verifier/bundle").headers["ETag"] != before


def test_a_workers_own_lock_is_in_the_very_next_bundle_it_serves(world):
    """A bundle cached just before a lock is replaced at once on the worker that took the lock (no clock step)."""
    citizen = world.citizen(0)
    key, _ = world.device(citizen)
    shown = world.present(citizen, world.license_id(citizen, "id_card")).json["qd1"]
    before = world.client.get("/api/v1/verifier/bundle").headers["ETag"]
    assert world.client.post("/api/v1/me/wallet/lock", headers=citizen.headers).status_code == 200
    after = world.client.get("/api/v1/verifier/bundle")
    assert after.headers["ETag"] != before
    assert verify(present(shown, key, now=world.now), world.bundle(), now=world.now).reason == "suspended"


def test_bundle_freshness_is_a_setting(world, make_app, departments, clock):
    """``ZWT_BUNDLE_FRESHNESS_SECONDS`` sets how long another node serves the bundle it has: 5 s here, 0 for never."""
    citizen = world.citizen(0)
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "id_card")
    patient = make_app({"ZWT_BUNDLE_FRESHNESS_SECONDS": "5"}, departments=departments).test_client()
    eager = make_app({"ZWT_BUNDLE_FRESHNESS_SECONDS": "0"}, departments=departments).test_client()
    before = {node: node.get("/api/v1/verifier/bundle").headers["ETag"] for node in (patient, eager)}
    world.client.post(f"/api/v1/admin/licenses/{lic['identifier']}/status", json={"action": "revoke", "reason": "x"},
                      headers=world.admin("police"))
    assert eager.get("/api/v1/verifier/bundle").headers["ETag"] != before[eager]
    clock.advance(4.9)
    assert patient.get("/api/v1/verifier/bundle").headers["ETag"] == before[patient]
    clock.advance(0.1)
    assert patient.get("/api/v1/verifier/bundle").headers["ETag"] != before[patient]


def test_a_generation_read_that_straddles_an_own_commit_is_not_trusted(world):
    """A read begun before this worker committed a wallet change may predate it: the next fetch reads again."""
    from zwt.wallet_service.keys import bump_wallet_generation

    svc = world.app.extensions["zwt"]
    rt = svc.wallet
    _, epoch = rt.bundle_check()
    with svc.db.sessions() as sess:
        bump_wallet_generation(sess)
        sess.commit()
    rt.bundle_checked(world.now, epoch)
    assert rt.bundle_check()[0] == float("-inf")
    _, epoch = rt.bundle_check()
    rt.bundle_checked(world.now, epoch)
    assert rt.bundle_check()[0] == world.now


def test_a_refused_item_check_does_not_spend_the_live_code(world):
    """Wrong item, wrong license type or too little shown: the clerk is told, and the same live code still works."""
    citizen = world.citizen(0)
    key, _ = world.device(citizen)
    item = world.service_item()
    minimal = world.present(citizen, world.license_id(citizen, "driving_license"), profile="minimal").json["qd1"]
    housing = world.present(citizen, world.license_id(citizen, "housing_fund_certificate")).json["qd1"]
    clerk = world.clerk()

    def check(text, impl_code=None):
        body = {"qd1": present(text, key, now=world.now), **({"impl_code": impl_code} if impl_code else {})}
        return world.client.post("/api/v1/verifier/verify", json=body, headers=clerk)

    unknown = check(minimal, "NO-SUCH-ITEM")
    assert unknown.status_code == 422 and unknown.json["errors"][0]["code"] == "unknown_service_item"
    other_type = check(housing, item)
    assert other_type.status_code == 422 and other_type.json["errors"][0]["code"] == "license_not_required"
    assert check(minimal, item).json["reason"] == "insufficient_disclosure"
    assert check(minimal).json["valid"] and check(housing).json["valid"]


def _signed_with_iss(world, iss):
    """A minimal id-card credential signed by the police key the bundle trusts, whose ``iss`` is ``iss``."""
    from services_catalog.sandbox.citizens import DEMO_CITIZENS
    from wallet import cwt
    from wallet.codec import encode_text
    from wallet.cti import compact_license_id
    from wallet.issuer import day_start
    from zwt.wallet_service.keys import signer_for
    from zwt.wallet_service.licenses import to_wallet_license

    svc = world.app.extensions["zwt"]
    with world.app.app_context():
        signer = signer_for("police", svc, {})
    lic = to_wallet_license(next(r for r in DEMO_CITIZENS[0].licenses if r.license_type == "id_card"))
    claims = cwt.Claims(iss=iss, iat=world.now, nbf=day_start(lic.valid_from), exp=world.now + 300,
                        cti=compact_license_id(lic.identifier), status=cwt.StatusRef(uri="urn:zwt:sl:police", idx=0),
                        license=lic.disclose("minimal"))
    return encode_text(cose.sign1(cwt.encode_claims(claims), signer.private_key, kid=signer.kid))


@pytest.mark.parametrize("iss", ["3" * 1000, "青" * 300])
def test_online_verify_of_an_oversized_claim_is_refused_as_a_verdict_never_a_500(world, iss):
    """The library caps claims: a 1,000-character ``iss`` is a ``claim_too_long`` verdict naming no license."""
    citizen = world.citizen(0)
    world.present(citizen, world.license_id(citizen, "id_card"))  # the police key and status list exist
    response = world.client.post("/api/v1/verifier/verify", json={"qd1": _signed_with_iss(world, iss)},
                                 headers=world.clerk())
    assert response.status_code == 200, response.data
    assert response.json["valid"] is False and response.json["reason"] == "claim_too_long"
    assert response.json["license_id"] is None


@pytest.mark.parametrize("iss", ["370200\x00police"])
def test_online_verify_of_a_claim_no_column_can_hold_is_a_verdict_never_a_500(world, iss):
    """Whatever the library lets through (a NUL), the online path answers with a verdict and logs the look
    with every text fitted to its column, the cut ones named in ``detail``."""
    citizen = world.citizen(0)
    world.present(citizen, world.license_id(citizen, "id_card"))  # the police key and status list exist
    response = world.client.post("/api/v1/verifier/verify", json={"qd1": _signed_with_iss(world, iss)},
                                 headers=world.clerk())
    assert response.status_code == 200, response.data
    claimed = response.json["license_id"]
    assert iss in claimed and (len(claimed) > 120 or "\x00" in claimed)
    svc = world.app.extensions["zwt"]
    with svc.db.engine.connect() as conn:
        logged = conn.execute(text("SELECT account_id, license_identifier, detail FROM wallet_access_log "
                                   "WHERE source = 'online'")).one()
    detail = logged.detail if isinstance(logged.detail, dict) else json.loads(logged.detail)
    assert logged.account_id is None and detail["clipped"] == ["license_identifier"]
    assert len(logged.license_identifier) <= 120 and "\x00" not in logged.license_identifier
    assert logged.license_identifier == claimed.replace("\x00", "\ufffd")[:120]


def _record(record_id, verified_at, **extra):
    """One offline log record."""
    return {"record_id": record_id, "verified_at": verified_at, "verdict": "valid", **extra}


def _refused(response):
    """The refused records of an upload answer as {index: (field, reason)}."""
    return {r["index"]: (r["field"], r["reason"]) for r in response.json["refused"]}


@pytest.mark.parametrize("verified_at, reason", [
    ("1970-01-01T00:00:00+00:00", "before_device_registered"),
    ("2031-01-01T08:00:00+08:00", "after_upload"),
    ("2026-11-26T09:05:01+00:00", "after_upload"),  # the upload time plus 5 minutes, and a second
])
def test_records_dated_in_1970_or_after_the_upload_are_refused(world, verified_at, reason):
    """A record dated 1970, 2031 or more than 5 minutes after the upload is refused and logs nothing."""
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    response = _upload(world, clerk, key, _batch(device_id, [_record("r-1", verified_at),
                                                             _record("r-2", "2026-11-26T09:05:00+00:00")]))
    assert response.status_code == 201
    assert _refused(response) == {0: ("payload.records[0].verified_at", reason)}
    assert (response.json["accepted"], response.json["stored"]) == (1, 1)
    assert response.json["refused"][0]["record_id"] == "r-1" and response.json["refused"][0]["message"]
    svc = world.app.extensions["zwt"]
    with svc.db.engine.connect() as conn:
        assert conn.execute(text("SELECT record_id FROM wallet_access_log")).scalars().all() == ["r-2"]


def test_records_dated_before_the_device_was_registered_are_refused(world, clock):
    """Ten days after registering, a record of the day before registration is refused; one within the 5-minute
    clock skew of the registration, or after it, is accepted."""
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)  # registered at 2026-11-26 09:00 UTC
    clock.advance(10 * 86400)
    records = [_record("r-1", "2026-11-25T09:00:00+00:00"), _record("r-2", "2026-11-26T08:56:00+00:00"),
               _record("r-3", "2026-11-26T08:54:59+00:00"), _record("r-4", "2026-12-01T12:00:00+08:00")]
    response = _upload(world, clerk, key, _batch(device_id, records))
    assert _refused(response) == {0: ("payload.records[0].verified_at", "before_device_registered"),
                                  2: ("payload.records[2].verified_at", "before_device_registered")}
    assert response.json["accepted"] == 2


def test_records_older_than_the_max_age_are_refused(world, clock):
    """40 days after registration, a record 31 days old is ``too_old``, one 29 days old is accepted (30 days,
    ``ZWT_COUNTER_LOG_MAX_AGE_DAYS``)."""
    assert world.app.extensions["zwt"].config.counter_log_max_age_days == 30
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    clock.advance(40 * 86400)  # now 2027-01-05 09:00 UTC
    response = _upload(world, clerk, key, _batch(device_id, [_record("old", "2026-12-05T08:59:00+00:00"),
                                                             _record("ok", "2026-12-07T09:00:00+00:00")]))
    assert _refused(response) == {0: ("payload.records[0].verified_at", "too_old")}
    assert response.json["accepted"] == 1 and response.json["stored"] == 1


def test_records_naming_fields_the_license_type_lacks_are_refused(world):
    """A field the type does not have, or a type that does not exist, is refused naming the field, in English
    too; the license on record decides the type, not what the record claims."""
    citizen = world.citizen(0)
    driving = next(i for i in world.licenses(citizen) if i["license_type"] == "driving_license")
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    at = "2026-11-26T09:00:00+00:00"
    records = [
        _record("r-1", at, license_id=driving["identifier"], license_type="driving_license",
                fields=["holder_name", "blood_type"]),
        _record("r-2", at, license_type="no_such_license", fields=["holder_name"]),
        _record("r-3", at, fields=["holder_name"]),  # fields, but no type to have them
        _record("r-4", at, license_id=driving["identifier"], license_type="id_card", fields=["license_class"]),
        _record("r-5", at, license_type="id_card", fields=["license_class"]),
        _record("r-6", at, license_type="driving_license", fields=["holder_name", "license_class"]),
    ]
    signature = cose.sign_raw(key, cose.ALG_ES256, raw := _batch(device_id, records))
    response = world.client.post("/api/v1/verifier/logs", headers={**clerk, "Accept-Language": "en"}, json={
        "payload": base64.b64encode(raw).decode(), "signature": base64.b64encode(signature).decode()})
    assert _refused(response) == {0: ("payload.records[0].fields[1]", "not_a_field_of_type"),
                                  1: ("payload.records[1].license_type", "unknown_license_type"),
                                  2: ("payload.records[2].fields[0]", "not_a_field_of_type"),
                                  4: ("payload.records[4].fields[0]", "not_a_field_of_type")}
    assert "payload.records[0].fields[1]" in response.json["refused"][0]["message"]
    assert response.json["accepted"] == 2


def test_records_naming_unknown_service_items_are_refused(world):
    """An item code no published catalog item has is refused; a published one is accepted."""
    item = world.service_item()
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    at = "2026-11-26T09:00:00+00:00"
    response = _upload(world, clerk, key, _batch(device_id, [_record("r-1", at, impl_code="NO-SUCH-ITEM"),
                                                             _record("r-2", at, impl_code=item)]))
    assert _refused(response) == {0: ("payload.records[0].impl_code", "unknown_service_item")}
    assert response.json["accepted"] == 1


def test_a_mixed_batch_logs_the_good_records_and_refuses_the_bad_the_same_way_twice(world, clock):
    """Good records reach the citizen's access log labelled as the counter's report, bad ones are refused with
    their index and record id; the same batch later answers the same (idempotent), however the clock moved."""
    citizen = world.citizen(0)
    driving = next(i for i in world.licenses(citizen) if i["license_type"] == "driving_license")
    item = world.service_item()
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    good = {"license_id": driving["identifier"], "license_type": "driving_license", "impl_code": item,
            "fields": ["holder_name", "license_class"]}
    records = [_record("g-1", "2026-11-26T09:00:00+00:00", **good),
               _record("b-1", "1970-01-01T00:00:00+00:00", **good),
               _record("g-2", "2026-11-26T09:01:00+00:00", **good),
               _record("b-2", "2026-11-26T09:01:00+00:00", **{**good, "fields": ["holder_name", "spouse_name"]}),
               _record("b-3", "2026-11-26T09:01:00+00:00", **{**good, "impl_code": "FAKE-ITEM"}),
               _record("b-4", "2031-06-01T00:00:00+00:00", **good)]
    raw = _batch(device_id, records)
    first = _upload(world, clerk, key, raw)
    assert first.status_code == 201
    assert (first.json["received"], first.json["accepted"], first.json["stored"]) == (6, 2, 2)
    assert [(r["index"], r["record_id"], r["reason"]) for r in first.json["refused"]] == [
        (1, "b-1", "before_device_registered"), (3, "b-2", "not_a_field_of_type"),
        (4, "b-3", "unknown_service_item"), (5, "b-4", "after_upload")]
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    offline = [e for e in log if e["source"] == "offline"]
    assert sorted(e["at"] for e in offline) == ["2026-11-26T09:00:00+00:00", "2026-11-26T09:01:00+00:00"]
    assert all(e["reported_by"] == "counter" and e["verdict"] == "valid" for e in offline)
    clock.advance(60 * 86400)  # every record would now be too old: the answer is still the first one's
    again = _upload(world, clerk, key, raw)
    assert again.status_code == 200 and again.json == {**first.json, "stored": 0, "duplicate": True}
