"""Every rate limit holds across gunicorn workers and across two nodes sharing the database (and Redis).

Two gunicorn nodes of two workers each: requests alternate between the nodes (and so between workers), then
a burst of parallel requests is spread over all four workers. Either way an account, phone or address gets
exactly its budget, and the next request answers 429 with ``Retry-After`` and the limit's own code.
"""

from __future__ import annotations

import concurrent.futures as cf
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import httpx
import pytest

from services_catalog.sandbox.citizens import DEMO_CITIZENS
from zwt import create_app

from .conftest import FAST_HASH, _wipe
from .live_nodes import environment, register, running_nodes, sms_code

pytestmark = pytest.mark.slow

LIMITS = {"ZWT_SMS_PER_PHONE_PER_HOUR": "3", "ZWT_SMS_PER_ADDRESS_PER_HOUR": "40",
          "ZWT_IDENTITY_MAX_MISMATCHES": "3", "ZWT_LOGIN_MAX_FAILURES_ACCOUNT": "4",
          "ZWT_PRESENTATIONS_PER_MINUTE": "3", "ZWT_NONCES_PER_MINUTE": "4"}
BURST = 10


@dataclass
class Nodes:
    """The two nodes' base URLs and the outbox their telecom sandboxes share."""

    urls: list[str]
    outbox: Path

    def post(self, i: int, path: str, **kwargs) -> httpx.Response:
        """POST to node ``i % 2``."""
        return httpx.post(self.urls[i % 2] + path, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def nodes(database_url, redis_url, tmp_path_factory):
    """Two gunicorn nodes with small limits; the database and this module's Redis keys are wiped after."""
    tmp = tmp_path_factory.mktemp("nodes")
    prefix = f"zwt-test-{uuid.uuid4().hex[:8]}:"
    with running_nodes(environment(database_url, redis_url, tmp, prefix, **LIMITS), tmp) as urls:
        yield Nodes(urls, tmp / "sms.jsonl")
    config = {"ZWT_DATABASE_URL": database_url, "ZWT_REDIS_PREFIX": prefix, "ZWT_PASSWORD_HASH_METHOD": FAST_HASH}
    if redis_url:
        config["ZWT_REDIS_URL"] = redis_url
    _wipe(create_app(config))


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def _alternating(send: Callable[[int], httpx.Response], budget: int, ok: int, code: str) -> None:
    """``budget`` requests alternating between the nodes answer ``ok``; the next, on either node, is 429."""
    for i in range(budget):
        answer = send(i)
        assert answer.status_code == ok, answer.text
    for i in (budget, budget + 1):
        refused = send(i)
        assert refused.status_code == 429 and refused.json()["code"] == code, refused.text
        assert int(refused.headers["Retry-After"]) >= 1


def _burst(send: Callable[[int], httpx.Response], budget: int, ok: int, code: str) -> None:
    """``BURST`` parallel requests over all four workers: at most ``budget`` answer ``ok``, the rest 429."""
    with cf.ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(send, range(BURST)))
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {ok, 429}, [a.text for a in answers]
    assert statuses.count(ok) <= budget, statuses
    assert all(a.json()["code"] == code for a in answers if a.status_code == 429)


def _citizen(nodes: Nodes, index: int) -> dict[str, str]:
    """Sign demo citizen ``index`` up (level 2: police and carrier agree, licenses released); auth headers."""
    demo = DEMO_CITIZENS[index]
    answer = register(nodes.urls[0], demo.phone, nodes.outbox, name=demo.citizen.name,
                      id_number=demo.citizen.id_number, headers=_from(f"10.9.{index}.1"))
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_sms_codes_per_phone(nodes):
    """Three texts an hour to one phone, whichever node and worker is asked."""
    def start(phone: str, address: str) -> Callable[[int], httpx.Response]:
        return lambda i: nodes.post(i, "/api/v1/auth/register", headers=_from(address), json={
            "name": "赵敏", "id_number": "11010519491231002X", "phone": phone, "password": "Secret2026ok"})

    _alternating(start("13611110001", "10.1.0.1"), 3, 202, "too_many_sms")
    _burst(start("13611110002", "10.1.0.2"), 3, 202, "too_many_sms")


