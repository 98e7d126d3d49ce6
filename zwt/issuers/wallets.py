"""Ledger changes reaching the holders' wallets, in the transaction that changed the ledger.

A license whose linking ID number belongs to an account with licenses released (``zwt.auth.levels``) gets
its ``wallet_licenses`` row (with a status-list slot) at once; one whose holder has no such account waits
in the ledger and is claimed later (``claims``). A status change (suspend, reinstate, revoke, expire)
changes the wallet row and bumps the wallet generation exactly as the admin revoke does, so the next trust
bundle's status list carries it; the holder's access log records it. Organisation licenses land in the
representative's wallet, ``held_as`` ``organisation``; when the legal representative changes, the license
moves to the new one's wallet, or, while they cannot hold licenses yet, stays parked with the former one
shown ``suspended`` until the new one claims it.

Linking is planned, then written: ``plan_links`` does every read and all the CPU work (sealing, identifiers,
log rows) while nothing is written yet; ``write_links`` only executes Core statements (bulk insert, update by
id, one-statement status-list allocation), so the write transaction a push holds is short.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from wallet.issuance import IssuedRecord, license_of

from ..auth.levels import licenses_released
from ..container import Services
from ..models import Account, WalletLicense
from ..wallet_service import access_log
from ..wallet_service.keys import bump_wallet_generation
from ..wallet_service.licenses import pseudonymous_serial, seal_issued
from ..wallet_service.status import allocate_for

__all__ = ["CHUNK", "EVENTS", "Change", "LinkPlan", "plan_links", "write_links", "link_changes"]

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


_ACCOUNTS = select(Account).where(Account.id_number_bidx.in_(bindparam("holders", expanding=True)))


def _accounts(sess: Session, holders: set[str]) -> dict[str, Account]:
    """The accounts of these linking ID numbers (by blind index), whatever their level."""
    if not holders:
        return {}
    return {a.id_number_bidx: a for a in sess.scalars(_ACCOUNTS, {"holders": list(holders)}) if a.id_number_bidx}


def _keeper(held: dict[str, Any], holder: Account | None, svc: Services) -> tuple[Account | None, bool]:
    """Who keeps an existing wallet license: the account to move it to (an organisation's new legal
    representative who may hold licenses), and whether it is parked (held by a former representative while
    the new one cannot hold it yet: shown suspended until they claim it)."""
    if holder is not None and holder.id == held["account_id"]:
        return None, False
    if holder is not None and licenses_released(holder, svc.config):
        return holder, False
    return None, True


_HELD = (select(WalletLicense.id, WalletLicense.public_id, WalletLicense.account_id, WalletLicense.identifier,
                WalletLicense.license_type, WalletLicense.serial_bidx, WalletLicense.status)
         .where(WalletLicense.department_code == bindparam("department"),
                WalletLicense.serial_bidx.in_(bindparam("serials", expanding=True))))
_TABLE = WalletLicense.__table__


@dataclass
class LinkPlan:
    """What linking a chunk of changes writes: new wallet rows (their status slots still to allocate), changes
    to held rows by id, access-log rows, and whether the wallet generation moves."""

    new_rows: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    logs: list[dict[str, Any]] = field(default_factory=list)
    bump: bool = False


def _log(held: dict[str, Any], now: dt.datetime, event: str, detail: dict[str, str]) -> dict[str, Any]:
    values = access_log.row_values(at=now, event=event, source="issuer", account_id=held["account_id"],
                                   license_identifier=held["identifier"], license_type=held["license_type"],
                                   detail=detail)
    values["license_id"] = held["id"]
    return values


def _plan_held(held: dict[str, Any], change: Change, holder: Account | None, plan: LinkPlan, svc: Services,
               now: dt.datetime) -> None:
    """Plan the change of a license a wallet already holds (``held``: its columns, updated as planned)."""
    values: dict[str, Any] = {}
    if change.record is not None:
        values.update(_wallet_columns(change.record, held["public_id"], svc), fetched_at=now)
    move_to, parked = _keeper(held, holder, svc)
    if move_to is not None:
        values["account_id"] = move_to.id
    held.update(values)
    if move_to is not None:
        plan.logs.append(_log(held, now, "handed_over", {"reason": "legal_representative_changed"}))
    state = "suspended" if parked and change.state == "valid" else change.state
    if held["status"] != state:
        previous = held["status"]
        values.update(status=state, status_changed_at=now)
        plan.bump = True
        plan.logs.append(_log(held, now, EVENTS[state], {"reason": change.reason or "", "from": previous}))
    if values:
        plan.updates.append(dict(values, row_id=held["id"]))


def _plan(sess: Session, department: str, changes: Sequence[Change], svc: Services, now: dt.datetime) -> LinkPlan:
    rows = {(r.license_type, r.serial_bidx): dict(r._mapping) for r in sess.execute(
        _HELD, {"department": department, "serials": list({c.serial_bidx for c in changes})})}
    accounts = _accounts(sess, {c.holder_bidx for c in changes if c.holder_bidx})
    plan = LinkPlan()
    for change in changes:
        held = rows.get((change.license_type, change.serial_bidx))
        holder = accounts.get(change.holder_bidx or "")
        if held is not None:
            _plan_held(held, change, holder, plan, svc, now)
            continue
        account = holder if holder is not None and licenses_released(holder, svc.config) else None
        if change.record is None or account is None:
            continue  # waits in the ledger until its holder's account may hold licenses
        public_id = "lic_" + uuid.uuid4().hex
        plan.new_rows.append({"public_id": public_id, "account_id": account.id, "department_code": department,
                              "license_type": change.license_type, "serial_bidx": change.serial_bidx,
                              "status": change.state, "fetched_at": now,
                              "status_changed_at": None if change.state == "valid" else now,
                              **_wallet_columns(change.record, public_id, svc)})
        plan.bump = plan.bump or change.state != "valid"
    return plan


def _update_by_id(sess: Session, updates: list[dict[str, Any]]) -> None:
    """Update held rows by id, one executemany per set of changed columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in updates:
        by_columns.setdefault(tuple(sorted(values)), []).append(values)
    for rows in by_columns.values():
        sess.execute(update(_TABLE).where(_TABLE.c.id == bindparam("row_id")), rows)


