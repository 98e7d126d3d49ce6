"""Fixtures for the web service: one migrated database per run, a fresh app and client per test.

SQLite by default; PostgreSQL when ``ZWT_TEST_DATABASE_URL`` is set and Redis when
``ZWT_TEST_REDIS_URL`` is set. A configured server that cannot be reached fails the run: it is
never skipped.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from zwt import create_app
from zwt.clock import FixedClock
from zwt.config import normalize_database_url
from zwt.migrate import upgrade
from zwt.models import Base
from zwt.models.wallet import APPEND_ONLY_SQL

# One schema per test process, dropped at the end: concurrent runs on one server never meet.
TEST_SCHEMA = f"zwt_test_{os.getpid()}"
FAST_HASH = "pbkdf2:sha256:1000"  # keeps the suite fast; production uses scrypt


def _postgres_url(raw: str) -> str:
    """Create a clean schema for this run and return a URL whose search_path points at it."""
    url = normalize_database_url(raw)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {TEST_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {TEST_SCHEMA}"))
    except Exception as exc:  # noqa: BLE001 - a configured database must be reachable
        pytest.fail(f"ZWT_TEST_DATABASE_URL is set but PostgreSQL cannot be reached: {exc}", pytrace=False)
    finally:
        engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{TEST_SCHEMA}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The migrated test database for this run."""
    raw = os.environ.get("ZWT_TEST_DATABASE_URL")
    url = _postgres_url(raw) if raw else f"sqlite:///{tmp_path_factory.mktemp('db') / 'zwt-test.db'}"
    upgrade(url)
    yield url
    if raw:
        engine = create_engine(normalize_database_url(raw), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {TEST_SCHEMA} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    """The Redis server for this run, checked once, or None."""
    url = os.environ.get("ZWT_TEST_REDIS_URL")
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001 - a configured Redis must be reachable
            pytest.fail(f"ZWT_TEST_REDIS_URL is set but Redis cannot be reached: {exc}", pytrace=False)
    return url


def _wipe(app: Flask) -> None:
    """Empty every table (and this test's Redis keys) so the next test starts clean."""
    svc = app.extensions["zwt"]
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with svc.db.engine.begin() as conn:
        if svc.db.dialect == "postgresql":  # the test role owns the tables: it may lift the TRUNCATE guard
            conn.execute(text("ALTER TABLE wallet_access_log DISABLE TRIGGER wallet_access_log_no_truncate"))
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
            conn.execute(text("ALTER TABLE wallet_access_log ENABLE TRIGGER wallet_access_log_no_truncate"))
        else:  # lift the append-only guard of the access log for the moment of the wipe
            conn.execute(text("DROP TRIGGER IF EXISTS wallet_access_log_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS wallet_access_log_no_delete"))
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
            for statement in APPEND_ONLY_SQL["sqlite"]:
                conn.execute(text(statement))
    if svc.redis is not None:
        import redis

        try:
            keys = list(svc.redis.scan_iter(match=svc.config.redis_prefix + "*"))
            if keys:
                svc.redis.delete(*keys)
        except redis.ConnectionError:
            pass  # a test that points at an unreachable Redis stored nothing there
    svc.db.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """A clock that moves only when a test advances it."""
    return FixedClock()


@pytest.fixture
def make_app(database_url: str, redis_url: str | None, clock: FixedClock,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database; several apps in one test act as separate workers or nodes."""
    built: list[Flask] = []
    prefix = f"zwt-test-{uuid.uuid4().hex[:8]}:"
    uploads = str(tmp_path_factory.mktemp("uploads"))  # one store for every app of the test, as one deployment

    def factory(extra: dict[str, Any] | None = None, **overrides: Any) -> Flask:
        config: dict[str, Any] = {"TESTING": "1", "ZWT_DATABASE_URL": database_url,
                                  "ZWT_PASSWORD_HASH_METHOD": FAST_HASH, "ZWT_REDIS_PREFIX": prefix,
                                  "ZWT_LOG_LEVEL": "WARNING", "ZWT_SMS_OUTBOX_PATH": "off",
                                  "ZWT_LIVENESS_SESSIONS_PATH": "off", "ZWT_SANDBOX_REGISTRY_PATH": "off",
                                  "ZWT_UPLOAD_STORE": uploads}
        if redis_url:
            config["ZWT_REDIS_URL"] = redis_url
        config.update(extra or {})
        overrides.setdefault("clock", clock)
        app = create_app(config, **overrides)
        built.append(app)
        return app

    yield factory
    if built:
        _wipe(built[0])
    for app in built[1:]:
        app.extensions["zwt"].db.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app under test."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@dataclass
class Citizen:
    """A registered citizen and the tokens their sign-up returned."""

    name: str
    id_number: str
    phone: str
    password: str
    access_token: str
    refresh_token: str
    subject: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header with the access token."""
        return {"Authorization": f"Bearer {self.access_token}"}


class AuthActions:
    """Sign-up and sign-in helpers for tests, over HTTP like a real client."""

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self.client = client
        self.app = app
        self._n = 0

    def register(self, *, name: str = "张伟", id_number: str | None = None, phone: str | None = None,
                 password: str = "Secret2026ok", evidence: str | None = None) -> Citizen:
        """Register a citizen with a valid, unique ID number and phone, answering the SMS code like a person."""
        from wallet.identifiers import resident_id_check_digit

        self._n += 1
        if id_number is None:
            first17 = f"37020219900101{self._n:03d}"
            id_number = first17 + resident_id_check_digit(first17)
        phone = phone or f"139{self._n:08d}"
        response = self.confirm(self.start_registration(name, id_number, phone, password), phone,
                                evidence=evidence)
        assert response.status_code == 201, response.json
        body = response.json
        return Citizen(name, id_number, phone, password, body["access_token"], body["refresh_token"],
                       body["account"]["subject"])

    def start_registration(self, name: str, id_number: str, phone: str, password: str = "Secret2026ok") -> str:
        """POST /auth/register; return the challenge id."""
        response = self.client.post("/api/v1/auth/register", json={
            "name": name, "id_number": id_number, "phone": phone, "password": password})
        assert response.status_code == 202, response.json
        return str(response.json["challenge_id"])

    def confirm(self, challenge_id: str, phone: str, *, evidence: str | None = None) -> Any:
        """POST /auth/register/confirm with the code the phone received."""
        body = {"challenge_id": challenge_id, "code": self.code(phone)}
        if evidence:
            body["evidence"] = evidence
        return self.client.post("/api/v1/auth/register/confirm", json=body)

    @property
    def outbox(self) -> Any:
        """The telecom sandbox's outbox of this app."""
        return self.app.extensions["zwt"].proofing.sandbox.outbox

    def last_text(self, phone: str) -> str:
        """The newest text the phone received."""
        message = self.outbox.last(phone)
        assert message is not None, f"no text to {phone}"
        return str(message.text)

    def code(self, phone: str) -> str:
        """The one-time code in the newest text to ``phone``."""
        import re

        found = re.search(r"验证码 (\d{6})", self.last_text(phone))
        assert found, self.last_text(phone)
        return found.group(1)

    def step_up(self, citizen: Citizen) -> Citizen:
        """Step the citizen's sign-in up with an SMS code; their access token may then reveal and bind."""
        sent = self.client.post("/api/v1/me/sms-challenges", json={"purpose": "step_up"}, headers=citizen.headers)
        assert sent.status_code == 201, sent.json
        response = self.client.post("/api/v1/auth/step-up", headers=citizen.headers, json={
            "challenge_id": sent.json["challenge_id"], "code": self.code(citizen.phone)})
        assert response.status_code == 200, response.json
        citizen.access_token = response.json["access_token"]
        return citizen

    def login(self, username: str, password: str) -> Any:
        """POST /auth/login and return the response."""
        return self.client.post("/api/v1/auth/login", json={"username": username, "password": password})

    def staff(self, role: str, username: str, *, password: str = "Staff2026ok", **scope: str) -> dict[str, str]:
        """Create a staff account through the CLI code path and return auth headers for it."""
        from zwt.cli import create_staff_account

        with self.app.app_context():
            create_staff_account(role=role, username=username, display_name=username, password=password,
                                 **scope)
        token = self.login(username, password).json["access_token"]
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(client: FlaskClient, app: Flask) -> AuthActions:
    """Helpers to register and sign in."""
    return AuthActions(client, app)
