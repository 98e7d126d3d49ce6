"""Citizens and counters for the load run, made through the service's own code paths and kept between runs.

Citizens: each is added to the sandboxes' people file (``add_person``, what ``flask --app app sandbox
add-person`` runs) and then registers over HTTP as anyone would (register, the SMS code from the telecom
sandbox's outbox, confirm), so the police and carrier checks bring it to level 2 and the departments hand
over its licenses. Counters: a clerk account per counter (``create_staff_account``, what ``flask --app app
create-staff`` runs) and a counter device registered over HTTP with proof of possession of its key. Every
password is ``DEMO_PASSWORD``; what the harness needs later (phones, device ids and keys, license ids the
counters log) is kept in ``instance/load/accounts.json`` with the scratch database.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization

from services_catalog.proofing import SmsOutbox
from services_catalog.sandbox.registry import PeopleRegistry, add_person
from wallet import cose
from wallet.holder import generate_device_key
from wallet.keys import spki_der
from zwt.demo import DEMO_PASSWORD

from .nodes import ROOT, STATE

__all__ = ["Counter", "Citizen", "People", "migrate", "ensure_people", "address"]

HALL = "370202-hall-load"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅"
_adding = threading.Lock()  # a new ID number is drawn against the file, then added: one thread at a time


@dataclass
class Citizen:
    phone: str
    address: str


@dataclass
class Counter:
    username: str
    counter_code: str
    device_id: str
    key_pem: str
    address: str


@dataclass
class People:
    citizens: list[Citizen] = field(default_factory=list)
    counters: list[Counter] = field(default_factory=list)
    #: (license identifier, license type) pairs of the citizens' licenses, for the counters' log records
    licenses: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> People:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls([Citizen(**c) for c in data["citizens"]], [Counter(**c) for c in data["counters"]],
                   [tuple(pair) for pair in data["licenses"]])  # type: ignore[misc]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")


def address(kind: int, number: int) -> str:
    """The client address a user's requests carry (``X-Forwarded-For``): one per user, never shared."""
    return f"10.{kind}.{number // 250}.{number % 250 + 1}"


def migrate(env: dict[str, str], *, demo: bool) -> None:
    """Upgrade the scratch database; with ``demo``, load the demo data and its 10,000-item catalog."""
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db-upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    if demo:
        subprocess.run([*flask, "load-demo"], cwd=ROOT, env=env, check=True, capture_output=True)


def _name(number: int) -> str:
    n, g = len(SURNAMES), len(GIVEN)
    return SURNAMES[number % n] + GIVEN[(number // n) % g] + GIVEN[(number // (n * g)) % g]


def _register(node: str, number: int, env: dict[str, str]) -> tuple[Citizen, list[tuple[str, str]]]:
    """Add citizen ``number`` to the sandboxes and sign them up on ``node``; return them and their licenses."""
    from zwt.sandbox_cli import new_resident_id

    phone, ip = f"1390{number:07d}", address(1, number)
    registry = env["ZWT_SANDBOX_REGISTRY_PATH"]
    with _adding:
        id_number = new_resident_id(dt.date.today(), PeopleRegistry(registry).by_id_number())
        add_person(registry, name=_name(number), id_number=id_number, phone=phone,
                   licenses=("id_card", "driving_license"))
    headers = {"X-Forwarded-For": ip}
    started = httpx.post(node + "/api/v1/auth/register", headers=headers, timeout=30, json={
        "name": _name(number), "id_number": id_number, "phone": phone, "password": DEMO_PASSWORD})
    started.raise_for_status()
    text = SmsOutbox(env["ZWT_SMS_OUTBOX_PATH"]).last(phone)
    code = re.search(r"\d{6}", text.text if text else "")
    assert code, f"no SMS code for {phone}"
    done = httpx.post(node + "/api/v1/auth/register/confirm", headers=headers, timeout=30, json={
        "challenge_id": started.json()["challenge_id"], "code": code.group(0)})
    assert done.status_code == 201 and done.json()["account"]["proofing_level"] >= 2, done.text
    bearer = {**headers, "Authorization": "Bearer " + done.json()["access_token"]}
    items = httpx.get(node + "/api/v1/me/licenses", headers=bearer, timeout=30).json()["items"]
    return Citizen(phone, ip), [(item["identifier"], item["license_type"]) for item in items]


def _clerks(numbers: range, env: dict[str, str]) -> None:
    """Clerk accounts at the load hall's counters ``numbers``, as ``flask --app app create-staff`` makes them."""
    from zwt import create_app
    from zwt.cli import create_staff_account

    app = create_app({key: value for key, value in env.items() if key.startswith("ZWT_")})
    with app.app_context():
        for number in numbers:
            create_staff_account(role="clerk", username=f"load_clerk{number:03d}",
                                 display_name=f"负载测试窗口 {number}", password=DEMO_PASSWORD, hall_code=HALL,
                                 counter_code=f"counter-{number:03d}")
    app.extensions["zwt"].db.dispose()


def _counter(node: str, number: int) -> Counter:
    """Register a counter device for the clerk at counter ``number``, proving possession of its new key."""
    username, ip = f"load_clerk{number:03d}", address(2, number)
    with httpx.Client(base_url=node, headers={"X-Forwarded-For": ip}, timeout=30) as http:
        token = http.post("/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD})
        token.raise_for_status()
        http.headers["Authorization"] = "Bearer " + token.json()["access_token"]
        me = http.get("/api/v1/me").json()
        nonce = http.post("/api/v1/nonces").json()["nonce"]
        key = generate_device_key()
        proof = cose.sign_raw(key, cose.ALG_ES256, f"zwt-device-binding|{nonce}|{me['subject']}".encode())
        device = http.post("/api/v1/verifier/devices", json={
            "name": f"load {number}", "public_key": base64.b64encode(spki_der(key.public_key())).decode(),
            "nonce": nonce, "signature": base64.b64encode(proof).decode()})
        assert device.status_code == 201, device.text
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return Counter(username, me["counter_code"], device.json()["id"], pem, ip)


def ensure_people(nodes: list[str], env: dict[str, str], *, citizens: int, counters: int) -> People:
    """At least ``citizens`` citizens and ``counters`` counters, made as needed; saved as they are made."""
    path = STATE / "accounts.json"
    people = People.load(path)
    missing = range(len(people.citizens), citizens)
    if missing:
        print(f"  registering {len(missing)} citizens over HTTP ...", flush=True)
        with ThreadPoolExecutor(4) as pool:  # add_person serialises on its own lock; registration is HTTP
            for citizen, licenses in pool.map(lambda n: _register(nodes[n % len(nodes)], n, env), missing):
                people.citizens.append(citizen)
                if len(people.licenses) < 400:
                    people.licenses.extend(licenses)
        people.save(path)
    missing = range(len(people.counters), counters)
    if missing:
        _clerks(missing, env)
        for number in missing:
            people.counters.append(_counter(nodes[number % len(nodes)], number))
        people.save(path)
    return people
