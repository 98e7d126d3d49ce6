"""Reference endpoints for the wallet benchmarks: Flask + SQLAlchemy doing the least a logged write can do.

``/read`` loads one row through the ORM; ``/write`` loads one row, inserts one and commits;
``/write-raw`` does the same on the bare driver connection. They run on the service's own engine
settings (``zwt.db.make_engine``) against ``ZWT_DATABASE_URL``, in a table of their own, and show what
share of the bare Flask rate is left once a request touches the database at all: the ceiling under any
endpoint that authenticates against a database and writes an audit row.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from flask import Flask, jsonify
from sqlalchemy import JSON, DateTime, String, bindparam, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from zwt.db import make_engine


class Base(DeclarativeBase):
    """Tables of the reference app only."""


class Item(Base):
    """One row to read, and the rows the write endpoint appends."""

    __tablename__ = "bench_reference_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


def prepare(url: str) -> None:
    """Create the table and its one row (before the workers start: they would race to do it)."""
    setup = make_engine(url)
    Base.metadata.create_all(setup)
    with sessionmaker(setup)() as first:
        if first.get(Item, 1) is None:
            first.add(Item(id=1, name="reference", at=dt.datetime.now(), data={}))
            first.commit()
    setup.dispose()


engine = make_engine(os.environ.get("ZWT_DATABASE_URL", "sqlite://"))
Sessions = sessionmaker(engine, expire_on_commit=False)
app = Flask(__name__)
_BY_ID = select(Item).where(Item.id == bindparam("id"))
_INSERT = Item.__table__.insert()


@app.get("/read")
def read() -> Any:
    """One ORM read by primary key."""
    with Sessions() as sess:
        item = sess.scalar(_BY_ID, {"id": 1})
        assert item is not None
        return jsonify({"id": item.id, "name": item.name})


@app.post("/write")
def write() -> Any:
    """One ORM read, one insert, one commit: the smallest request that leaves a durable log row."""
    with Sessions() as sess:
        item = sess.scalar(_BY_ID, {"id": 1})
        assert item is not None
        sess.execute(_INSERT, {"name": item.name, "at": dt.datetime.now(), "data": {"read": item.id}})
        sess.commit()
        return jsonify({"id": item.id}), 201


@app.post("/write-raw")
def write_raw() -> Any:
    """The same read, insert and commit straight on the driver (no ORM, no Core): the database's own floor."""
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(f"SELECT id, name FROM bench_reference_items WHERE id = {mark}", (1,))
        item_id, name = cursor.fetchone()
        cursor.execute(f"INSERT INTO bench_reference_items (name, at, data) VALUES ({mark}, {mark}, {mark})",
                       (name, str(dt.datetime.now()), '{"read": 1}'))
        conn.commit()
    finally:
        conn.close()
    return jsonify({"id": item_id}), 201
