"""Real gunicorn nodes of ``app:app`` on the test database (and Redis), for tests over HTTP across processes."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx

from services_catalog.proofing import SmsOutbox

from .conftest import FAST_HASH

__all__ = ["ROOT", "STOP_SECONDS", "free_port", "environment", "spawn", "wait_until_up", "running_nodes",
           "register", "sms_code"]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A generous bound: a shared 2-core machine under a test run can take seconds to stop a worker.
STOP_SECONDS = 60


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(database_url: str, redis_url: str | None, tmp_path: Path, prefix: str,
                **extra: str) -> dict[str, str]:
    """The variables a gunicorn node of the test database needs, its Redis keys under ``prefix``.

    The nodes' telecom sandbox writes its texts to ``tmp_path/sms.jsonl``, where ``sms_code`` reads them.
    """
    env = {**os.environ, "ZWT_DATABASE_URL": database_url, "ZWT_PASSWORD_HASH_METHOD": FAST_HASH,
           "ZWT_LOG_LEVEL": "WARNING", "ZWT_REDIS_PREFIX": prefix, "ZWT_SANDBOX_REGISTRY_PATH": "off",
           "ZWT_SMS_OUTBOX_PATH": str(tmp_path / "sms.jsonl"), "ZWT_LIVENESS_SESSIONS_PATH": "off",
           "ZWT_UPLOAD_STORE": str(tmp_path / "uploads"),
           "ZWT_TRUST_PROXY_HOPS": "1", **extra}
    if redis_url:
        env["ZWT_REDIS_URL"] = redis_url
    return env


def spawn(env: dict[str, str], log: Path, *, workers: int = 2) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``app:app`` under gunicorn with the service's config, logging to ``log``."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:zwt.gunicorn_conf", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    return proc, f"http://127.0.0.1:{port}"


def wait_until_up(url: str) -> None:
    """Poll ``/healthz`` until it answers; a shared 2-core machine may take tens of seconds to boot workers."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not start")


@contextlib.contextmanager
def running_nodes(env: dict[str, str], tmp_path: Path, count: int = 2) -> Iterator[list[str]]:
    """``count`` gunicorn nodes (two workers each) sharing ``env``; stopped on exit."""
    procs, urls = [], []
    try:
        for number in range(count):
            proc, url = spawn(env, tmp_path / f"node{number}.log")
            procs.append(proc)
            urls.append(url)
        for url in urls:
            wait_until_up(url)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=STOP_SECONDS)


def sms_code(outbox: Path, phone: str) -> str:
    """The code in the newest text the nodes' shared outbox holds for ``phone``."""
    message = SmsOutbox(outbox).last(phone)
    assert message is not None, f"no text to {phone}"
    found = re.search(r"\d{6}", message.text)
    assert found, message.text
    return found.group(0)


def register(node: str, phone: str, outbox: Path, *, name: str = "赵敏", id_number: str = "11010519491231002X",
             headers: dict[str, str] | None = None) -> httpx.Response:
    """Sign up on ``node``, answering the SMS code the node's telecom sandbox wrote to ``outbox``."""
    started = httpx.post(node + "/api/v1/auth/register", headers=headers, json={
        "name": name, "id_number": id_number, "phone": phone, "password": "Secret2026ok"})
    assert started.status_code == 202, started.text
    return httpx.post(node + "/api/v1/auth/register/confirm", headers=headers, json={
        "challenge_id": started.json()["challenge_id"], "code": sms_code(outbox, phone)})
