"""Pushing licenses through the standard issuing interface: stored, repeated, refused, linked into wallets."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from services_catalog.sandbox.citizens import DEMO_CITIZENS
from wallet.verify import verify
from zwt.models import IssuedLicense, WalletLicense

from .conftest import record, resident_id, status, uscc
from .signing import DepartmentKey


def _ledger_count(world) -> int:
    with world.app.extensions["zwt"].db.sessions() as sess:
        return sess.scalar(select(func.count()).select_from(IssuedLicense))


def _wallet_rows(world, license_type: str) -> list[WalletLicense]:
    with world.app.extensions["zwt"].db.sessions() as sess:
        return list(sess.scalars(select(WalletLicense).where(WalletLicense.license_type == license_type)))


def _licenses_of(world, citizen, license_type: str) -> list[dict]:
    return [item for item in world.licenses(citizen) if item["license_type"] == license_type]


def test_one_record_reaches_the_wallet_of_a_citizen_at_level_2_and_presents(world, civil):
    """A marriage certificate pushed as one JSON record is stored, lands in the holder's wallet and presents."""
    citizen = world.citizen(0)
    response = civil.push(record("marriage_certificate", "MC-2024-0001"))
    assert response.status_code == 200, response.json
    assert response.json["stored"] == 1 and response.json["records"] == [
        {"line": 1, "serial": "MC-2024-0001", "version": 1, "outcome": "stored"}]
    [lic] = _licenses_of(world, citizen, "marriage_certificate")
    assert lic["status"] == "valid" and lic["held_as"] == "self" and lic["department_code"] == "civil_affairs"
    made = world.present(citizen, lic["id"], profile="standard")
    assert made.status_code == 201, made.json
    verdict = verify(made.json["qd1"], world.bundle(), now=world.now)
    assert verdict.valid and verdict.license_type == "marriage_certificate"


def test_a_batch_is_stored_once_and_a_repeat_is_unchanged(world, civil):
    """Three JSON lines are stored; the same three again are ``unchanged`` and nothing is stored twice."""
    citizen = world.citizen(0)
    lines = [record("marriage_certificate", f"MC-{n}") for n in range(3)]
    first = civil.push(*lines)
    assert first.status_code == 200, first.json
    assert (first.json["received"], first.json["stored"], first.json["unchanged"]) == (3, 3, 0)
    again = civil.push(*lines)
    assert again.status_code == 200, again.json
    assert (again.json["stored"], again.json["unchanged"]) == (0, 3)
    assert [r["outcome"] for r in again.json["records"]] == ["unchanged"] * 3
    assert _ledger_count(world) == 3 and len(_licenses_of(world, citizen, "marriage_certificate")) == 3


def test_a_change_updates_the_wallet_license(world, civil):
    """A higher version with other content replaces the license the citizen sees."""
    citizen = world.citizen(0)
    civil.push(record("marriage_certificate", "MC-9"))
    changed = record("marriage_certificate", "MC-9", version=2, op="change", issuer_name="青岛市市南区民政局")
    assert civil.push(changed).json["stored"] == 1
    [lic] = _licenses_of(world, citizen, "marriage_certificate")
    assert lic["issuer_name"] == "青岛市市南区民政局"


def _refused(response) -> tuple[str, str]:
    assert response.status_code == 422, response.json
    assert response.json["code"] == "records_refused"
    [line] = response.json["records"]
    return line["reason"], line["field"]


def test_refusals_name_their_reason_and_field(world, civil):
    """Foreign type, stale and conflicting versions, an unknown holder, a bad field, a final state."""
    civil.push(record("marriage_certificate", "MC-1", version=2))
    assert _refused(civil.push(record("business_license", "BL-1", organisation=uscc(1)))) == (
        "type_not_allowed", "license_type")
    assert _refused(civil.push(record("marriage_certificate", "MC-1", version=1))) == ("stale_version", "version")
    assert _refused(civil.push(record("marriage_certificate", "MC-1", version=2, issuer_name="别处"))) == (
        "version_conflict", "version")
    bad_holder = record("marriage_certificate", "MC-2")
    bad_holder["holder"]["id_number"] = "370202198501011235"  # a wrong check digit
    assert _refused(civil.push(bad_holder)) == ("unknown_holder", "holder.id_number")
    bad_field = record("marriage_certificate", "MC-3")
    bad_field["fields"]["registration_date"] = "2024-13-01"
    assert _refused(civil.push(bad_field)) == ("invalid", "fields.registration_date")
    unknown = record("marriage_certificate", "MC-4")
    unknown["fields"]["entity_type"] = "有限责任公司"
    assert _refused(civil.push(unknown)) == ("unknown_field", "fields.entity_type")
    assert civil.push(status("marriage_certificate", "MC-1", "revoke", 3, "撤销登记")).status_code == 200
    assert _refused(civil.push(status("marriage_certificate", "MC-1", "reinstate", 4))) == ("final_state", "op")
    assert _refused(civil.push(status("marriage_certificate", "MC-5", "suspend", 1))) == ("not_issued", "serial")
    refused = civil.push(record("business_license", "BL-2", organisation=uscc(2)))
    assert refused.json["errors"][0]["field"] == "records[1].license_type"


