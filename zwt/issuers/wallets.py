"""Ledger changes reaching the holders' wallets, in the transaction that changed the ledger.

A license whose linking ID number belongs to an account with licenses released (``zwt.auth.levels``) gets
its ``wallet_licenses`` row (with a status-list slot) at once; one whose holder has no such account waits
in the ledger and is claimed later (``claims``). A status change (suspend, reinstate, revoke, expire)
changes the wallet row and bumps the wallet generation exactly as the admin revoke does, so the next trust
bundle's status list carries it; the holder's access log records it. Organisation licenses land in the
representative's wallet, ``held_as`` ``organisation``; when the legal representative changes, the license
moves to the new one's wallet, or, while they cannot hold licenses yet, stays parked with the former one
shown ``suspended`` until the new one claims it.
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


def _accounts(sess: Session, holders: set[str]) -> dict[str, Account]:
    """The accounts of these linking ID numbers (by blind index), whatever their level."""
    if not holders:
        return {}
    return {a.id_number_bidx: a for a in sess.scalars(select(Account).where(Account.id_number_bidx.in_(holders)))
            if a.id_number_bidx}


def _keeper(row: WalletLicense, holder: Account | None, svc: Services) -> tuple[Account | None, bool]:
    """Who keeps an existing wallet license: the account to move it to (an organisation's new legal
    representative who may hold licenses), and whether it is parked (held by a former representative while
    the new one cannot hold it yet: shown suspended until they claim it)."""
    if holder is not None and holder.id == row.account_id:
        return None, False
    if holder is not None and licenses_released(holder, svc.config):
        return holder, False
    return None, True


def _link(sess: Session, department: str, changes: Sequence[Change], svc: Services, now: dt.datetime) -> None:
    rows = {(r.license_type, r.serial_bidx): r for r in sess.scalars(
        select(WalletLicense).where(WalletLicense.department_code == department,
                                    WalletLicense.serial_bidx.in_({c.serial_bidx for c in changes})))}
    accounts = _accounts(sess, {c.holder_bidx for c in changes if c.holder_bidx})
    bump = False
    new_rows: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    for change in changes:
        row = rows.get((change.license_type, change.serial_bidx))
        holder = accounts.get(change.holder_bidx or "")
        if row is not None:
            if change.record is not None:
                for name, value in _wallet_columns(change.record, row.public_id, svc).items():
                    setattr(row, name, value)
                row.fetched_at = now
            move_to, parked = _keeper(row, holder, svc)
            if move_to is not None:
                row.account_id = move_to.id
                logs.append(access_log.row_values(at=now, event="handed_over", source="issuer", license=row,
                                                  detail={"reason": "legal_representative_changed"}))
            state = "suspended" if parked and change.state == "valid" else change.state
            if row.status != state:
                previous, row.status, row.status_changed_at = row.status, state, now
                bump = True
                logs.append(access_log.row_values(at=now, event=EVENTS[state], source="issuer", license=row,
                                                  detail={"reason": change.reason or "", "from": previous}))
            continue
        account = holder if holder is not None and licenses_released(holder, svc.config) else None
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
