"""The system under load: a scratch PostgreSQL database, a Redis db number, and two gunicorn nodes on loopback.

Both nodes share the database, Redis, the sandbox people file and the SMS outbox, and trust one proxy hop,
so each simulated user's ``X-Forwarded-For`` is its own client address (the throttles count per address).
There is no balancer: the users pick a node alternately (user i talks to node i mod 2).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent.parent
PG_ADMIN = os.environ.get("LOAD_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("LOAD_DATABASE", "zwt_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/9")
STATE = ROOT / "instance" / "load"
#: sync workers per node (``python -m bench.load --workers N``): four, since a sign-in holds a sync worker for
#: the whole of its scrypt hash; with two per node the p99 crossed 300 ms at N = 70 with 0.7 core idle, with four
#: at N = 110 (docs/BENCHMARKS.md)
WORKERS = 4

__all__ = ["ROOT", "STATE", "database_url", "create_database", "node_env", "Node", "Cluster", "kill_a_worker"]


def database_url() -> str:
    """The scratch database's URL."""
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + DATABASE


def create_database(*, fresh: bool) -> bool:
    """Create the scratch database (dropping it first when ``fresh``); True when it was created now."""
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if fresh:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE}):
                return False
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
            return True
    finally:
        engine.dispose()


def node_env(**extra: str) -> dict[str, str]:
    """Settings every node (and the provisioning commands) of the load run share."""
    STATE.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "ZWT_DATABASE_URL": database_url(), "ZWT_REDIS_URL": REDIS_URL,
            "ZWT_REDIS_PREFIX": "zwt_load:", "ZWT_LOG_LEVEL": "WARNING", "ZWT_TRUST_PROXY_HOPS": "1",
            "ZWT_SANDBOX_REGISTRY_PATH": str(STATE / "sandbox-people.json"),
            "ZWT_SMS_OUTBOX_PATH": str(STATE / "sms.jsonl"), "ZWT_LIVENESS_SESSIONS_PATH": "off", **extra}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    """One gunicorn master (``WORKERS`` sync workers) of ``app:app`` on a loopback port."""

    proc: subprocess.Popen[bytes]
    url: str

    def workers(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.proc.pid).children()
        except psutil.NoSuchProcess:
            return []


@dataclass
class Cluster:
    """The nodes of one run; ``start`` waits until each answers ``/healthz``, ``stop`` ends them."""

    env: dict[str, str]
    count: int = 2
    nodes: list[Node] = field(default_factory=list)

    def start(self) -> list[str]:
        for number in range(self.count):
            port = _free_port()
            log = open(STATE / f"node{number}.log", "ab")
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "python:zwt.gunicorn_conf", "--workers", str(WORKERS),
                 "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "app:app"],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log)
            self.nodes.append(Node(proc, f"http://127.0.0.1:{port}"))
        for node in self.nodes:
            _wait_up(node)
        return [node.url for node in self.nodes]

    def stop(self) -> None:
        for node in self.nodes:
            node.proc.send_signal(signal.SIGTERM)
        for node in self.nodes:
            node.proc.wait(timeout=60)
        self.nodes.clear()

    def pids(self) -> set[int]:
        """Masters and workers."""
        return {node.proc.pid for node in self.nodes} | {w.pid for node in self.nodes for w in node.workers()}


def _wait_up(node: Node) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if node.proc.poll() is not None:
            raise RuntimeError(f"gunicorn at {node.url} exited ({node.proc.returncode}); see {STATE}/node*.log")
        try:
            if httpx.get(node.url + "/healthz", timeout=2).status_code == 200 and len(node.workers()) == WORKERS:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn at {node.url} did not start")


def kill_a_worker(cluster: Cluster, turn: int) -> int:
    """SIGKILL one worker of node ``turn mod count`` (its master starts another); return the pid killed."""
    workers = cluster.nodes[turn % len(cluster.nodes)].workers()
    victim = random.choice(workers)
    os.kill(victim.pid, signal.SIGKILL)
    return victim.pid
