"""Applying issued records to a department's ledger, and through it to the holders' wallets: one function
for push and pull.

Records are checked (``wallet.issuance.parse_record``), scoped (a type the key, or the department, may
issue) and decided against what is stored (``wallet.issuance.decide``) in chunks: one query reads the
chunk's ledger rows, one its holders' accounts, one their wallet rows; new rows are bulk inserted and
changed ones bulk updated (SQLAlchemy Core). Sealing each record is the only per-record cost left, and it is done,
like every read, before the first write (``_plan``, then ``_store``).

Push is all or nothing: one refused record and nothing of the request is written (the report names every
refused line). Pull writes what is acceptable and counts the rest (a feed may repeat old records).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from wallet.identifiers import InvalidIdentifier, normalize_resident_id
from wallet.issuance import CONTENT_OPS, Decision, IssuedRecord, RecordRefused, Stored, decide, parse_record

from ..container import Services
from ..masking import mask_id_number
from ..models import IssuedLicense
from ..wallet_service.licenses import serial_index
from .wallets import Change, plan_links, write_links

__all__ = ["CHUNK", "Line", "Outcome", "Report", "seal_ledger_record", "open_ledger_record", "apply_records",
           "refresh_statistics"]

CHUNK = 1000


@dataclass(frozen=True)
class Line:
    """One record as received: its line number and the decoded JSON (or the reason it did not decode)."""

    number: int
    data: object
    problem: tuple[str, str] | None = None  # (reason, field) when the line is not a record at all


@dataclass
class Outcome:
    """What became of one line."""

    line: int
    serial: str | None
    version: int | None
    outcome: str  # stored | unchanged | refused
    reason: str | None = None
    field: str | None = None

    def view(self) -> dict[str, Any]:
        """The report entry (a serial that is a resident ID number is masked: reports are logged and cached)."""
        out: dict[str, Any] = {"line": self.line, "serial": _shown_serial(self.serial), "version": self.version,
                               "outcome": self.outcome}
        if self.outcome == "refused":
            out.update(reason=self.reason, field=self.field)
        return out


@dataclass
class Report:
    """Totals and per-line outcomes of one push or one pulled page."""

    department: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many lines had ``outcome``."""
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def refused(self) -> list[Outcome]:
        """The refused lines."""
        return [o for o in self.outcomes if o.outcome == "refused"]

    def totals(self) -> dict[str, int]:
        """Received, stored, unchanged and refused counts."""
        return {"received": len(self.outcomes), "stored": self.count("stored"),
                "unchanged": self.count("unchanged"), "refused": self.count("refused")}


def _shown_serial(serial: str | None) -> str | None:
    if serial is None:
        return None
    try:
        return mask_id_number(normalize_resident_id(serial))
    except InvalidIdentifier:
        return serial


def seal_ledger_record(public_id: str, record: IssuedRecord, svc: Services) -> tuple[bytes, int]:
    """The record sealed for its ledger row (bound to the row's public id)."""
    return svc.pii.encrypt(json.dumps(dict(record.canonical), ensure_ascii=False), table="issuer_ledger",
                           column="record", row=public_id)


def open_ledger_record(row: IssuedLicense, svc: Services) -> IssuedRecord:
    """The newest full record (issue or change) kept in a ledger row."""
    text = svc.pii.decrypt(row.record_enc, row.record_key_version, table="issuer_ledger", column="record",
                           row=row.public_id)
    return parse_record(json.loads(text))


@dataclass
class _Slot:
    """One (type, serial) of the department as the chunk sees it: the stored row and what the chunk did."""

    row: dict[str, Any] | None  # the stored row's columns (None: new)
    stored: Stored | None
    values: dict[str, Any] = field(default_factory=dict)  # columns to write
    record: IssuedRecord | None = None  # the newest full record applied in this chunk
    holder_bidx: str | None = None
    reason: str | None = None


_COLUMNS = (IssuedLicense.id, IssuedLicense.public_id, IssuedLicense.license_type, IssuedLicense.serial_bidx,
            IssuedLicense.version, IssuedLicense.state, IssuedLicense.content_digest, IssuedLicense.holder_bidx,
            IssuedLicense.holder_key, IssuedLicense.organisation)


