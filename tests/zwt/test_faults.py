"""Faults of the stores under the service: a killed database connection, a PostgreSQL restart, a Redis outage.

Each test runs on servers of its own (``fault_servers``), never the shared ones: a PostgreSQL cluster made
with ``initdb`` and a ``redis-server``, each on a free port. A store that fails answers 503 problem+json with
``Retry-After``, never a 500, and leaves nothing half-written; once it is back the service works again
without a restart of its own.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select

from wallet.identifiers import resident_id_check_digit
from zwt import create_app
from zwt.migrate import upgrade
from zwt.models import AccountSession, RefreshToken

from .conftest import FAST_HASH, AuthActions
from .fault_servers import throwaway_postgres, throwaway_redis  # noqa: F401 - fixtures

BASE = {"TESTING": "1", "ZWT_PASSWORD_HASH_METHOD": FAST_HASH, "ZWT_LOG_LEVEL": "CRITICAL",
        "ZWT_SMS_OUTBOX_PATH": "off", "ZWT_LIVENESS_SESSIONS_PATH": "off", "ZWT_SANDBOX_REGISTRY_PATH": "off"}


@pytest.fixture(scope="module")
def pg_url(throwaway_postgres):  # noqa: F811 - the fixture of that name
    """The throwaway PostgreSQL, migrated."""
    upgrade(throwaway_postgres.url)
    return throwaway_postgres.url


def _signed_up(auth: AuthActions, n: int) -> Any:
    first17 = f"37020219800101{n:03d}"
    return auth.register(id_number=first17 + resident_id_check_digit(first17), phone=f"1370000{n:04d}")


def _unavailable(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json" and response.json["code"] == "service_unavailable"
    assert response.headers["Retry-After"] == "1"


def _count(app, model) -> int:
    with app.extensions["zwt"].db.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)))


def test_a_connection_killed_mid_request_is_a_503_and_nothing_is_half_written(pg_url, clock):
    """pg_terminate_backend between a sign-in's two inserts: 503, no session without its refresh token,
    and the next sign-in on the same pool succeeds."""
    app = create_app({**BASE, "ZWT_DATABASE_URL": pg_url}, clock=clock)
    client = app.test_client()
    auth = AuthActions(client, app)
    citizen = _signed_up(auth, 1)
    sessions, tokens = _count(app, AccountSession), _count(app, RefreshToken)
    engine = app.extensions["zwt"].db.engine
    killed: list[int] = []

    def kill_before_the_refresh_token(conn, cursor, statement, *_: Any) -> None:
        if statement.startswith("INSERT INTO refresh_tokens") and not killed:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", (pid,))
            killed.append(pid)

    event.listen(engine, "before_cursor_execute", kill_before_the_refresh_token)
    try:
        _unavailable(auth.login(citizen.phone, citizen.password))
    finally:
        event.remove(engine, "before_cursor_execute", kill_before_the_refresh_token)
    assert killed
    assert (_count(app, AccountSession), _count(app, RefreshToken)) == (sessions, tokens)
    again = auth.login(citizen.phone, citizen.password)
    assert again.status_code == 200, again.json
    assert (_count(app, AccountSession), _count(app, RefreshToken)) == (sessions + 1, tokens + 1)
    app.extensions["zwt"].db.dispose()


def test_the_service_recovers_from_a_postgresql_restart(pg_url, throwaway_postgres, clock):  # noqa: F811
    """After a restart the pooled connections are dead: at most one request sees a clean 503, then it works."""
    app = create_app({**BASE, "ZWT_DATABASE_URL": pg_url}, clock=clock)
    client = app.test_client()
    citizen = _signed_up(AuthActions(client, app), 2)
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    throwaway_postgres.restart()
    first = client.get("/api/v1/me", headers=citizen.headers)
    if first.status_code != 200:
        _unavailable(first)
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    assert client.get("/readyz").status_code == 200
    throwaway_postgres.stop()
    try:
        _unavailable(client.get("/api/v1/me", headers=citizen.headers))
        assert client.get("/readyz").json["checks"]["database"] == "unavailable"
    finally:
        throwaway_postgres.start()
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    app.extensions["zwt"].db.dispose()


def test_without_redis_revocation_and_replay_fail_closed_and_browsing_goes_on(make_app, throwaway_redis):  # noqa: F811
    """Redis down: signed-in routes (revocation), nonces and sign-ins (shared counters) answer 503; the
    catalog still answers. Redis back: everything works, and a logout then revokes on every route."""
    app = make_app({"ZWT_REDIS_URL": throwaway_redis.url})
    client = app.test_client()
    auth = AuthActions(client, app)
    citizen = _signed_up(auth, 3)
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    throwaway_redis.stop()
    _unavailable(client.get("/api/v1/me", headers=citizen.headers))
    _unavailable(client.post("/api/v1/nonces", headers=citizen.headers))
    _unavailable(client.post("/api/v1/auth/logout", headers=citizen.headers))
    _unavailable(client.post("/api/v1/auth/login", environ_base={"REMOTE_ADDR": "10.8.8.8"},  # a new address
                             json={"username": citizen.phone, "password": "wrong-password-1"}))
    for path in ("/api/v1/services", "/api/v1/services?q=shebao", "/api/v1/departments", "/api/v1/themes",
                 "/api/v1/life-events", "/api/v1/search/suggest?q=she"):
        assert client.get(path).status_code == 200, path
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["redis"] == "unavailable"
    throwaway_redis.start()
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    assert client.post("/api/v1/nonces", headers=citizen.headers).status_code == 201
    assert client.post("/api/v1/auth/logout", headers=citizen.headers).status_code == 204
    revoked = client.get("/api/v1/me", headers=citizen.headers)
    assert revoked.status_code == 401 and revoked.json["code"] == "token_revoked"
    assert client.get("/readyz").status_code == 200
