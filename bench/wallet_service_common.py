"""Shared set-up of the wallet-service benchmarks: a migrated database with the demo wallet, on SQLite or PG.

Only loopback is used. PostgreSQL is used when reachable at ``BENCH_PG_URL`` (default the local test
server, in a database of the run's own, ``bench_wallet_<pid>``, created for the run and dropped after it, so
benchmarks run side by side never drop each other's database).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_DB = f"bench_wallet_{os.getpid()}"


def _admin(statement: str) -> None:
    """Run one statement on the PostgreSQL maintenance database, outside any transaction."""
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def postgres_url() -> str | None:
    """A freshly created PostgreSQL database for the run, or None when no server answers."""
    try:
        _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        _admin(f"CREATE DATABASE {PG_DB}")
    except Exception as exc:  # noqa: BLE001 - benchmarks skip a backend that is not there
        print(f"(PostgreSQL not available: {type(exc).__name__}; SQLite only)")
        return None
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB


def backends() -> Iterator[tuple[str, str]]:
    """(name, database URL) for SQLite (a temporary file) and, when reachable, PostgreSQL."""
    with tempfile.TemporaryDirectory() as tmp:
        yield "SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}"
        pg = postgres_url()
        if pg:
            try:
                yield "PostgreSQL", pg
            finally:
                _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def service_env(url: str) -> dict[str, str]:
    """Environment of the service under test. One account presents thousands of times a minute, which no
    person does, so its per-account presentation limits are off: with a limit the check walks at most that
    many index entries (20 a minute, 500 a day by default), a cost real accounts have and this load would
    inflate without bound."""
    return {"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING", "ZWT_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "ZWT_PRESENTATIONS_PER_MINUTE": "0", "ZWT_PRESENTATIONS_PER_DAY": "0"}


def prepare(url: str) -> None:
    """Migrate and load the demo accounts, keys and licenses (no catalog)."""
    env = {**os.environ, **service_env(url)}
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db-upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "load-demo", "--catalog-items", "0"], cwd=ROOT, env=env, check=True, capture_output=True)


def login(base: str, username: str, password: str = "Demo2026pass") -> dict[str, str]:
    """Authorization header of a demo account."""
    response = httpx.post(base + "/api/v1/auth/login", json={"username": username, "password": password})
    response.raise_for_status()
    return {"Authorization": "Bearer " + response.json()["access_token"]}
