"""Identity proofing (issue 11) end to end over HTTP: levels, one account per person, sessions, passwords.

The police are the fake department (it knows the demo citizens); SMS, carrier and liveness are the telecom
sandbox in process, whose outbox the tests read like the person holding the phone.
"""

from __future__ import annotations

import pytest

from services_catalog.fakes import fake_departments
from services_catalog.proofing import CarrierOutcome
from services_catalog.sandbox.citizens import DEMO_CITIZENS

from .contract_helpers import conforms

ZHANG = DEMO_CITIZENS[0]  # known to the police; the carrier registered ZHANG.phone to him


@pytest.fixture
def app(make_app):
    """The app, with fake departments holding the demo citizens' licenses."""
    return make_app(departments=fake_departments())


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _me(client, citizen):
    return client.get("/api/v1/me", headers=citizen.headers)


def _licenses(client, citizen):
    return client.get("/api/v1/me/licenses", headers=citizen.headers).json


# -- levels and enrolment -------------------------------------------------------------------------------

def test_enrolment_proves_the_phone_and_reaches_level_2_with_licenses(client, auth):
    """Enrol → SMS code → police + carrier → level 2 → licenses on arrival."""
    citizen = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)
    me = _me(client, citizen).json
    assert (me["proofing_level"], me["proofing_level_name"], me["phone_verified"]) == (2, "phone", True)
    listed = _licenses(client, citizen)
    assert listed["licenses_released"] is True and listed["proofing_level"] == 2
    assert {item["license_type"] for item in listed["items"]} >= {"id_card", "driving_license"}


def test_a_wrong_code_is_refused_and_the_tries_run_out(client, auth):
    """A wrong code is a 422 naming ``code``; after five the challenge is spent, even for the right code."""
    challenge = auth.start_registration("李雷", "11010519491231002X", "13900000001")
    right = auth.code("13900000001")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        answer = client.post("/api/v1/auth/register/confirm", json={"challenge_id": challenge, "code": wrong})
        assert answer.status_code == 422 and answer.json["errors"][0]["field"] == "code"
    late = client.post("/api/v1/auth/register/confirm", json={"challenge_id": challenge, "code": right})
    assert late.status_code == 422 and late.json["errors"][0] == {
        "field": "challenge_id", "code": "expired", "message": late.json["errors"][0]["message"]}


def test_a_code_expires_with_time(client, auth, clock):
    """The code lives five minutes on the injected clock."""
    challenge = auth.start_registration("李雷", "11010519491231002X", "13900000001")
    code = auth.code("13900000001")
    clock.advance(301)
    late = client.post("/api/v1/auth/register/confirm", json={"challenge_id": challenge, "code": code})
    assert late.status_code == 422 and late.json["errors"][0]["field"] == "challenge_id"


def test_takeover_by_name_and_id_number_gets_no_licenses(client, auth):
    """Finding 1: knowing a name and ID number with some other phone gives level 1 and no licenses."""
    squatter = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone="13999990001")
    assert _me(client, squatter).json["proofing_level"] == 1
    listed = _licenses(client, squatter)
    assert listed["items"] == [] and listed["licenses_released"] is False
    refused = client.post("/api/v1/me/licenses/refresh", headers=squatter.headers)
    assert refused.status_code == 403 and refused.json["code"] == "proofing_level_too_low"
    assert refused.json["detail"]  # says which level is needed


def test_a_squatter_yields_to_the_real_person_and_is_told(client, auth):
    """The squatter's level-1 account is frozen when the real person passes level 2; its phone is told."""
    squatter = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone="13999990002")
    owner = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)
    assert _me(client, owner).json["proofing_level"] == 2
    assert _licenses(client, owner)["items"]
    assert "冻结" in auth.last_text("13999990002")
    assert _me(client, squatter).json["code"] == "token_revoked"
    again = auth.login("13999990002", squatter.password)
    assert again.status_code == 401 and again.json["code"] == "bad_credentials"
    assert auth.login(ZHANG.citizen.id_number, owner.password).status_code == 200


