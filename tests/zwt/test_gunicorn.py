"""End to end over real HTTP: two gunicorn nodes (two workers each) sharing the database and Redis."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from services_catalog.proofing import SmsOutbox

from .conftest import FAST_HASH

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A generous bound: a shared 2-core machine under a test run can take seconds to stop a worker.
STOP_SECONDS = 60


def _environment(make_app, database_url, redis_url, tmp_path) -> dict[str, str]:
    """The variables a gunicorn node of the test database needs (its Redis prefix is wiped after the test).

    The nodes' telecom sandbox writes its texts to ``tmp_path/sms.jsonl``, where ``_code`` reads them.
    """
    prefix = make_app().extensions["zwt"].config.redis_prefix
    env = {**os.environ, "ZWT_DATABASE_URL": database_url, "ZWT_PASSWORD_HASH_METHOD": FAST_HASH,
           "ZWT_LOG_LEVEL": "WARNING", "ZWT_REDIS_PREFIX": prefix, "ZWT_SANDBOX_REGISTRY_PATH": "off",
           "ZWT_SMS_OUTBOX_PATH": str(tmp_path / "sms.jsonl"), "ZWT_LIVENESS_SESSIONS_PATH": "off",
           "ZWT_TRUST_PROXY_HOPS": "1"}
    if redis_url:
        env["ZWT_REDIS_URL"] = redis_url
    return env


def _spawn(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``app:app`` under gunicorn with the service's config and two workers, logging to ``log``."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:zwt.gunicorn_conf", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    return proc, f"http://127.0.0.1:{port}"


def _wait_until_up(url: str) -> None:
    """Poll ``/healthz`` until it answers; a shared 2-core machine may take tens of seconds to boot workers."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not start")


@pytest.fixture
def nodes(make_app, database_url, redis_url, tmp_path):
    """Two gunicorn instances of ``app:app`` on the test database (and Redis when configured)."""
    env = _environment(make_app, database_url, redis_url, tmp_path)
    procs, urls = [], []
    try:
        for number in range(2):
            proc, url = _spawn(env, tmp_path / f"node{number}.log")
            procs.append(proc)
            urls.append(url)
        for url in urls:
            _wait_until_up(url)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=STOP_SECONDS)


def _register(node: str, phone: str, outbox: Path) -> httpx.Response:
    """Sign up on ``node``, answering the SMS code the node's telecom sandbox wrote to ``outbox``."""
    started = httpx.post(node + "/api/v1/auth/register", json={
        "name": "赵敏", "id_number": "11010519491231002X", "phone": phone, "password": "Secret2026ok"})
    assert started.status_code == 202, started.text
    code = SmsOutbox(outbox).last(phone)
    assert code is not None
    return httpx.post(node + "/api/v1/auth/register/confirm", json={
        "challenge_id": started.json()["challenge_id"], "code": re.search(r"\d{6}", code.text).group(0)})


def test_account_flow_over_http_across_two_nodes(nodes, tmp_path):
    """Register on node A (code from the shared outbox), refresh on B, logout on A: B refuses the revoked tokens."""
    a, b = nodes
    register = _register(a, "13600000001", tmp_path / "sms.jsonl")
    assert register.status_code == 201, register.text
    login = httpx.post(b + "/api/v1/auth/login", json={"username": "13600000001", "password": "Secret2026ok"})
    assert login.status_code == 200
    tokens = login.json()
    me = httpx.get(a + "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200 and me.json()["id_number_masked"] == "1101**********002X"
    refreshed = httpx.post(b + "/api/v1/auth/refresh",
                           headers={"Authorization": f"Bearer {tokens['refresh_token']}"}).json()
    access = {"Authorization": f"Bearer {refreshed['access_token']}"}
    assert httpx.get(b + "/api/v1/me", headers=access).status_code == 200
    assert httpx.post(a + "/api/v1/auth/logout", headers=access).status_code == 204
    for node in (a, b):
        refused = httpx.get(node + "/api/v1/me", headers=access)
        assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
        assert refused.headers["content-type"].startswith("application/problem+json")


def test_login_throttle_holds_across_nodes_and_workers(nodes, tmp_path):
    """Failures spread over two nodes and their workers still add up to one limit."""
    a, b = nodes
    assert _register(a, "13600000002", tmp_path / "sms.jsonl").status_code == 201
    guesser = {"X-Forwarded-For": "10.7.7.7"}  # not an address that signed in before (those are exempt)
    for i in range(5):
        node = (a, b)[i % 2]
        assert httpx.post(node + "/api/v1/auth/login", json={"username": "13600000002", "password": "bad12345"},
                          headers=guesser).status_code == 401
    blocked = httpx.post(b + "/api/v1/auth/login", json={"username": "13600000002", "password": "Secret2026ok"},
                         headers=guesser)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


def test_a_shutdown_logs_no_leak_reports(make_app, database_url, redis_url, tmp_path):
    """Stopping gunicorn leaves only its own lines: no ``nanobind: leaked`` flood from objects still frozen."""
    log = tmp_path / "node.log"
    proc, url = _spawn(_environment(make_app, database_url, redis_url, tmp_path), log)
    try:
        _wait_until_up(url)
        assert httpx.get(url + "/api/v1/verifier/root-key").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=STOP_SECONDS)
    lines = log.read_text().splitlines()
    assert sum("Worker exiting" in line for line in lines) == 2
    assert [line for line in lines if "leaked" in line or "nanobind" in line] == []


def test_qr_rendering_after_the_start_up_freeze_leaks_nothing_at_exit():
    """A worker that froze its start-up heap, then rendered a QR code, exits without nanobind leak reports."""
    code = ("import gc, app\n"
            "gc.collect(); gc.freeze()  # what zwt.gunicorn_conf.post_worker_init does\n"
            "from wallet.qr import read_image, render_png\n"
            "assert read_image(render_png('QD1:TEST')) == 'QD1:TEST'\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "leaked" not in done.stderr and "nanobind" not in done.stderr
