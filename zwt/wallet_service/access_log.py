"""The access log: every presentation, verification, denial and status change on a citizen's license.

Rows are only inserted (database triggers refuse UPDATE and DELETE). The citizen reads their own rows:
when, which hall and counter, which clerk, which service item, which fields, what verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import AccessLogEntry, Account, WalletLicense

__all__ = ["INSERT", "row_values", "record", "entries_for", "entry_view"]


#: A plain INSERT, not an ORM object: rows are never read back or changed in the same transaction.
INSERT = AccessLogEntry.__table__.insert()


def record(sess: Session, *, at: dt.datetime, event: str, source: str, license: WalletLicense | None = None,
           account_id: int | None = None, actor: Account | None = None, fields: Sequence[str] = (),
           **columns: Any) -> None:
    """Insert one log row in the caller's transaction; the actor's hall and counter come from their account."""
    sess.execute(INSERT, row_values(at=at, event=event, source=source, license=license, account_id=account_id,
                                    actor=actor, fields=fields, **columns))


def row_values(*, at: dt.datetime, event: str, source: str, license: WalletLicense | None = None,
               account_id: int | None = None, actor: Account | None = None, fields: Sequence[str] = (),
               **columns: Any) -> dict[str, Any]:
    """The values of one log row (what ``record`` inserts), for a caller that batches its statements."""
    identifier, license_type = columns.pop("license_identifier", None), columns.pop("license_type", None)
    values = dict(
        account_id=license.account_id if license is not None else account_id,
        license_id=license.id if license is not None else None,
        license_identifier=license.identifier if license is not None else identifier,
        license_type=license.license_type if license is not None else license_type,
        at=at, event=event, source=source, fields=list(fields),
        actor_subject=actor.subject if actor else None, actor_role=actor.role if actor else None,
        actor_name=actor.display_name if actor else None,
        hall_code=columns.pop("hall_code", actor.hall_code if actor else None),
        counter_code=columns.pop("counter_code", actor.counter_code if actor else None),
        detail=columns.pop("detail", {}), **columns)
    return values


def entries_for(sess: Session, account_id: int, *, limit: int, before_id: int | None) -> list[AccessLogEntry]:
    """A citizen's log, newest first, paged by id: their own rows, and every row about a license they hold now
    (a license handed over from a frozen squatter's account brings the looks the squatter had)."""
    held = select(WalletLicense.id).where(WalletLicense.account_id == account_id)
    stmt = select(AccessLogEntry).where(or_(AccessLogEntry.account_id == account_id,
                                            AccessLogEntry.license_id.in_(held)))
    if before_id is not None:
        stmt = stmt.where(AccessLogEntry.id < before_id)
    return list(sess.scalars(stmt.order_by(AccessLogEntry.id.desc()).limit(limit)))


def entry_view(entry: AccessLogEntry, public_ids: dict[int, str]) -> dict[str, Any]:
    """One row as the citizen sees it: another citizen's identity never shows, only the role."""
    staff = entry.actor_role in {"clerk", "dept_admin", "platform_admin"}
    return {
        "id": entry.id, "at": entry.at, "event": entry.event, "source": entry.source,
        "license_id": public_ids.get(entry.license_id) if entry.license_id else None,
        "license_type": entry.license_type, "actor_role": entry.actor_role,
        "actor_name": entry.actor_name if staff else None,
        "hall_code": entry.hall_code, "counter_code": entry.counter_code, "impl_code": entry.impl_code,
        "fields": list(entry.fields or []), "verdict": entry.verdict,
        # ``counter``: an uploaded offline record, what the counter reported (checked on arrival, not witnessed)
        "reported_by": (entry.detail or {}).get("reported_by") or ("counter" if entry.source == "offline" else None),
    }