Key = tuple[str, str]  # (license type, serial index)
_STORED = select(*_COLUMNS).where(IssuedLicense.department_code == bindparam("department"),
                                  IssuedLicense.license_type.in_(bindparam("types", expanding=True)),
                                  IssuedLicense.serial_bidx.in_(bindparam("serials", expanding=True)))


def _stored_rows(sess: Session, department: str, keys: Collection[Key]) -> dict[Key, dict[str, Any]]:
    """The stored ledger rows of these (type, serial index) pairs, in one query along the unique index."""
    if not keys:
        return {}
    rows = sess.execute(_STORED, {"department": department, "types": list({t for t, _ in keys}),
                                  "serials": list({s for _, s in keys})}).mappings()
    return {(r["license_type"], r["serial_bidx"]): dict(r) for r in rows}


def _parse(line: Line, allowed: Collection[str]) -> tuple[IssuedRecord | None, Outcome]:
    data = line.data if isinstance(line.data, dict) else {}
    serial, version = data.get("serial"), data.get("version")
    outcome = Outcome(line.number, serial if isinstance(serial, str) else None,
                      version if type(version) is int else None, "refused")
    if line.problem:
        outcome.reason, outcome.field = line.problem
        return None, outcome
    try:
        record = parse_record(line.data)
    except RecordRefused as exc:
        outcome.reason, outcome.field = exc.reason, exc.field
        return None, outcome
    if record.license_type not in allowed:
        outcome.reason, outcome.field = "type_not_allowed", "license_type"
        return None, outcome
    return record, outcome


def _holder_key(record: IssuedRecord, svc: Services) -> str | None:
    """Whose license a full record is, by blind index: the person, or the organisation (not its representative,
    who may change); None for a status record."""
    if record.content is None:
        return None
    holder = record.content.holder
    if holder.uscc is not None:
        return svc.pii.blind_index(holder.uscc, purpose="issuer_organisation")
    return svc.pii.blind_index(holder.linking_id)


def _decide_chunk(sess: Session, department: str, lines: list[Line], allowed: Collection[str], svc: Services,
                  report: Report, slots: dict[tuple[str, str], _Slot]) -> None:
    """Decide a chunk's records into ``slots`` (which carries what earlier chunks decided, unwritten)."""
    parsed: list[tuple[IssuedRecord | None, Outcome, str | None]] = []
    for line in lines:
        record, outcome = _parse(line, allowed)
        parsed.append((record, outcome, serial_index(record.license_type, record.serial, svc) if record else None))
    unseen = {(r.license_type, s) for r, _, s in parsed if r and s and (r.license_type, s) not in slots}
    existing = _stored_rows(sess, department, unseen)
    for record, outcome, serial_bidx in parsed:
        report.outcomes.append(outcome)
        if record is None or serial_bidx is None:
            continue
        key = (record.license_type, serial_bidx)
        slot = slots.get(key)
        if slot is None:
            row = existing.get(key)
            stored = None if row is None else Stored(row["version"], row["state"], row["content_digest"],
                                                     row["holder_key"])
            slot = slots[key] = _Slot(row, stored)
        holder = _holder_key(record, svc)
        keyed = replace(record, digest=svc.pii.blind_index(record.digest, purpose="issuer_content"))
        decision: Decision = decide(slot.stored, keyed, holder)
        outcome.outcome, outcome.reason, outcome.field = decision.outcome, decision.reason, decision.field
        if decision.outcome != "stored":
            continue
        assert decision.state is not None
        holder_key = holder if holder is not None else (slot.stored.holder if slot.stored else "")
        slot.stored = Stored(record.version, decision.state, keyed.digest, holder_key)
        slot.values.update(version=record.version, state=decision.state, content_digest=keyed.digest)
        if record.op in CONTENT_OPS:
            assert record.content is not None and holder is not None
            linking = svc.pii.blind_index(record.content.holder.linking_id)
            slot.record, slot.holder_bidx = record, linking
            slot.values.update(holder_bidx=linking, holder_key=holder,
                               organisation=record.content.holder.is_organisation)
        slot.reason = record.reason


