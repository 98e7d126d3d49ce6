"""Stored shared records: each version sealed to its row, with its digest and the digest it replaced."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services_catalog.shared_records import SharedRecord

from ..container import Services
from ..models import SharedDataRecord

__all__ = ["latest", "latest_of", "save", "save_all", "opened"]

_TABLE, _COLUMN = "shared_data_records", "record"


def latest(sess: Session, account_id: int, source: str) -> SharedDataRecord | None:
    """The newest version of the account's record of ``source``, or None."""
    return sess.scalar(select(SharedDataRecord)
                       .where(SharedDataRecord.account_id == account_id, SharedDataRecord.source == source)
                       .order_by(SharedDataRecord.version.desc()).limit(1))


def latest_of(sess: Session, account_id: int) -> dict[str, SharedDataRecord]:
    """The newest version of each of the account's sources, by source."""
    newest = (select(SharedDataRecord.source, func.max(SharedDataRecord.version).label("version"))
              .where(SharedDataRecord.account_id == account_id).group_by(SharedDataRecord.source).subquery())
    rows = sess.scalars(select(SharedDataRecord).join(
        newest, (SharedDataRecord.source == newest.c.source) & (SharedDataRecord.version == newest.c.version))
        .where(SharedDataRecord.account_id == account_id))
    return {row.source: row for row in rows}


def save(sess: Session, account_id: int, record: SharedRecord, *, at: dt.datetime,
         svc: Services) -> tuple[SharedDataRecord, bool]:
    """Keep a fetched record: unchanged (same digest) marks the newest version checked; a change adds the next
    version, keeping the previous digest. Returns the newest row and whether it changed. The caller commits."""
    return _save(sess, account_id, record, latest(sess, account_id, record.source), at=at, svc=svc)


def save_all(sess: Session, account_id: int, records: Iterable[SharedRecord], *, at: dt.datetime, svc: Services,
             current: Mapping[str, SharedDataRecord] | None = None) -> dict[str, tuple[SharedDataRecord, bool]]:
    """``save`` for several records of different sources, by source; ``current``: the account's newest versions
    (``latest_of``) when the caller read them already in this transaction, else they are read in one query."""
    records = list(records)
    if not records:
        return {}
    newest = current if current is not None else latest_of(sess, account_id)
    return {record.source: _save(sess, account_id, record, newest.get(record.source), at=at, svc=svc)
            for record in records}


def _save(sess: Session, account_id: int, record: SharedRecord, current: SharedDataRecord | None, *,
          at: dt.datetime, svc: Services) -> tuple[SharedDataRecord, bool]:
    digest = record.digest
    if current is not None and current.digest == digest:
        current.checked_at = at
        return current, False
    row = SharedDataRecord(public_id="shd_" + uuid.uuid4().hex, account_id=account_id, source=record.source,
                           department_code=record.department_code, version=(current.version + 1) if current else 1,
                           digest=digest, previous_digest=current.digest if current else None,
                           fetched_at=at, checked_at=at)
    row.record_enc, row.record_key_version = svc.pii.encrypt(
        json.dumps(dict(record.data), ensure_ascii=False), table=_TABLE, column=_COLUMN, row=row.public_id)
    sess.add(row)
    return row, True


def opened(row: SharedDataRecord, svc: Services) -> dict[str, Any]:
    """The record data sealed in ``row``."""
    data: dict[str, Any] = json.loads(svc.pii.decrypt(row.record_enc, row.record_key_version, table=_TABLE,
                                                      column=_COLUMN, row=row.public_id))
    return data