def test_a_level_2_account_yields_to_nobody(client, auth):
    """A second phone registered to the same person cannot take over a level-2 account: 409, holder told."""
    owner = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)
    outbox = auth.outbox
    challenge = auth.start_registration(ZHANG.citizen.name, ZHANG.citizen.id_number, "13999990003")
    outbox_sandbox = auth.app.extensions["zwt"].proofing.sandbox
    outbox_sandbox.set_carrier("13999990003", CarrierOutcome.MATCH)
    refused = auth.confirm(challenge, "13999990003")
    assert refused.status_code == 409 and refused.json["errors"][0]["code"] == "account_exists"
    assert "尝试" in outbox.last(owner.phone).text
    assert _me(client, owner).status_code == 200


def test_a_phone_in_someone_elses_name_reaches_level_3_with_a_face_check(client, auth):
    """The carrier says the phone is not his; a passing face check at sign-up gives level 3 and licenses."""
    sandbox = auth.app.extensions["zwt"].proofing.sandbox
    evidence = sandbox.start_liveness(ZHANG.citizen.id_number)
    citizen = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone="13999990004",
                            evidence=evidence)
    assert _me(client, citizen).json["proofing_level"] == 3
    assert _licenses(client, citizen)["items"]


def test_an_old_level_1_account_proves_its_phone_later(client, auth):
    """A level-1 account whose phone the carrier later confirms reaches level 2 through /me/identity/phone."""
    sandbox = auth.app.extensions["zwt"].proofing.sandbox
    sandbox.set_carrier("13999990005", CarrierOutcome.NOT_FOUND)
    citizen = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone="13999990005")
    assert _me(client, citizen).json["proofing_level"] == 1
    sandbox.set_carrier("13999990005", CarrierOutcome.MATCH)  # the person moved the number into their name
    sent = client.post("/api/v1/me/sms-challenges", json={"purpose": "phone"}, headers=citizen.headers)
    assert sent.status_code == 201 and sent.json["phone_masked"] == "139****0005"
    proved = client.post("/api/v1/me/identity/phone", headers=citizen.headers,
                         json={"challenge_id": sent.json["challenge_id"], "code": auth.code("13999990005")})
    assert proved.status_code == 200 and proved.json == {"proofing_level": 2, "carrier_check": "match"}
    assert _licenses(client, citizen)["items"]


# -- wrong names: the throttle counts the asker, not the target -----------------------------------------

def test_wrong_names_from_one_address_do_not_block_the_owner(client, auth):
    """Finding 3: five wrong names for an ID number from one address leave its owner's check alone."""
    for n in range(5):
        challenge = auth.start_registration("王二", ZHANG.citizen.id_number, f"1399999100{n}")
        answer = client.post("/api/v1/auth/register/confirm", environ_base={"REMOTE_ADDR": "10.6.6.6"},
                             json={"challenge_id": challenge, "code": auth.code(f"1399999100{n}")})
        assert answer.status_code == 422 and answer.json["errors"][0]["code"] == "identity_mismatch"
    challenge = auth.start_registration("王二", ZHANG.citizen.id_number, "13999991009")
    blocked = client.post("/api/v1/auth/register/confirm", environ_base={"REMOTE_ADDR": "10.6.6.6"},
                          json={"challenge_id": challenge, "code": auth.code("13999991009")})
    assert blocked.status_code == 429 and blocked.json["code"] == "too_many_identity_checks"
    owner = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)
    assert _me(client, owner).json["proofing_level"] == 2


# -- login answers ----------------------------------------------------------------------------------------

def test_a_disabled_account_answers_exactly_as_a_wrong_password(app, client, auth):
    """Finding 4: the right password on a disabled account is ``bad_credentials``, like a wrong one."""
    citizen = auth.register()
    with app.app_context():
        from zwt.db import session
        from zwt.models import Account

        account = session().query(Account).filter_by(subject=citizen.subject).one()
        account.status = "disabled"
        session().commit()
    right, wrong = auth.login(citizen.phone, citizen.password), auth.login(citizen.phone, "Wrong2026pass")
    assert right.status_code == wrong.status_code == 401
    assert {k: v for k, v in right.json.items() if k != "request_id"} == \
        {k: v for k, v in wrong.json.items() if k != "request_id"}
    assert right.headers.get("WWW-Authenticate") == wrong.headers.get("WWW-Authenticate")


