"""Database engine and the one-session-per-request pattern, on SQLite or PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from flask import Flask, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database", "session", "mark_changed"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Make SQLite behave like a server database: foreign keys on, concurrent readers via WAL."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with settings that suit each backend."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping round trip per checkout (it doubled the cost of a cheap read); recycle idle connections instead.
    return create_engine(url, pool_recycle=1800, pool_size=5, max_overflow=10)


class Database:
    """Owns the engine and hands each request (or CLI command) its own session."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def init_app(self, app: Flask) -> None:
        """Close the request's session when the app context ends, rolling back anything uncommitted."""
        app.extensions["zwt.db"] = self

        @app.teardown_appcontext
        def _close_session(_exc: BaseException | None) -> None:
            sess = g.pop("db_session", None)
            if sess is not None:
                sess.close()

    def on_marked_end(self, mark: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever a session that was ``mark_changed(sess, mark)`` commits or rolls back.

        A per-process cache of something the database holds (the catalog or wallet generation) forgets it
        the moment this worker's own change ends, so the worker sees its own writes at once.
        """

        def _ended(sess: Session, *_: object) -> None:
            if sess.info.pop(mark, False):
                callback()

        event.listen(self.sessions, "after_commit", _ended)
        event.listen(self.sessions, "after_soft_rollback", _ended)

    def dispose(self) -> None:
        """Close pooled connections (tests, shutdown)."""
        self.engine.dispose()


def mark_changed(sess: Session, mark: str) -> None:
    """Note that ``sess`` changed what ``mark`` names, for ``Database.on_marked_end`` callbacks."""
    sess.info[mark] = True


def session() -> Session:
    """The current request's session, opened on first use."""
    sess: Session | None = g.get("db_session")
    if sess is None:
        from flask import current_app

        db: Database = current_app.extensions["zwt.db"]
        sess = db.sessions()
        g.db_session = sess
    return sess
