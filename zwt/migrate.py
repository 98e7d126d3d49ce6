"""Run the Alembic migrations in ``migrations/`` against a database URL (CLI, ``make run``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

__all__ = ["alembic_config", "upgrade", "grant_service_role", "MIGRATIONS_DIR", "APPEND_ONLY_TABLES"]

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    """An Alembic configuration pointing at our migrations and ``url``."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


#: tables the service may only read and append to (their triggers refuse changes from the owner too)
APPEND_ONLY_TABLES = ("wallet_access_log",)


def grant_service_role(owner_url: str, service_url: str) -> str | None:
    """On PostgreSQL, as the owner at ``owner_url``, grant the role of ``service_url`` what the service needs.

    Every table of the schema: SELECT, INSERT, UPDATE, DELETE; the append-only tables SELECT and INSERT only;
    ``alembic_version`` SELECT only; sequences USAGE and SELECT. Returns the role, or None when there is
    nothing to grant (SQLite, or the service connects as the owner itself).
    """
    owner, service = make_url(owner_url), make_url(service_url)
    if owner.get_backend_name() != "postgresql" or not service.username or service.username == owner.username:
        return None
    engine = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    role = '"' + service.username.replace('"', '""') + '"'
    try:
        with engine.connect() as conn:
            schema = conn.scalar(text("SELECT current_schema()"))
            tables = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}).all()
            quoted = '"' + str(schema).replace('"', '""') + '"'
            conn.execute(text(f"GRANT USAGE ON SCHEMA {quoted} TO {role}"))
            for table in tables:
                name = f'{quoted}."{table}"'
                conn.execute(text(f"REVOKE ALL ON {name} FROM {role}"))
                if table == "alembic_version" or table in APPEND_ONLY_TABLES:
                    rights = "SELECT" if table == "alembic_version" else "SELECT, INSERT"
                else:
                    rights = "SELECT, INSERT, UPDATE, DELETE"
                conn.execute(text(f"GRANT {rights} ON {name} TO {role}"))
            conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted} TO {role}"))
    finally:
        engine.dispose()
    return service.username
