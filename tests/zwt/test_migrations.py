"""Schema changes go through Alembic: migrations build exactly the models, and downgrade cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from zwt.migrate import alembic_config
from zwt.models import Base


def test_migrated_schema_matches_models(database_url):
    """Autogenerate finds nothing to add: no model change is missing a migration."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_and_downgrade_on_a_fresh_sqlite(tmp_path):
    """A brand-new database upgrades to head and downgrades back to empty."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    command.downgrade(alembic_config(url), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