def test_an_unknown_account_costs_one_password_check_like_a_known_one(auth):
    """Finding 2: the dummy hash is made once per process, so an unknown account runs scrypt once, not twice."""
    from zwt.auth.service import dummy_hash

    auth.login("13000000001", "nope12345")
    before = dummy_hash.cache_info()
    for n in range(3):
        assert auth.login(f"1300000001{n}", "nope12345").json["code"] == "bad_credentials"
    after = dummy_hash.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 3


# -- sessions and passwords ----------------------------------------------------------------------------

def test_sessions_are_listed_and_ended_one_by_one(client, auth):
    """GET /me/sessions lists each sign-in; DELETE /me/sessions/{id} ends one, its tokens dead at once."""
    citizen = auth.register()
    other = auth.login(citizen.phone, citizen.password).json
    listed = client.get("/api/v1/me/sessions", headers=citizen.headers).json["items"]
    assert len(listed) == 2 and sum(item["current"] for item in listed) == 1
    target = next(item["id"] for item in listed if not item["current"])
    assert client.delete(f"/api/v1/me/sessions/{target}", headers=citizen.headers).status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(other["access_token"])).json["code"] == "token_revoked"
    assert client.post("/api/v1/auth/refresh", headers=_bearer(other["refresh_token"])).status_code == 401
    assert len(client.get("/api/v1/me/sessions", headers=citizen.headers).json["items"]) == 1
    assert client.delete(f"/api/v1/me/sessions/{target}", headers=citizen.headers).status_code == 404


def test_ending_every_other_session_keeps_this_one(client, auth):
    """DELETE /me/sessions ends all sign-ins but the caller's."""
    citizen = auth.register()
    others = [auth.login(citizen.phone, citizen.password).json for _ in range(2)]
    ended = client.delete("/api/v1/me/sessions", headers=citizen.headers)
    assert ended.status_code == 200 and ended.json == {"sessions_ended": 2}
    assert all(client.get("/api/v1/me", headers=_bearer(o["access_token"])).status_code == 401 for o in others)
    assert _me(client, citizen).status_code == 200


def test_a_password_change_ends_the_other_sessions_and_tells_the_phone(client, auth):
    """Finding 5: the new password works, the old one does not, other sign-ins end, the phone is told."""
    citizen = auth.register()
    other = auth.login(citizen.phone, citizen.password).json
    changed = client.post("/api/v1/me/password", headers=citizen.headers,
                          json={"current_password": citizen.password, "new_password": "Changed2026ok"})
    assert changed.status_code == 200 and changed.json == {"sessions_ended": 1}
    assert client.get("/api/v1/me", headers=_bearer(other["access_token"])).status_code == 401
    assert _me(client, citizen).status_code == 200
    assert auth.login(citizen.phone, citizen.password).status_code == 401
    assert auth.login(citizen.phone, "Changed2026ok").status_code == 200
    assert "密码已" in auth.last_text(citizen.phone)


def test_a_password_change_needs_the_current_password(client, auth):
    """A wrong current password is a 422 naming ``current_password``; nothing changes."""
    citizen = auth.register()
    refused = client.post("/api/v1/me/password", headers=citizen.headers,
                          json={"current_password": "Wrong2026pass", "new_password": "Changed2026ok"})
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "current_password"
    assert auth.login(citizen.phone, citizen.password).status_code == 200


def test_a_password_reset_by_sms_ends_every_session(client, auth):
    """Finding 5: reset with a code sent to the phone on record; every sign-in ends."""
    citizen = auth.register()
    started = client.post("/api/v1/auth/password-reset", json={"username": citizen.id_number})
    assert started.status_code == 202
    done = client.post("/api/v1/auth/password-reset/confirm", json={
        "challenge_id": started.json["challenge_id"], "code": auth.code(citizen.phone),
        "new_password": "Reset2026okay"})
    assert done.status_code == 204
    assert _me(client, citizen).status_code == 401
    assert auth.login(citizen.phone, "Reset2026okay").status_code == 200
    assert "重设密码" in auth.last_text(citizen.phone)


