"""End to end over real HTTP: two gunicorn nodes (two workers each) sharing the database and Redis."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from .live_nodes import ROOT, STOP_SECONDS, environment, register, running_nodes, spawn, wait_until_up

pytestmark = pytest.mark.slow


def _prefix(make_app) -> str:
    """The Redis prefix of this test's apps (the fixture wipes its keys after the test)."""
    return make_app().extensions["zwt"].config.redis_prefix


@pytest.fixture
def nodes(make_app, database_url, redis_url, tmp_path):
    """Two gunicorn instances of ``app:app`` on the test database (and Redis when configured)."""
    with running_nodes(environment(database_url, redis_url, tmp_path, _prefix(make_app)), tmp_path) as urls:
        yield urls


def test_account_flow_over_http_across_two_nodes(nodes, tmp_path):
    """Register on node A (code from the shared outbox), refresh on B, logout on A: B refuses the revoked tokens."""
    a, b = nodes
    signed_up = register(a, "13600000001", tmp_path / "sms.jsonl")
    assert signed_up.status_code == 201, signed_up.text
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
    assert register(a, "13600000002", tmp_path / "sms.jsonl").status_code == 201
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
    proc, url = spawn(environment(database_url, redis_url, tmp_path, _prefix(make_app)), log)
    try:
        wait_until_up(url)
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