def test_a_batch_with_one_bad_line_writes_nothing(world, civil):
    """All or nothing: line 3 is refused, so lines 1, 2 and 4 are not written either."""
    citizen = world.citizen(0)
    lines = [record("marriage_certificate", f"MC-{n}") for n in range(4)]
    lines[2]["version"] = 0
    response = civil.push(*lines)
    assert _refused(response) == ("invalid", "version")
    assert response.json["records"][0]["line"] == 3 and response.json["stored"] == 3
    assert _ledger_count(world) == 0 and _licenses_of(world, citizen, "marriage_certificate") == []


def test_a_malformed_line_is_refused_by_number(world, civil):
    """A line that is not JSON is refused as ``malformed_json``, counted like the file's lines."""
    body = json.dumps(record("marriage_certificate", "MC-1"), ensure_ascii=False).encode() + b"\n\n{oops\n"
    response = civil.send(body, "application/jsonl")
    assert response.status_code == 422
    assert response.json["records"] == [{"line": 3, "serial": None, "version": None, "outcome": "refused",
                                         "reason": "malformed_json", "field": "record"}]


def _signature_problem(response) -> str:
    assert response.status_code == 401, response.json
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json["code"] == "signature_invalid"
    return response.json["errors"][0]["code"]


def test_signature_problems_are_401_naming_why(world, civil, market):
    """A tampered body, a foreign key, unknown or revoked key ids, a stale ``created`` are each refused."""
    body = json.dumps(record("marriage_certificate", "MC-1"), ensure_ascii=False).encode()
    signed = civil.key.sign(civil.department, body, "application/json", created=world.now)
    tampered = world.client.post(civil.path, data=body.replace(b"MC-1", b"MC-2"), headers=signed)
    assert _signature_problem(tampered) == "bad_digest"
    forged = DepartmentKey(civil.key.key_id)  # right key id, wrong private key
    assert _signature_problem(civil.push(record("marriage_certificate", "MC-1"), key=forged)) == "bad_signature"
    assert _signature_problem(civil.push(record("marriage_certificate", "MC-1"),
                                         key=DepartmentKey("nobody"))) == "unknown_key"
    assert _signature_problem(civil.push(record("marriage_certificate", "MC-1"), key=market.key)) == (
        "key_not_of_department")
    assert _signature_problem(civil.push(record("marriage_certificate", "MC-1"),
                                         created=world.now - 301)) == "created_out_of_window"
    assert _signature_problem(world.client.post(civil.path, data=body,
                                                headers={"Content-Type": "application/json"})) == "missing_signature"
    revoked = world.client.post(f"/api/v1/admin/issuers/civil_affairs/keys/{civil.key.key_id}/revoke",
                                headers=civil.admin)
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked"
    assert _signature_problem(civil.push(record("marriage_certificate", "MC-1"))) == "key_revoked"
    assert _ledger_count(world) == 0


def test_pushed_before_the_account_exists_then_claimed_at_level_2(world, civil):
    """The ledger keeps a license whose holder has no account; registering to level 2 brings it in."""
    demo = DEMO_CITIZENS[1]
    pushed = civil.push(record("marriage_certificate", "MC-77", holder_id=demo.citizen.id_number,
                               holder_name=demo.citizen.name))
    assert pushed.status_code == 200 and pushed.json["stored"] == 1
    assert _wallet_rows(world, "marriage_certificate") == []
    citizen = world.citizen(1)
    [lic] = _licenses_of(world, citizen, "marriage_certificate")
    assert lic["status"] == "valid" and lic["holder_name"] == demo.citizen.name
    refreshed = world.client.post("/api/v1/me/licenses/refresh", headers=citizen.headers)
    assert refreshed.status_code == 200
    assert len(_licenses_of(world, citizen, "marriage_certificate")) == 1  # claimed once


def test_a_holder_without_any_account_waits_in_the_ledger(world, civil):
    """A valid ID number nobody registered is stored, and no wallet row is made for it."""
    assert civil.push(record("marriage_certificate", "MC-5", holder_id=resident_id(5))).json["stored"] == 1
    assert _ledger_count(world) == 1 and _wallet_rows(world, "marriage_certificate") == []


def test_an_organisation_license_lands_in_the_representatives_wallet(world, market):
    """The business license of a company shows in its legal representative's wallet as the company's."""
    citizen = world.citizen(0)
    company = uscc(7)
    response = market.push(record("business_license", "BL-2019-000123", organisation=company))
    assert response.status_code == 200, response.json
    [lic] = _licenses_of(world, citizen, "business_license")
    assert lic["held_as"] == "organisation"
    assert lic["organisation"] == {"name": "青岛海岸咖啡有限公司", "uscc": company}
    assert lic["holder_name"] == "青岛海岸咖啡有限公司"
    made = world.present(citizen, lic["id"], profile="full")
    assert made.status_code == 201, made.json
    verdict = verify(made.json["qd1"], world.bundle(), now=world.now)
    assert verdict.valid and verdict.fields["holder_name"] == "青岛海岸咖啡有限公司"
    assert verdict.fields["holder_code"] == company