def test_a_reset_for_an_unknown_account_answers_the_same(client, auth):
    """No oracle: an unknown username gets the same answer, and no code can finish it."""
    known = auth.register()
    answers = [client.post("/api/v1/auth/password-reset", json={"username": name})
               for name in (known.phone, "13000000077")]
    assert [a.status_code for a in answers] == [202, 202]
    assert sorted(answers[0].json) == sorted(answers[1].json)
    guess = client.post("/api/v1/auth/password-reset/confirm", json={
        "challenge_id": answers[1].json["challenge_id"], "code": "123456", "new_password": "Reset2026okay"})
    assert guess.status_code == 422


def test_recovery_by_face_when_the_phone_is_lost(client, auth):
    """A face check for the ID number's holder sets a new password, ends every session, reaches level 3."""
    owner = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)
    sandbox = auth.app.extensions["zwt"].proofing.sandbox
    recovered = client.post("/api/v1/auth/recover", json={
        "name": ZHANG.citizen.name, "id_number": ZHANG.citizen.id_number,
        "evidence": sandbox.start_liveness(ZHANG.citizen.id_number), "new_password": "Found2026again"})
    assert recovered.status_code == 204
    assert _me(client, owner).status_code == 401
    token = auth.login(ZHANG.phone, "Found2026again").json["access_token"]
    assert client.get("/api/v1/me", headers=_bearer(token)).json["proofing_level"] == 3
    failed = client.post("/api/v1/auth/recover", json={
        "name": ZHANG.citizen.name, "id_number": ZHANG.citizen.id_number, "evidence": "made-up",
        "new_password": "Other2026pass"})
    assert failed.status_code == 422 and failed.json["errors"][0]["field"] == "evidence"


# -- lost phone and step-up ------------------------------------------------------------------------------

def test_a_lock_from_another_device_ends_the_lost_phones_sessions(client, auth):
    """Lost phone: locking from a second device ends the phone's sign-in; the second device stays in."""
    lost_phone = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)
    laptop = auth.login(ZHANG.phone, lost_phone.password).json
    locked = client.post("/api/v1/me/wallet/lock", headers=_bearer(laptop["access_token"]))
    assert locked.status_code == 200 and locked.json["sessions_ended"] == 1
    assert _me(client, lost_phone).json["code"] == "token_revoked"
    assert client.post("/api/v1/auth/refresh", headers=_bearer(lost_phone.refresh_token)).status_code == 401
    assert client.get("/api/v1/me", headers=_bearer(laptop["access_token"])).status_code == 200


def test_revealing_full_numbers_needs_a_step_up(client, auth):
    """A fresh login is not enough to reveal: an SMS code (or a face check) steps the sign-in up."""
    citizen = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)
    fresh = auth.login(ZHANG.phone, citizen.password).json["access_token"]
    license_id = _licenses(client, citizen)["items"][0]["id"]
    url = f"/api/v1/me/licenses/{license_id}?reveal=true"
    refused = client.get(url, headers=_bearer(fresh))
    assert refused.status_code == 401 and refused.json["code"] == "step_up_required"
    citizen.access_token = fresh
    auth.step_up(citizen)
    assert client.get(url, headers=citizen.headers).status_code == 200


def test_a_step_up_needs_a_fresh_login_and_the_right_code(client, auth):
    """A refreshed token cannot step up; a wrong code is a 422 naming ``code``."""
    citizen = auth.register()
    refreshed = client.post("/api/v1/auth/refresh", headers=_bearer(citizen.refresh_token)).json
    sent = client.post("/api/v1/me/sms-challenges", json={"purpose": "step_up"}, headers=citizen.headers).json
    stale = client.post("/api/v1/auth/step-up", headers=_bearer(refreshed["access_token"]),
                        json={"challenge_id": sent["challenge_id"], "code": auth.code(citizen.phone)})
    assert stale.status_code == 401 and stale.json["code"] == "fresh_login_required"
    fresh = auth.login(citizen.phone, citizen.password).json["access_token"]
    wrong = client.post("/api/v1/auth/step-up", headers=_bearer(fresh),
                        json={"challenge_id": sent["challenge_id"], "code": "999999"
                              if auth.code(citizen.phone) != "999999" else "888888"})
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "code"


