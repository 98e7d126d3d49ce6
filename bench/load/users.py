"""The locust users: citizens and counters, closed loop with a think time of 1 s.

Citizen mix: search 50 %, service detail 15 %, overview 10 %, licenses 10 %, presentations 10 %, login 5 %.
Counter: bundle sync with ``If-None-Match`` (304 mostly) 4 in 5, a signed upload of a batch of offline log
records 1 in 5. User i signs in as account i (its own ``X-Forwarded-For``) and talks to node i mod 2.
A reply is a failure unless it has the status the scenario expects.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from locust import FastHttpUser, constant, task

from wallet import cose
from zwt.demo import DEMO_PASSWORD

from .people import HALL, People
from .tally import Tally

__all__ = ["Plan", "PLAN", "CitizenUser", "CounterUser", "QUERIES", "RECORDS_PER_BATCH"]

QUERIES = ("社保", "shebao", "sb", "公积金", "gjj", "身份证", "驾驶证", "户口", "营业执照", "医保", "出生",
           "结婚登记", "退休", "不动产", "护照", "居住证", "残疾", "养老", "失业", "教师资格")
RECORDS_PER_BATCH = 10


@dataclass
class Plan:
    """What the users of a run share: the nodes, the accounts, the items to open, and the tally."""

    nodes: list[str] = field(default_factory=list)
    people: People = field(default_factory=People)
    impl_codes: list[str] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    citizen_numbers: itertools.count[int] = field(default_factory=itertools.count)
    counter_numbers: itertools.count[int] = field(default_factory=itertools.count)

    def reset(self) -> None:
        self.tally = Tally()
        self.citizen_numbers = itertools.count()
        self.counter_numbers = itertools.count()


PLAN = Plan()


def _expect(response: Any, *statuses: int) -> None:
    """Mark the request failed unless it answered one of ``statuses``; a connection cut before any answer (a
    worker SIGKILLed in run 3) has no headers, and is a failure named by its error."""
    if response.status_code in statuses:
        response.success()
    elif response.headers is None:
        response.failure(f"no answer: {response.error!r}")
    else:
        problem = response.headers.get("Content-Type", "").startswith("application/problem+json")
        response.failure(f"HTTP {response.status_code}" + (f" {response.json().get('code')}" if problem else ""))


class CitizenUser(FastHttpUser):
    """A signed-in citizen using the app."""

    host = "http://127.0.0.1"
    wait_time = constant(1)
    weight = 20

    def on_start(self) -> None:
        number = next(PLAN.citizen_numbers)
        self.account = PLAN.people.citizens[number % len(PLAN.people.citizens)]
        self.base = PLAN.nodes[number % len(PLAN.nodes)]
        self.headers = {"X-Forwarded-For": self.account.address}
        self.license_id: str | None = None
        self._login("login (first)")

    def _login(self, name: str) -> None:
        with self.client.post(self.base + "/api/v1/auth/login", name=name, headers=self.headers,
                              json={"username": self.account.phone, "password": DEMO_PASSWORD},
                              catch_response=True) as response:
            _expect(response, 200)
            if response.status_code == 200:
                self.headers = {**self.headers, "Authorization": "Bearer " + response.json()["access_token"]}

    def _get(self, path: str, name: str, **params: Any) -> Any:
        with self.client.get(self.base + path, name=name, headers=self.headers, params=params or None,
                             catch_response=True) as response:
            _expect(response, 200)
            return response.json() if response.status_code == 200 else None

    @task(50)
    def search(self) -> None:
        self._get("/api/v1/services", "search", q=random.choice(QUERIES))

    @task(15)
    def service_detail(self) -> None:
        self._get("/api/v1/services/" + random.choice(PLAN.impl_codes), "service detail")

    @task(10)
    def overview(self) -> None:
        self._get("/api/v1/me/overview", "overview")

    @task(10)
    def licenses(self) -> None:
        found = self._get("/api/v1/me/licenses", "licenses")
        usable = [item for item in (found or {"items": []})["items"] if item["status"] == "valid"]
        if usable:  # the app offers a valid license only (a few generated ones have expired: 409 license_expired)
            self.license_id = random.choice(usable)["id"]

    @task(10)
    def present(self) -> None:
        if self.license_id is None:
            self.licenses()
            return
        with self.client.post(f"{self.base}/api/v1/me/licenses/{self.license_id}/presentations",
                              name="presentation", headers=self.headers, json={"profile": "minimal"},
                              catch_response=True) as response:
            _expect(response, 201)
            if response.status_code == 201:
                PLAN.tally.presented(response.json()["id"])

    @task(5)
    def login(self) -> None:
        self._login("login")


class CounterUser(FastHttpUser):
    """A service-hall counter: keeps its trust bundle fresh and uploads its offline verification log."""

    host = "http://127.0.0.1"
    wait_time = constant(1)
    fixed_count = 0  # set per run: one counter per 20 citizens

    def on_start(self) -> None:
        number = next(PLAN.counter_numbers)
        self.counter = PLAN.people.counters[number % len(PLAN.people.counters)]
        self.base = PLAN.nodes[number % len(PLAN.nodes)]
        self.key = serialization.load_pem_private_key(self.counter.key_pem.encode(), None)
        self.etag: str | None = None
        self.headers = {"X-Forwarded-For": self.counter.address}
        self._login()

    def _login(self) -> None:
        with self.client.post(self.base + "/api/v1/auth/login", name="login (counter)", headers=self.headers,
                              json={"username": self.counter.username, "password": DEMO_PASSWORD},
                              catch_response=True) as response:
            _expect(response, 200)
            if response.status_code == 200:
                self.headers["Authorization"] = "Bearer " + response.json()["access_token"]

    @task(4)
    def bundle_sync(self) -> None:
        headers = {**self.headers, **({"If-None-Match": self.etag} if self.etag else {})}
        with self.client.get(self.base + "/api/v1/verifier/bundle", name="bundle sync", headers=headers,
                             catch_response=True) as response:
            _expect(response, 200, 304)
            if response.status_code == 200:
                self.etag = response.headers.get("ETag")

    @task(1)
    def upload_log(self) -> None:
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        records = [{"record_id": uuid.uuid4().hex, "verified_at": now, "license_id": identifier,
                    "license_type": license_type, "verdict": "valid", "fields": [], "impl_code": None}
                   for identifier, license_type in random.sample(PLAN.people.licenses, RECORDS_PER_BATCH)]
        raw = json.dumps({"batch_id": uuid.uuid4().hex, "device_id": self.counter.device_id, "hall_code": HALL,
                          "counter_code": self.counter.counter_code, "records": records}).encode()
        body = {"payload": base64.b64encode(raw).decode(),
                "signature": base64.b64encode(cose.sign_raw(self.key, cose.ALG_ES256, raw)).decode()}
        with self.client.post(self.base + "/api/v1/verifier/logs", name="log upload", headers=self.headers,
                              json=body, catch_response=True) as response:
            _expect(response, 201)
            if response.status_code == 401:  # a 15-minute token ran out during a long ramp
                self._login()
            if response.status_code == 201:
                refused = {r["record_id"] for r in response.json()["refused"]}
                PLAN.tally.logged(r["record_id"] for r in records if r["record_id"] not in refused)
