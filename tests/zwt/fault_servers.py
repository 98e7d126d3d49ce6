"""Throwaway PostgreSQL and Redis servers for tests that stop, kill or restart them.

Never the shared instances the rest of the suite uses: each server here runs from a fresh temporary
directory on a free port and is removed afterwards. When the binaries are missing the tests skip, unless
``ZWT_REQUIRE_FAULT_SERVERS`` is set (CI sets it), where they fail instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from .live_nodes import free_port

__all__ = ["ThrowawayPostgres", "ThrowawayRedis", "throwaway_postgres", "throwaway_redis", "missing"]


def missing(what: str) -> None:
    """Skip (or fail, where the fault servers are required) because ``what`` is not installed."""
    message = f"{what} not found: the fault tests need it (ZWT_REQUIRE_FAULT_SERVERS makes this a failure)"
    if os.environ.get("ZWT_REQUIRE_FAULT_SERVERS"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _wait(check, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not come up")


class ThrowawayPostgres:
    """A private PostgreSQL cluster (``initdb`` + ``pg_ctl``) on a free port, database ``zwt``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="zwt-fault-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        # initdb refuses to run as root: the cluster then belongs to the postgres system user
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "zwt")

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``zwt`` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/zwt"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as, str(self.bindir / tool), *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        """Stop the server at once (open connections are cut)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def restart(self) -> None:
        """Stop and start again on the same port."""
        self.stop()
        self.start()

    def remove(self) -> None:
        """Stop the server if it runs and delete its files."""
        subprocess.run([*self._as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


class ThrowawayRedis:
    """A private ``redis-server`` on a free port, no persistence."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        """redis:// URL of database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it answers PING."""
        import redis

        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        _wait(up, "redis-server")
        client.close()

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


@pytest.fixture(scope="module")
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A PostgreSQL of this module's own, removed afterwards."""
    bindir = _postgres_bin()
    if bindir is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        missing("PostgreSQL (initdb, pg_ctl)")
    server = ThrowawayPostgres(bindir)
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    """A Redis of this test's own, stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server")
    server = ThrowawayRedis(binary)
    try:
        yield server
    finally:
        server.stop()