def test_a_new_sign_in_address_and_a_new_device_are_told_to_the_phone(client, auth):
    """The phone hears of a sign-in from a new address."""
    citizen = auth.register()
    count = len(auth.outbox.messages(citizen.phone))
    assert auth.client.post("/api/v1/auth/login", json={"username": citizen.phone, "password": citizen.password},
                            environ_base={"REMOTE_ADDR": "10.8.8.8"}).status_code == 200
    assert len(auth.outbox.messages(citizen.phone)) == count + 1 and "新的网络地址" in auth.last_text(citizen.phone)


# -- the contract of successful answers (random inputs rarely reach them) -------------------------------

def test_successful_answers_match_the_documented_schemas(client, auth):
    """Registration, sessions, step-up, level and lock answers validate against openapi.yaml."""
    challenge = client.post("/api/v1/auth/register", json={
        "name": ZHANG.citizen.name, "id_number": ZHANG.citizen.id_number, "phone": ZHANG.phone,
        "password": "Secret2026ok"}).json
    conforms(challenge, "Challenge")
    registered = client.post("/api/v1/auth/register/confirm", json={
        "challenge_id": challenge["challenge_id"], "code": auth.code(ZHANG.phone)}).json
    conforms(registered, "Registered")
    headers = _bearer(registered["access_token"])
    conforms(client.get("/api/v1/me", headers=headers).json, "Account")
    conforms(client.get("/api/v1/me/sessions", headers=headers).json, "SessionList")
    conforms(client.get("/api/v1/me/licenses", headers=headers).json, "WalletLicenseList")
    sent = client.post("/api/v1/me/sms-challenges", json={"purpose": "step_up"}, headers=headers).json
    conforms(sent, "Challenge")
    stepped = client.post("/api/v1/auth/step-up", headers=headers,
                          json={"challenge_id": sent["challenge_id"], "code": auth.code(ZHANG.phone)}).json
    conforms(stepped, "StepUp")
    assert stepped["amr"] == ["pwd", "sms"]
    sent = client.post("/api/v1/me/sms-challenges", json={"purpose": "phone"}, headers=headers).json
    conforms(client.post("/api/v1/me/identity/phone", headers=headers,
                         json={"challenge_id": sent["challenge_id"], "code": auth.code(ZHANG.phone)}).json,
             "ProofingLevel")
    conforms(client.post("/api/v1/me/password", headers=headers, json={
        "current_password": "Secret2026ok", "new_password": "Changed2026ok"}).json, "SessionsEnded")
    conforms(client.delete("/api/v1/me/sessions", headers=headers).json, "SessionsEnded")
    conforms(client.post("/api/v1/me/wallet/lock", headers=headers).json, "WalletLock")
    conforms(client.post("/api/v1/auth/password-reset", json={"username": ZHANG.phone}).json, "Challenge")


def test_a_person_added_to_the_sandboxes_enrols_end_to_end(make_app, auth, tmp_path):
    """Finding 6: `sandbox add-person`, then sign-up → SMS code → police + carrier → level 2 → their licenses."""
    registry = tmp_path / "people.json"
    app = make_app({"ZWT_SANDBOX_REGISTRY_PATH": str(registry)})  # the in-process sandboxes, over the file
    auth.client, auth.app = app.test_client(), app
    added = app.test_cli_runner().invoke(args=["sandbox", "add-person", "--name", "王小明", "--phone",
                                               "13912345678", "--id-number", "370202199203154519",
                                               "--licenses", "id_card,driving_license"])
    assert added.exit_code == 0, added.output
    citizen = auth.register(name="王小明", id_number="370202199203154519", phone="13912345678")
    assert auth.client.get("/api/v1/me", headers=citizen.headers).json["proofing_level"] == 2
    kinds = {item["license_type"] for item in
             auth.client.get("/api/v1/me/licenses", headers=citizen.headers).json["items"]}
    assert kinds == {"id_card", "driving_license"}
