"""End to end over real HTTP: two gunicorn nodes (two workers each) sharing the database and Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from .conftest import FAST_HASH

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def nodes(make_app, database_url, redis_url, tmp_path):
    """Two gunicorn instances of ``app:app`` on the test database (and Redis when configured)."""
    prefix = make_app().extensions["zwt"].config.redis_prefix  # wiped with this app after the test
    env = {**os.environ, "ZWT_DATABASE_URL": database_url, "ZWT_PASSWORD_HASH_METHOD": FAST_HASH,
           "ZWT_LOG_LEVEL": "WARNING", "ZWT_REDIS_PREFIX": prefix}
    if redis_url:
        env["ZWT_REDIS_URL"] = redis_url
    procs, urls = [], []
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for _ in range(2):
        port = _free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:zwt.gunicorn_conf", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "app:app"],
            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"node{port}.log", "w")))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            for _ in range(200):
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            else:
                raise AssertionError(f"{url} did not start")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


def test_account_flow_over_http_across_two_nodes(nodes):
    """Register on node A, refresh on B, logout on A: B refuses the revoked tokens."""
    a, b = nodes
    register = httpx.post(a + "/api/v1/auth/register", json={
        "name": "赵敏", "id_number": "11010519491231002X", "phone": "13600000001", "password": "Secret2026ok"})
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


def test_login_throttle_holds_across_nodes_and_workers(nodes):
    """Failures spread over two nodes and their workers still add up to one limit."""
    a, b = nodes
    httpx.post(a + "/api/v1/auth/register", json={
        "name": "赵敏", "id_number": "11010519491231002X", "phone": "13600000002", "password": "Secret2026ok"})
    for i in range(5):
        node = (a, b)[i % 2]
        assert httpx.post(node + "/api/v1/auth/login", json={"username": "13600000002", "password": "bad12345"}
                          ).status_code == 401
    blocked = httpx.post(b + "/api/v1/auth/login", json={"username": "13600000002", "password": "Secret2026ok"})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
