"""Ledger changes reaching the holders' wallets, in the transaction that changed the ledger.

A license whose linking ID number belongs to an account with licenses released (``zwt.auth.levels``) gets
its ``wallet_licenses`` row (with a status-list slot) at once; one whose holder has no such account waits
in the ledger and is claimed later (``claims``). A status change (suspend, reinstate, revoke, expire)
changes the wallet row and bumps the wallet generation exactly as the admin revoke does, so the next trust
bundle's status list carries it; the holder's access log records it. Organisation licenses land in the
representative's wallet, ``held_as`` ``organisation``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wallet.issuance import IssuedRecord, license_of

from ..auth.levels import licenses_released
from ..container import Services
from ..models import Account, WalletLicense
from ..wallet_service import access_log
from ..wallet_service.keys import bump_wallet_generation
from ..wallet_service.licenses import pseudonymous_serial, seal_issued
from ..wallet_service.status import allocate, list_for

__all__ = ["CHUNK", "EVENTS", "Change", "link_changes"]

CHUNK = 1000
#: the access-log event of a wallet license reaching a state
EVENTS = {"revoked": "revoked", "suspended": "suspended", "valid": "reinstated", "expired": "expired"}


@dataclass(frozen=True)
class Change:
    """One ledger row as a write left it: its state (and the one before), and its newest full record when
    the write carried one (issue / change) or the wallet needs it (a claim)."""

    license_type: str
    serial_bidx: str
    state: str
    previous_state: str | None
    record: IssuedRecord | None
    holder_bidx: str | None
    reason: str | None = None


def _wallet_columns(record: IssuedRecord, public_id: str, svc: Services) -> dict[str, Any]:
    """The columns of a wallet row that follow from the record (identifier, dates, sealed record)."""
    content = record.content
    assert content is not None
    serial = pseudonymous_serial(record.license_type, content.issuer_code, record.serial, svc)
    lic = license_of(record, serial)
    sealed, version = seal_issued(public_id, record, serial, svc)
    return {"identifier": lic.identifier, "issuer_name": content.issuer_name, "valid_from": content.valid_from,
            "valid_until": content.valid_until, "record_enc": sealed, "record_key_version": version,
            "held_as": "organisation" if content.holder.is_organisation else "self"}


def _released(sess: Session, holders: set[str], svc: Services) -> dict[str, Account]:
    if not holders:
        return {}
    accounts = sess.scalars(select(Account).where(Account.id_number_bidx.in_(holders)))
    return {a.id_number_bidx: a for a in accounts if a.id_number_bidx and licenses_released(a, svc.config)}


def _link(sess: Session, department: str, changes: Sequence[Change], svc: Services, now: dt.datetime) -> None:
    rows = {(r.license_type, r.serial_bidx): r for r in sess.scalars(
        select(WalletLicense).where(WalletLicense.department_code == department,
                                    WalletLicense.serial_bidx.in_({c.serial_bidx for c in changes})))}
    accounts = _released(sess, {c.holder_bidx for c in changes if c.record is not None and c.holder_bidx
                                and (c.license_type, c.serial_bidx) not in rows}, svc)
    bump = False
    new_rows: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    for change in changes:
        row = rows.get((change.license_type, change.serial_bidx))
        if row is not None:
            if change.record is not None:
                for name, value in _wallet_columns(change.record, row.public_id, svc).items():
                    setattr(row, name, value)
                row.fetched_at = now
            if row.status != change.state:
                previous, row.status, row.status_changed_at = row.status, change.state, now
                bump = True
                logs.append(access_log.row_values(at=now, event=EVENTS[change.state], source="issuer", license=row,
                                                  detail={"reason": change.reason or "", "from": previous}))
            continue
        account = accounts.get(change.holder_bidx or "")
        if change.record is None or account is None:
            continue  # waits in the ledger until its holder's account may hold licenses
        public_id = "lic_" + uuid.uuid4().hex
        new_rows.append({"public_id": public_id, "account_id": account.id, "department_code": department,
                         "license_type": change.license_type, "serial_bidx": change.serial_bidx,
                         "status": change.state, "fetched_at": now,
                         "status_changed_at": None if change.state == "valid" else now,
                         **_wallet_columns(change.record, public_id, svc)})
        bump = bump or change.state != "valid"
    if new_rows:
        status_list = list_for(sess, department)
        first = allocate(sess, status_list, len(new_rows))
        for offset, values in enumerate(new_rows):
            values.update(status_list_id=status_list.id, status_idx=first + offset)
        sess.execute(insert(WalletLicense), new_rows)
    sess.flush()
    if logs:
        sess.execute(access_log.INSERT, logs)
    if bump:
        bump_wallet_generation(sess)


def link_changes(sess: Session, department: str, changes: Sequence[Change], *, svc: Services,
                 now: dt.datetime) -> None:
    """Bring the wallets in line with these ledger changes, a chunk of rows per query, in the caller's
    transaction."""
    for start in range(0, len(changes), CHUNK):
        _link(sess, department, changes[start:start + CHUNK], svc, now)
