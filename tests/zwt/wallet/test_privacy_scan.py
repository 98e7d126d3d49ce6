"""Issue 12: a route-by-route scan for full ID numbers and phones, for every role, over the demo data.

One tour drives every documented operation as the roles that use it would (anonymous, citizens new and
old, a clerk at a counter, department and platform admins), recording every answer. Then:

- no answer, outside the reveal route, holds a full resident ID number (the GB 11643 shape with a valid
  check digit and birth date) or an unmasked mainland mobile number;
- the JSON log lines of the whole tour hold neither;
- the shared state in Redis (when the suite runs with it) and a dump of every database table hold no full
  ID number;
- every documented operation was reached (so a new route cannot dodge the scan).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import re

import pytest
import yaml
from flask import request
from sqlalchemy import inspect, text

from services_catalog.proofing import CarrierOutcome
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from wallet import cose
from wallet.holder import generate_device_key
from wallet.identifiers import resident_id_check_digit
from zwt.docs import SPEC_PATH

from .conftest import COUNTER, HALL

_ID = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
# Like an ID number, a phone stands apart from letters and digits: a random hex id such as
# lic_c5432a14922947518fe4e79ac088b8dd holds phone-shaped runs by chance (one PostgreSQL CI run tripped on it).
_PHONE = re.compile(r"(?<![0-9A-Za-z])(1[3-9][0-9]{9})(?![0-9A-Za-z])")


def full_id_numbers(blob: str) -> set[str]:
    """Every full resident ID number in ``blob``: right shape, real birth date, valid check digit."""
    found = set()
    for candidate in _ID.findall(blob):
        number = candidate.upper()
        try:
            dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            continue
        if resident_id_check_digit(number[:17]) == number[17]:
            found.add(number)
    return found


def phones(blob: str) -> set[str]:
    """Every unmasked mainland mobile number in ``blob``."""
    return set(_PHONE.findall(blob))


def test_the_scanners_find_what_they_look_for():
    """The scan would catch a leak: a valid number and a phone are found, masked ones and near misses are not."""
    assert full_id_numbers('{"serial": "370202198503120316"}') == {"370202198503120316"}
    assert full_id_numbers("3702**********0316 370202198503120317 12345678901234567890") == set()
    assert phones("call 13800000001 now") == {"13800000001"} and phones("138****0001") == set()
    assert phones('{"phone":"13800000001"} 电话13800000002') == {"13800000001", "13800000002"}
    assert phones("lic_c5432a14922947518fe4e79ac088b8dd") == set()


def _documented():
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item
            if method in {"get", "post", "put", "patch", "delete"}}


def _template(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule)


@pytest.fixture
def tour(world, app, auth, clock):
    """Record every answer the app gives while the test runs: (method, route template, status, path, body)."""
    seen = []

    @app.after_request
    def _record(response):
        rule = request.url_rule.rule if request.url_rule else request.path
        seen.append((request.method, _template(rule), response.status_code, request.full_path,
                     "" if response.direct_passthrough else response.get_data().decode("utf-8", "replace")))
        return response

    return seen


def _redis_value(client, key) -> bytes:
    """Every byte a Redis key holds, whatever its type (``DUMP`` may compress, so it is not used)."""
    kind = client.type(key).decode()
    if kind == "string":
        return client.get(key) or b""
    if kind == "hash":
        return b" ".join(k + b"=" + v for k, v in client.hgetall(key).items())
    if kind == "zset":
        return b" ".join(client.zrange(key, 0, -1))
    if kind == "set":
        return b" ".join(client.smembers(key))
    if kind == "list":
        return b" ".join(client.lrange(key, 0, -1))
    return b""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_no_full_id_number_or_phone_leaves_outside_the_reveal_route(world, app, auth, clock, tour, redis_url):
    """The tour, then the scans of answers, logs, Redis and the database."""
    log_buffer = io.StringIO()
    handler = logging.StreamHandler(log_buffer)
    handler.setFormatter(next((h.formatter for h in logging.getLogger().handlers if h.formatter), None))
    logging.getLogger().addHandler(handler)
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO)
    try:
        _walk(world, app, auth, clock)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(old_level)

    leaks = []
    for method, rule, status, path, body in tour:
        if "reveal=true" in path or rule == "/api/v1/openapi.yaml":
            continue  # the reveal route shows full numbers by design; the contract's examples are documentation
        for found in sorted(full_id_numbers(body)):
            leaks.append(f"{method} {path} ({status}): ID number {found[:4]}…")
        for found in sorted(phones(body)):
            leaks.append(f"{method} {path} ({status}): phone {found[:3]}…")
    assert leaks == []

    logged = log_buffer.getvalue()
    assert logged, "the tour wrote no log lines to scan"
    assert full_id_numbers(logged) == set() and phones(logged) == set()

    svc = app.extensions["zwt"]
    if svc.redis is not None:
        values = [_redis_value(svc.redis, key) for key in svc.redis.scan_iter(match=svc.config.redis_prefix + "*")]
        assert values, "the tour left nothing in Redis to scan"
        assert full_id_numbers(b" ".join(values).decode("latin-1")) == set()

    dumped = []
    with svc.db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dumped.append(" ".join(bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview))
                                       else str(v) for v in row))
    assert len(dumped) > 50, "the tour left too little in the database to scan"
    assert full_id_numbers("\n".join(dumped)) == set()

    reached = {(method, rule) for method, rule, status, _, _ in tour if status < 500}
    assert _documented() - reached == set()
    assert all(status < 500 for _, _, status, _, _ in tour)


def _walk(world, app, auth, clock):
    """Every documented operation, as the role that uses it."""
    client = world.client
    svc = app.extensions["zwt"]
    sandbox = svc.proofing.sandbox
    from zwt.catalog.demo import load_demo_catalog
    from zwt.db import session

    with app.app_context():
        load_demo_catalog(session(), now=clock.now(), count=30)
    item = world.service_item()

    # anyone
    for path in ("/healthz", "/readyz", "/metrics", "/api/v1/openapi.yaml", "/api/v1/services?q=驾驶证",
                 f"/api/v1/services/{item}", "/api/v1/departments", "/api/v1/themes", "/api/v1/life-events",
                 "/api/v1/search/suggest?q=sb",
                 "/api/v1/verifier/bundle", "/api/v1/verifier/root-key", "/counter", "/counter/sw.js",
                 "/wallet", "/wallet/sw.js"):
        client.get(path)
    events = client.get("/api/v1/life-events").json
    code = (events.get("items") or [{}])[0].get("code", "marriage")
    client.get(f"/api/v1/life-events/{code}")

    # a demo citizen at level 2, with licenses
    citizen = world.citizen(0)
    demo = DEMO_CITIZENS[0]
    headers = citizen.headers
    for path in ("/api/v1/me", "/api/v1/me/overview", "/api/v1/me/licenses", "/api/v1/me/sessions",
                 "/api/v1/me/favorites", "/api/v1/me/devices", "/api/v1/me/credit", "/api/v1/me/access-log"):
        client.get(path, headers=headers)
    client.post("/api/v1/me/licenses/refresh", headers=headers)
    client.post("/api/v1/me/shared-data/refresh", headers=headers)
    client.post("/api/v1/me/shared-data/household_registration/refresh", headers=headers)
    client.get("/api/v1/me/shared-data", headers=headers)
    licenses = world.licenses(citizen)
    for lic in licenses:
        client.get(f"/api/v1/me/licenses/{lic['id']}", headers=headers)
    client.get(f"/api/v1/me/licenses/{licenses[0]['id']}?reveal=true", headers=headers)  # not scanned
    client.put(f"/api/v1/me/favorites/{item}", headers=headers)
    client.delete(f"/api/v1/me/favorites/{item}", headers=headers)
    driving = world.license_id(citizen, "driving_license")
    shown = client.post(f"/api/v1/me/licenses/{driving}/presentations", json={"profile": "full"},
                        headers=headers).json
    for profile in ("minimal", "standard"):
        client.post(f"/api/v1/me/licenses/{driving}/presentations", json={"profile": profile}, headers=headers)
    client.post(f"/api/v1/me/licenses/{driving}/presentations", json={"impl_code": item}, headers=headers)
    client.get(f"/api/v1/me/presentations/{shown['id']}/qr.png", headers=headers)
    client.get(f"/api/v1/me/presentations/{shown['id']}/qr.svg", headers=headers)
    _, device_id = world.device(citizen)
    headers = citizen.headers
    client.delete(f"/api/v1/me/devices/{device_id}", headers=headers)
    client.post("/api/v1/me/identity-check", json={"name": demo.citizen.name}, headers=headers)
    sent = client.post("/api/v1/me/sms-challenges", json={"purpose": "phone"}, headers=headers).json
    client.post("/api/v1/me/identity/phone", headers=headers,
                json={"challenge_id": sent["challenge_id"], "code": auth.code(demo.phone)})
    client.post("/api/v1/me/identity/liveness", headers=headers,
                json={"evidence": sandbox.start_liveness(demo.citizen.id_number)})
    # the materials library: a file named after the citizen's ID number and phone (the name is masked)
    pdf = b"%PDF-1.4\n%%EOF\n"
    kept = client.post("/api/v1/me/materials", headers=headers, content_type="multipart/form-data", data={
        "file": (io.BytesIO(pdf), f"{demo.citizen.id_number}_{demo.phone}.pdf", "application/pdf")}).json
    client.get("/api/v1/me/materials", headers=headers)
    client.get(f"/api/v1/me/materials/{kept['id']}", headers=headers)
    client.delete(f"/api/v1/me/materials/{kept['id']}", headers=headers)

    # a counter clerk verifies online and uploads an offline log
    clerk = world.clerk()
    clerk_me = client.get("/api/v1/me", headers=clerk).json
    key = generate_device_key()
    counter = client.post("/api/v1/verifier/devices", json={"name": "扫码枪", **world.prove(
        clerk, clerk_me["subject"], key)}, headers=clerk).json
    client.post("/api/v1/verifier/verify", json={"qd1": shown["qd1"], "impl_code": item}, headers=clerk)
    client.get("/api/v1/verifier/items", headers=clerk)
    raw = json.dumps({"batch_id": "b-0001", "device_id": counter["id"], "hall_code": HALL, "counter_code": COUNTER,
                      "records": []}).encode()
    client.post("/api/v1/verifier/logs", headers=clerk, json={
        "payload": _b64(raw), "signature": _b64(cose.sign_raw(key, cose.ALG_ES256, raw))})

    # a department admin: license look-up by serial (the ID number travels in the query), status, catalog
    admin = world.admin("police")
    identifier = next(lic["identifier"] for lic in licenses if lic["license_type"] == "driving_license")
    client.get(f"/api/v1/admin/licenses?license_type=driving_license&serial={demo.citizen.id_number}",
               headers=admin)
    client.get(f"/api/v1/admin/licenses/{identifier}", headers=admin)
    client.post(f"/api/v1/admin/licenses/{identifier}/status", json={"action": "suspend", "reason": "核查"},
                headers=admin)
    client.post(f"/api/v1/admin/licenses/{identifier}/status", json={"action": "reinstate", "reason": "核查完毕"},
                headers=admin)
    platform = world.staff("platform_admin")
    for who in (admin, platform):
        client.get("/api/v1/admin/services", headers=who)
        client.get(f"/api/v1/admin/services/{item}", headers=who)
        client.get(f"/api/v1/admin/services/{item}/history", headers=who)
    client.get("/api/v1/admin/services/import/template", headers=admin)
    drafted = client.get(f"/api/v1/admin/services/{item}", headers=platform)
    document = drafted.json.get("item", drafted.json) if drafted.is_json else {}
    client.post("/api/v1/admin/services/validate", json=document, headers=platform)
    client.post("/api/v1/admin/services", json=document, headers=platform)
    client.put(f"/api/v1/admin/services/{item}", json=document, headers=platform)
    client.patch(f"/api/v1/admin/services/{item}", json={"short_name": "换证"}, headers=platform)
    client.post(f"/api/v1/admin/services/{item}/suspend", headers=platform)
    client.post("/api/v1/admin/services/import", json={"items": []}, headers=platform)

    # a department pushes licenses through the issuing interface, with a key a platform admin registered
    _issue(world, platform, demo.citizen.id_number)
    _apply(world, headers, admin, platform)
    client.get("/api/v1/me/licenses", headers=headers)

    # a newcomer enrols; a squatter yields; passwords, sessions, step-up, lock, recovery
    squatter = auth.register(name=DEMO_CITIZENS[1].citizen.name, id_number=DEMO_CITIZENS[1].citizen.id_number,
                             phone="13999990001")
    client.get("/api/v1/me", headers=squatter.headers)
    owner = auth.register(name=DEMO_CITIZENS[1].citizen.name, id_number=DEMO_CITIZENS[1].citizen.id_number,
                          phone=DEMO_CITIZENS[1].phone)
    sandbox.set_carrier("13999990002", CarrierOutcome.MATCH)
    challenge = auth.start_registration(DEMO_CITIZENS[1].citizen.name, DEMO_CITIZENS[1].citizen.id_number,
                                        "13999990002")
    auth.confirm(challenge, "13999990002")  # 409: the holder is at level 2
    other = auth.login(owner.phone, owner.password).json
    client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {other['refresh_token']}"})
    sessions = client.get("/api/v1/me/sessions", headers=owner.headers).json["items"]
    target = next((s["id"] for s in sessions if not s["current"]), sessions[0]["id"])
    client.delete(f"/api/v1/me/sessions/{target}", headers=owner.headers)
    client.delete("/api/v1/me/sessions", headers=owner.headers)
    auth.step_up(owner)
    client.post("/api/v1/nonces", headers=owner.headers)
    client.post("/api/v1/me/password", headers=owner.headers,
                json={"current_password": owner.password, "new_password": "Changed2026ok"})
    client.post("/api/v1/me/wallet/lock", headers=owner.headers)
    client.delete("/api/v1/me/wallet/lock", headers=owner.headers)
    started = client.post("/api/v1/auth/password-reset", json={"username": owner.phone}).json
    client.post("/api/v1/auth/password-reset/confirm", json={
        "challenge_id": started["challenge_id"], "code": auth.code(owner.phone), "new_password": "Reset2026okay"})
    client.post("/api/v1/auth/recover", json={
        "name": DEMO_CITIZENS[1].citizen.name, "id_number": DEMO_CITIZENS[1].citizen.id_number,
        "evidence": sandbox.start_liveness(DEMO_CITIZENS[1].citizen.id_number), "new_password": "Found2026again"})
    last = auth.login(owner.phone, "Found2026again").json
    client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {last['access_token']}"})


def _apply(world, headers, admin, platform):
    """An online application: applied for, worked by the police's back office and their system's callback, the
    messages read, the outbox's dead letters listed and one replayed (the police system is a fake here that
    takes no applications, so delivery fails)."""
    from services_catalog.credit_rules import CreditRule
    from services_catalog.examples import example_item
    from services_catalog.items import FormField, Material, Satisfier
    from zwt.applications.outbox import drain_once
    from zwt.catalog.repository import save_item

    from ..catalog_admin_helpers import impl_code
    from ..issuers.signing import DepartmentKey

    client, svc = world.client, world.app.extensions["zwt"]
    lease = Material("租赁合同", satisfied_by=(Satisfier("upload"),))
    item = example_item(impl_code=impl_code(950), status="published", department_code="police", accepts_online=True,
                        form_fields=(FormField("address", required=True),),
                        materials=(*example_item().materials, lease),
                        credit_rule=CreditRule((lease.name,), ("court_dishonest_debtors",), 3))
    with svc.db.sessions() as sess:
        save_item(sess, item, source="registration", actor="test", action="create", now=world.clock.now())
        sess.commit()
    scan = client.post("/api/v1/me/materials", headers=headers, content_type="multipart/form-data", data={
        "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "租赁合同.pdf", "application/pdf")}).json
    made = client.post("/api/v1/me/applications", headers={**headers, "Idempotency-Key": "scan-1"},
                       json={"impl_code": item.impl_code, "form": {"address": "青岛市市南区香港中路1号"},
                             "materials": {"uploads": {lease.name: scan["id"]}}}).json
    app_id = made["id"]
    client.get("/api/v1/me/applications", headers=headers)
    base = f"/api/v1/admin/applications/{app_id}"
    client.get("/api/v1/admin/applications", headers=admin)
    client.get(base, headers=admin)
    client.get(f"{base}/materials", headers=admin)
    # the staff download of the material's file
    client.get(f"{base}/materials/{lease.name}/file", headers=admin)
    client.post("/api/v1/me/applications/pre-check", headers=headers, json={"impl_code": item.impl_code})
    client.post(f"{base}/moves", headers=admin, json={"move": "request_correction", "message": "请补充门牌号"})
    client.post(f"/api/v1/me/applications/{app_id}/correction", headers=headers,
                json={"form": {"address": "青岛市市南区香港中路2号"}})
    key = DepartmentKey("police-scan-key")
    client.post("/api/v1/admin/issuers/police/keys", headers=platform, json={
        "key_id": key.key_id, "public_key": key.public_key_b64, "allowed_types": ["residence_permit"]})
    path, body = f"/api/v1/issuers/police/applications/{app_id}/moves", b'{"move": "accept"}'
    with key.client("police", world.now) as signer:
        client.post(path, data=body, headers=dict(signer.signed_request(body, "application/json", path=path).headers))
    client.get(f"/api/v1/me/applications/{app_id}", headers=headers)
    inbox = client.get("/api/v1/me/messages", headers=headers).json
    client.post(f"/api/v1/me/messages/{inbox['items'][0]['id']}/read", headers=headers)
    second = client.post("/api/v1/me/applications", headers=headers, json={
        "impl_code": item.impl_code, "form": {"address": "市南区"},
        "commitment": {"materials": [lease.name], "accepted": True}}).json
    client.post(f"/api/v1/me/applications/{second['id']}/owed-materials", headers=headers, json={})
    client.post(f"/api/v1/me/applications/{second['id']}/withdraw", headers=headers)
    with world.app.app_context():
        drain_once(svc)
    dead = client.get("/api/v1/admin/outbox/dead-letters", headers=platform).json
    client.post(f"/api/v1/admin/outbox/dead-letters/{(dead['items'] or [{'id': 1}])[0]['id']}/replay",
                headers=platform)
    _rate(world, headers, admin, app_id)
    # the agent applies for an item whose materials need nothing of the holder's library (an agent may not use it)
    plain = example_item(impl_code=impl_code(951), status="published", department_code="police",
                         accepts_online=True, form_fields=(FormField("address", required=True),))
    with svc.db.sessions() as sess:
        save_item(sess, plain, source="registration", actor="test", action="create", now=world.clock.now())
        sess.commit()
    _agent(world, headers, plain.impl_code)


def _agent(world, headers, impl_code):
    """代办: the citizen authorises demo citizen 2 (named by name and ID number), who applies for them and reads
    it; both list their authorisations and read their access logs; the citizen revokes it."""
    client, agent = world.client, world.citizen(2)
    demo = DEMO_CITIZENS[2].citizen
    granted = client.post("/api/v1/me/agent-authorisations", headers=headers, json={
        "agent_name": demo.name, "agent_id_number": demo.id_number, "impl_code": impl_code}).json
    made = client.post("/api/v1/me/applications", headers=agent.headers, json={
        "impl_code": impl_code, "form": {"address": "青岛市市南区香港中路3号"}, "on_behalf_of": granted["id"]}).json
    client.get(f"/api/v1/me/applications/{made['id']}", headers=agent.headers)
    client.get("/api/v1/me/applications", headers=headers)
    for who in (headers, agent.headers):
        client.get("/api/v1/me/agent-authorisations", headers=who)
        client.get("/api/v1/me/access-log", headers=who)
    client.delete(f"/api/v1/me/agent-authorisations/{granted['id']}", headers=headers)


def _rate(world, headers, admin, app_id):
    """The application decided and concluded by the back office, rated badly with an ID number and a phone in
    the comment, the follow-up listed and answered, the answer responded to, the public statistics read."""
    client = world.client
    for step in ({"move": "accept"}, {"move": "decide", "outcome": "denied", "reason": "材料不符",
                                      "legal_basis": "办法第三条"}, {"move": "conclude", "delivery": "online"}):
        client.post(f"/api/v1/admin/applications/{app_id}/moves", headers=admin, json=step)
    mine = f"/api/v1/me/applications/{app_id}/rating"
    client.put(mine, headers=headers, json={"level": 1, "comment": "身份证370202198503120316 电话13800138000"})
    client.get(mine, headers=headers)
    client.get("/api/v1/admin/ratings/follow-ups", headers=admin)
    client.post(f"/api/v1/admin/ratings/follow-ups/{app_id}/answer", headers=admin,
                json={"answer": "请致电13800138000"})
    client.post(f"{mine}/response", headers=headers, json={"satisfied": False, "response": "我的号370202198503120316"})
    client.get("/api/v1/ratings/stats")
    client.get("/api/v1/ratings/stats?group=department")


def _issue(world, platform, id_number):
    """Register a key, push a business license (its representative the demo citizen) and a license whose serial is
    an ID number, refuse one, list and revoke the key."""
    from ..issuers.conftest import record, uscc
    from ..issuers.signing import DepartmentKey, jsonl

    client, key = world.client, DepartmentKey("scan-key-1")
    base = "/api/v1/admin/issuers/market_regulation/keys"
    client.post(base, headers=platform, json={"key_id": key.key_id, "public_key": key.public_key_b64,
                                              "allowed_types": ["business_license", "food_business_permit"]})
    client.get(base, headers=platform)
    path = "/api/v1/issuers/market_regulation/licenses"
    body = jsonl([record("business_license", "BL-SCAN-1", holder_id=id_number, organisation=uscc(3)),
                  record("food_business_permit", id_number, holder_id=id_number, organisation=uscc(3))])
    signed = key.sign("market_regulation", body, "application/jsonl", created=world.now)
    pushed = client.post(path, data=body, headers=signed)
    assert pushed.status_code == 200, pushed.json
    refused = jsonl([record("business_license", id_number, version=0, holder_id=id_number, organisation=uscc(3))])
    signed = key.sign("market_regulation", refused, "application/jsonl", created=world.now)
    answer = client.post(path, data=refused, headers=signed)
    assert answer.status_code == 422 and answer.json["records"][0]["serial"].count("*") == 10, answer.json
    client.post(f"{base}/{key.key_id}/revoke", headers=platform)


# -- finding by finding ----------------------------------------------------------------------------------

def test_the_overview_masks_every_personal_value_whatever_the_token(world):
    """Finding 1: serials, addresses, archive and account numbers are masked, also for a refreshed token."""
    citizen = world.citizen(0)
    demo = DEMO_CITIZENS[0]
    refreshed = world.client.post("/api/v1/auth/refresh",
                                  headers={"Authorization": f"Bearer {citizen.refresh_token}"}).json
    body = world.client.get("/api/v1/me/overview",
                            headers={"Authorization": f"Bearer {refreshed['access_token']}"}).json
    blob = json.dumps(body, ensure_ascii=False)
    assert full_id_numbers(blob) == set() and demo.citizen.id_number not in blob
    by_type = {lic["license_type"]: lic for lic in body["licenses"]}
    assert by_type["id_card"]["serial"] == demo.citizen.id_number[:4] + "*" * 10 + demo.citizen.id_number[-4:]
    assert by_type["id_card"]["fields"]["address"].endswith("****")
    assert "香港中路" not in blob
    file_number = by_type["driving_license"]["fields"]["file_number"]
    assert file_number.startswith("*") and file_number[-4:].isdigit()
    account = body["housing_fund"]["account_number"]
    assert account.startswith("*") and demo.housing_fund.account_number not in blob


def test_a_presentation_text_is_sealed_at_rest_and_its_images_still_render(world, app):
    """Finding 3: the stored row holds no QD1 text; the PNG and SVG routes still work."""
    citizen = world.citizen(0)
    made = world.present(citizen, world.license_id(citizen, "id_card"), profile="full").json
    with app.extensions["zwt"].db.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM wallet_presentations WHERE public_id = :p"),
                           {"p": made["id"]}).mappings().one()
    stored = " ".join(bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview)) else str(v)
                      for v in row.values())
    assert "QD1:" not in stored and made["qd1"][4:40] not in stored
    assert "text" not in row
    png = world.client.get(made["png_url"].split("localhost")[-1].split("8000")[-1], headers=citizen.headers)
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")


def test_the_aggregation_cache_holds_no_value_in_clear():
    """Finding 3: what the overview cached is sealed; a value sealed under another key is a miss."""
    from services_catalog.cache import MemoryStore
    from services_catalog.testing import ManualClock
    from zwt.catalog.runtime import SealedCacheStore

    inner = MemoryStore(ManualClock())
    store = SealedCacheStore(inner, b"k" * 32)
    store.set("key", b'{"holder_id_number": "370202198503120316"}', 60)
    assert b"370202198503120316" not in inner.get("key")
    assert store.get("key") == b'{"holder_id_number": "370202198503120316"}'
    assert SealedCacheStore(inner, b"j" * 32).get("key") is None