def test_real_name_mismatches_per_address(nodes):
    """Three wrong names from one address, then 429, though each attempt has its own phone and SMS code."""
    target = DEMO_CITIZENS[2].citizen

    def confirm(address: str, first_phone: int) -> Callable[[int], httpx.Response]:
        challenges = []
        for n in range(BURST + 2):  # each try needs its own sign-up, opened beforehand
            phone = f"1362222{first_phone + n:04d}"
            started = nodes.post(n, "/api/v1/auth/register", headers=_from(address), json={
                "name": "冒名顶替", "id_number": target.id_number, "phone": phone, "password": "Secret2026ok"})
            assert started.status_code == 202, started.text
            challenges.append((started.json()["challenge_id"], sms_code(nodes.outbox, phone)))
        return lambda i: nodes.post(i, "/api/v1/auth/register/confirm", headers=_from(address), json={
            "challenge_id": challenges[i][0], "code": challenges[i][1]})

    _alternating(confirm("10.2.0.1", 0), 3, 422, "too_many_identity_checks")
    _burst(confirm("10.2.0.2", 100), 3, 422, "too_many_identity_checks")


def test_login_failures_per_account_and_address(nodes):
    """Four wrong passwords for an account from one new address, then 429 even for the right one."""
    assert register(nodes.urls[1], "13633330001", nodes.outbox, headers=_from("10.3.0.9")).status_code == 201

    def guess(address: str) -> Callable[[int], httpx.Response]:
        return lambda i: nodes.post(i, "/api/v1/auth/login", headers=_from(address),
                                    json={"username": "13633330001", "password": f"wrong{i:04d}x"})

    _alternating(guess("10.3.0.1"), 4, 401, "too_many_attempts")
    _burst(guess("10.3.0.2"), 4, 401, "too_many_attempts")


def test_presentations_per_account(nodes):
    """Three presentations a minute per account."""
    def present(headers: dict[str, str]) -> Callable[[int], httpx.Response]:
        licenses = httpx.get(nodes.urls[0] + "/api/v1/me/licenses", headers=headers).json()["items"]
        path = f"/api/v1/me/licenses/{licenses[0]['id']}/presentations"
        return lambda i: nodes.post(i, path, headers=headers, json={"profile": "standard"})

    _alternating(present(_citizen(nodes, 0)), 3, 201, "too_many_presentations")
    _burst(present(_citizen(nodes, 1)), 3, 201, "too_many_presentations")


def test_nonces_per_account(nodes):
    """Four device-binding nonces a minute per account."""
    def fetch(headers: dict[str, str]) -> Callable[[int], httpx.Response]:
        return lambda i: nodes.post(i, "/api/v1/nonces", headers=headers)

    _alternating(fetch(_citizen(nodes, 3)), 4, 201, "too_many_nonces")
    _burst(fetch(_citizen(nodes, 4)), 4, 201, "too_many_nonces")


def test_parallel_retries_under_one_key_make_one_presentation(nodes):
    """The same presentation request, sent ten times at once under one Idempotency-Key over both nodes: one
    is made; every other answer is that one replayed, or a 409 asking to retry while it still runs."""
    headers = _citizen(nodes, 5)
    licenses = httpx.get(nodes.urls[0] + "/api/v1/me/licenses", headers=headers).json()["items"]
    path = f"/api/v1/me/licenses/{licenses[0]['id']}/presentations"
    keyed = {**headers, "Idempotency-Key": "tap-" + uuid.uuid4().hex}
    with cf.ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(lambda i: nodes.post(i, path, headers=keyed, json={"profile": "standard"}),
                                range(BURST)))
    made = [a for a in answers if a.status_code == 201]
    assert made and all(a.status_code in (201, 409) for a in answers), [a.text for a in answers]
    assert len({a.json()["id"] for a in made}) == 1
    assert sum("Idempotent-Replayed" not in a.headers for a in made) == 1
    assert all(a.json()["code"] == "idempotency_key_in_use" for a in answers if a.status_code == 409)