def plan_links(sess: Session, department: str, changes: Sequence[Change], *, svc: Services,
               now: dt.datetime) -> list[LinkPlan]:
    """Read and prepare what bringing the wallets in line with these ledger changes writes, a chunk of rows
    per query; writes nothing."""
    return [_plan(sess, department, changes[start:start + CHUNK], svc, now)
            for start in range(0, len(changes), CHUNK)]


def write_links(sess: Session, department: str, plans: Sequence[LinkPlan]) -> None:
    """Write planned links in the caller's transaction: Core statements only.

    The rows a concurrent push may also lock are taken late and in one order, the department's status list
    before the wallet generation (``allocate_for`` itself bumps the generation when the list outgrows its
    published size), so two pushes never wait for each other crosswise."""
    for plan in plans:
        if plan.updates:
            _update_by_id(sess, plan.updates)
        if plan.logs:
            sess.execute(access_log.INSERT, plan.logs)
    new_rows = [values for plan in plans for values in plan.new_rows]
    if new_rows:
        list_id, first = allocate_for(sess, department, len(new_rows))
        for offset, values in enumerate(new_rows):
            values.update(status_list_id=list_id, status_idx=first + offset)
        sess.execute(insert(_TABLE), new_rows)
    if any(plan.bump for plan in plans):
        bump_wallet_generation(sess)


def link_changes(sess: Session, department: str, changes: Sequence[Change], *, svc: Services,
                 now: dt.datetime) -> None:
    """Bring the wallets in line with these ledger changes in the caller's transaction."""
    write_links(sess, department, plan_links(sess, department, changes, svc=svc, now=now))