def test_revoked_at_source_is_revoked_in_the_wallet_and_in_the_next_bundle(world, civil):
    """A revoke record flips the wallet license and the status bit the next synced bundle carries."""
    citizen = world.citizen(0)
    civil.push(record("marriage_certificate", "MC-3"))
    [lic] = _licenses_of(world, citizen, "marriage_certificate")
    text = world.present(citizen, lic["id"], profile="minimal").json["qd1"]
    old_bundle = world.bundle()
    assert verify(text, old_bundle, now=world.now).valid
    response = civil.push(status("marriage_certificate", "MC-3", "revoke", 2, "登记错误"))
    assert response.status_code == 200 and response.json["stored"] == 1
    assert _licenses_of(world, citizen, "marriage_certificate")[0]["status"] == "revoked"
    assert verify(text, old_bundle, now=world.now).valid  # the old bundle does not know yet
    assert verify(text, world.bundle(), now=world.now).reason == "revoked"
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert any(entry["event"] == "revoked" and entry["source"] == "issuer" for entry in log)
    again = world.present(citizen, lic["id"], profile="minimal")
    assert again.status_code == 409 and again.json["code"] == "license_revoked"


def test_suspend_and_reinstate_at_source(world, civil):
    """Suspend then reinstate: the wallet follows, and the bundle reads suspended, then valid again."""
    citizen = world.citizen(0)
    civil.push(record("marriage_certificate", "MC-4"))
    [lic] = _licenses_of(world, citizen, "marriage_certificate")
    text = world.present(citizen, lic["id"], profile="minimal").json["qd1"]
    civil.push(status("marriage_certificate", "MC-4", "suspend", 2))
    assert verify(text, world.bundle(), now=world.now).reason == "suspended"
    civil.push(status("marriage_certificate", "MC-4", "reinstate", 3))
    assert verify(text, world.bundle(), now=world.now).valid
    assert _licenses_of(world, citizen, "marriage_certificate")[0]["status"] == "valid"


def test_the_body_must_be_json_or_json_lines(world, civil):
    """Another media type is a 415 problem after the signature held."""
    response = civil.send(b"a,b\n", "text/csv")
    assert response.status_code == 415 and response.json["code"] == "unsupported_media_type"


def test_text_no_column_can_hold_is_refused_by_line(world, civil):
    """A NUL escaped into a JSON line is refused ``invalid_text`` naming the field, nothing written."""
    line = json.dumps(record("marriage_certificate", "MC-1", issuer_name="民政\u0000局")).encode()
    response = civil.send(line + b"\n", "application/jsonl")
    assert _refused(response) == ("invalid_text", "issuer_name")
    assert _ledger_count(world) == 0


def test_expired_at_source_is_expired_in_the_wallet_and_invalid_at_counters(world, civil):
    """An ``expire`` before the end date: the wallet shows ``expired``, a counter's next bundle refuses it."""
    citizen = world.citizen(0)
    civil.push(record("marriage_certificate", "MC-8"))
    [lic] = _licenses_of(world, citizen, "marriage_certificate")
    text = world.present(citizen, lic["id"], profile="minimal").json["qd1"]
    assert civil.push(status("marriage_certificate", "MC-8", "expire", 2)).status_code == 200
    assert _licenses_of(world, citizen, "marriage_certificate")[0]["status"] == "expired"
    assert verify(text, world.bundle(), now=world.now).reason == "revoked"
    again = world.present(citizen, lic["id"], profile="minimal")
    assert again.status_code == 409 and again.json["code"] == "license_expired"


def test_a_new_legal_representative_takes_the_business_license_over(world, market):
    """A change naming another representative parks the license (suspended) until they reach level 2; then it
    moves to their wallet, valid, and the former representative holds it no more."""
    former = world.citizen(0)
    company, demo = uscc(9), DEMO_CITIZENS[1]
    market.push(record("business_license", "BL-9", organisation=company))
    assert _licenses_of(world, former, "business_license")[0]["status"] == "valid"
    handed = record("business_license", "BL-9", version=2, op="change", organisation=company,
                    holder_id=demo.citizen.id_number, holder_name=demo.citizen.name)
    assert market.push(handed).json["stored"] == 1
    assert _licenses_of(world, former, "business_license")[0]["status"] == "suspended"
    successor = world.citizen(1)
    [lic] = _licenses_of(world, successor, "business_license")
    assert lic["status"] == "valid" and lic["held_as"] == "organisation"
    assert _licenses_of(world, former, "business_license") == []


def test_a_persons_license_never_changes_hands(world, civil):
    """A change naming another person is refused ``holder_changed``: a new holder is a new serial."""
    civil.push(record("marriage_certificate", "MC-1"))
    other = DEMO_CITIZENS[1].citizen
    moved = record("marriage_certificate", "MC-1", version=2, op="change", holder_id=other.id_number,
                   holder_name=other.name)
    assert _refused(civil.push(moved)) == ("holder_changed", "holder")
