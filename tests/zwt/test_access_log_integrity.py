"""The access log is append-only twice over: triggers refuse changes from any role, and on PostgreSQL the
service's own role has no UPDATE, DELETE or TRUNCATE on it at all (migrations run as the owner).

The PostgreSQL part creates the two roles of README's recipe when they are missing, in a schema of its own.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from zwt import create_app
from zwt.config import normalize_database_url

from .conftest import FAST_HASH, AuthActions

OWNER, SERVICE = "zwt_owner", "zwt_service"
CHANGES = ("UPDATE wallet_access_log SET verdict = 'valid'", "DELETE FROM wallet_access_log",
           "TRUNCATE wallet_access_log")
ROW = ("INSERT INTO wallet_access_log (at, event, source, fields, detail) "
       "VALUES ('2026-11-30 08:00:00', 'presented', 'app', '[]', '{}')")


def _refused(engine, statement: str, reason: str) -> None:
    with pytest.raises(DBAPIError, match=reason):
        with engine.begin() as conn:
            conn.execute(text(statement))


def test_triggers_refuse_changes_to_the_access_log_from_its_owner(app):
    """UPDATE and DELETE (and on PostgreSQL TRUNCATE, which skips row triggers) fail with the trigger's words."""
    engine = app.extensions["zwt"].db.engine
    with engine.begin() as conn:
        conn.execute(text(ROW))
    statements = CHANGES if engine.dialect.name == "postgresql" else CHANGES[:2]  # SQLite has no TRUNCATE
    for statement in statements:
        _refused(engine, statement, "append-only")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM wallet_access_log")) == 1


@pytest.fixture
def roles():
    """Owner and service URLs on a fresh schema owned by ``zwt_owner``; the roles are created if missing."""
    raw = os.environ.get("ZWT_TEST_DATABASE_URL")
    if not raw:
        pytest.skip("PostgreSQL only (ZWT_TEST_DATABASE_URL): SQLite has no roles")
    admin_url = make_url(normalize_database_url(raw))
    schema = f"zwt_roles_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for role in (OWNER, SERVICE):
            if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}) is None:
                try:
                    conn.execute(text(f"CREATE ROLE {role} LOGIN"))
                except DBAPIError:  # another run made it meanwhile
                    pass
        conn.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {OWNER}"))
    urls = tuple(admin_url.set(username=role, password=None).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False) for role in (OWNER, SERVICE))
    try:
        yield urls
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def test_the_service_role_may_only_read_and_append_to_the_access_log(roles, clock):
    """``db-upgrade`` migrates as the owner and grants the service role its rights; the service works under
    them, appends to the log, and each change to it is refused for lack of privilege."""
    owner_url, service_url = roles
    app = create_app({"TESTING": "1", "ZWT_DATABASE_URL": service_url, "ZWT_MIGRATION_DATABASE_URL": owner_url,
                      "ZWT_PASSWORD_HASH_METHOD": FAST_HASH, "ZWT_LOG_LEVEL": "WARNING", "ZWT_SMS_OUTBOX_PATH": "off",
                      "ZWT_LIVENESS_SESSIONS_PATH": "off", "ZWT_SANDBOX_REGISTRY_PATH": "off"}, clock=clock)
    result = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert result.exit_code == 0 and f"granted the service role {SERVICE}" in result.output, result.output
    AuthActions(app.test_client(), app).register()  # the service role may do what the service does
    service = app.extensions["zwt"].db.engine
    with service.begin() as conn:
        conn.execute(text(ROW))
    for statement in CHANGES:
        _refused(service, statement, "permission denied")
    owner = create_engine(owner_url)
    try:
        for statement in CHANGES:
            _refused(owner, statement, "append-only")
        with owner.connect() as conn:
            assert conn.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = 'wallet_access_log' "
                                    "AND schemaname = current_schema()")) == OWNER
            assert conn.scalar(text("SELECT count(*) FROM wallet_access_log")) == 1
    finally:
        owner.dispose()
        service.dispose()