@dataclass
class _Plan:
    """What a flush writes to the ledger, every value computed (records sealed), and the changes it makes."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def _plan(department: str, slots: Iterable[tuple[Key, _Slot]], svc: Services, now: dt.datetime) -> _Plan:
    """The ledger rows of the decided slots: all the CPU work (sealing), no statement."""
    plan = _Plan()
    for (license_type, serial_bidx), slot in slots:
        values = dict(slot.values, updated_at=now)
        if slot.row is None:
            assert slot.record is not None
            public_id = "iss_" + uuid.uuid4().hex
            sealed, version = seal_ledger_record(public_id, slot.record, svc)
            plan.inserts.append(dict(values, public_id=public_id, department_code=department,
                                     license_type=license_type, serial_bidx=serial_bidx, record_enc=sealed,
                                     record_key_version=version, created_at=now))
            previous = None
        else:
            if slot.record is not None:
                values["record_enc"], values["record_key_version"] = seal_ledger_record(slot.row["public_id"],
                                                                                        slot.record, svc)
            plan.updates.append(dict(values, row_id=slot.row["id"]))
            previous = slot.row["state"]
        plan.changes.append(Change(license_type=license_type, serial_bidx=serial_bidx, state=values["state"],
                                   previous_state=previous, record=slot.record,
                                   holder_bidx=slot.holder_bidx or (slot.row or {}).get("holder_bidx"),
                                   reason=slot.reason))
    return plan


_LEDGER = IssuedLicense.__table__
_UPDATE = update(_LEDGER).where(_LEDGER.c.id == bindparam("row_id"))


def _store(sess: Session, plan: _Plan) -> None:
    """Write a planned flush to the ledger: Core bulk statements, no ORM bookkeeping per row."""
    if plan.inserts:
        sess.execute(insert(_LEDGER), plan.inserts)
    for columns in {tuple(sorted(values)) for values in plan.updates}:  # an executemany needs one set of keys
        sess.execute(_UPDATE, [values for values in plan.updates if tuple(sorted(values)) == columns])


def apply_records(sess: Session, department: str, lines: Iterable[Line], *, allowed: Collection[str],
                  svc: Services, all_or_nothing: bool) -> Report:
    """Apply the records to the ledger and the wallets in the caller's transaction (the caller commits).

    With ``all_or_nothing`` a refused record stops every write: the report comes back with nothing flushed.
    Every read and all CPU work (parsing, deciding, sealing, the wallets' plan) come before the first write,
    so the write transaction stays short.
    """
    report = Report(department)
    now = svc.clock.now()
    slots: dict[tuple[str, str], _Slot] = {}
    chunk: list[Line] = []

    def flush() -> None:
        plan = _plan(department, ((key, slot) for key, slot in slots.items() if slot.values), svc, now)
        links = plan_links(sess, department, plan.changes, svc=svc, now=now)
        _store(sess, plan)
        write_links(sess, department, links)
        slots.clear()

    for line in lines:
        chunk.append(line)
        if len(chunk) >= CHUNK:
            _decide_chunk(sess, department, chunk, allowed, svc, report, slots)
            chunk.clear()
            if not all_or_nothing:
                flush()
    if chunk:
        _decide_chunk(sess, department, chunk, allowed, svc, report, slots)
    if not (all_or_nothing and report.refused):
        flush()
    return report


def refresh_statistics(sess: Session, stored: int) -> None:
    """After a bulk write (a first load), let PostgreSQL's planner see the new rows at once.

    The chunk look-ups go along ``uq_issuer_ledger_serial`` only when the planner knows the table: with no
    statistics yet it filters the whole department per chunk instead (measured: 1 s per chunk of 1,000 at
    30,000 rows, 15 ms after ANALYZE). Autovacuum would get there, but not before the next push.
    """
    if stored >= CHUNK and sess.get_bind().dialect.name == "postgresql":
        sess.execute(text("ANALYZE issuer_ledger, wallet_licenses"))
        sess.commit()
