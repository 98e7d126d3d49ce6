"""The standard license-issuing contract, framework-free: one department record parsed and checked against
the registry, and the version / state rule that decides what storing it means.

A record (``docs/ISSUING.md``) is a JSON object: ``op`` (issue, change, suspend, reinstate, revoke, expire),
``license_type``, the department's ``serial`` and a ``version`` that grows per (department, type, serial).
``issue`` and ``change`` carry the whole license: the holder (a person by resident ID number, or an
organisation by unified social credit code with its legal representative), the issuing office, the dates
and the type's own fields by their registry names. The other operations carry only those four keys and an
optional ``reason``.

Everything wrong with a record raises ``RecordRefused`` naming the field at fault (``fields.entity_type``,
``holder.id_number``, ``version``) and a reason code; ``decide`` compares a record with what is stored.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from wallet.identifiers import (
    InvalidIdentifier,
    make_license_id,
    normalize_resident_id,
    normalize_unified_credit_code,
)
from wallet.license_types import EITHER, ORGANIZATION, REGISTRY, FieldSpec, LicenseType
from wallet.licenses import InvalidLicense, License, field_value_problem

__all__ = [
    "OPS",
    "CONTENT_OPS",
    "STATES",
    "FINAL_STATES",
    "RecordRefused",
    "Person",
    "Holder",
    "Content",
    "IssuedRecord",
    "parse_record",
    "license_of",
    "Stored",
    "Decision",
    "decide",
]

CONTENT_OPS = ("issue", "change")
OPS = CONTENT_OPS + ("suspend", "reinstate", "revoke", "expire")
#: What a stored license can be: ``revoked`` and ``expired`` are final.
STATES = ("valid", "suspended", "revoked", "expired")
FINAL_STATES = frozenset({"revoked", "expired"})
_TARGET = {"suspend": "suspended", "reinstate": "valid", "revoke": "revoked", "expire": "expired"}
# state a status operation may start from
_FROM = {"suspend": {"valid"}, "reinstate": {"suspended"}, "revoke": {"valid", "suspended"},
         "expire": {"valid", "suspended"}}

_SERIAL = re.compile(r"^[0-9A-Za-z-]{1,64}\Z")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_STATUS_KEYS = frozenset({"op", "license_type", "serial", "version", "reason"})
_CONTENT_KEYS = _STATUS_KEYS | {"holder", "issuer_code", "issuer_name", "issued_on", "valid_from", "valid_until",
                                "fields"}
_NAME_MAX, _ISSUER_NAME_MAX, _REASON_MAX = 64, 100, 200
# A placeholder serial for checking a record's license before the platform's own serial is known.
_CHECK_SERIAL = "0"


class RecordRefused(ValueError):
    """A record that cannot be stored: ``reason`` is the code, ``field`` the path of the value at fault."""

    def __init__(self, reason: str, field: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.field = field


def _refuse(reason: str, path: str, message: str) -> RecordRefused:
    return RecordRefused(reason, path, message)


@dataclass(frozen=True)
class Person:
    """A natural person: resident ID number and name."""

    id_number: str
    name: str

    def __repr__(self) -> str:
        return f"Person(id_number='{self.id_number[:4]}…', name='{self.name[:1]}*')"  # no ID number in logs


@dataclass(frozen=True)
class Holder:
    """Whom a license is about: a person, or an organisation with its legal representative."""

    name: str
    person: Person | None = None
    uscc: str | None = None
    representative: Person | None = None

    @property
    def is_organisation(self) -> bool:
        """Whether the holder is an organisation (its license lands in the representative's wallet)."""
        return self.uscc is not None

    @property
    def linking_id(self) -> str:
        """The resident ID number whose wallet receives the license: the person's, else the representative's."""
        who = self.representative if self.is_organisation else self.person
        assert who is not None
        return who.id_number

    @property
    def code(self) -> str:
        """The license's holder code: the credit code of an organisation, the ID number of a person."""
        return self.uscc if self.uscc is not None else self.linking_id


@dataclass(frozen=True)
class Content:
    """The full license an ``issue`` or ``change`` carries."""

    holder: Holder
    issuer_code: str
    issuer_name: str
    issued_on: _dt.date
    valid_from: _dt.date
    valid_until: _dt.date | None
    fields: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class IssuedRecord:
    """One checked record; ``canonical`` is its normalised JSON form, ``digest`` that form's SHA-256."""

    op: str
    license_type: str
    serial: str
    version: int
    reason: str | None
    content: Content | None
    canonical: Mapping[str, Any] = field(hash=False, repr=False)
    digest: str = field(repr=False)

    @property
    def ltype(self) -> LicenseType:
        """The registry entry of the record's type."""
        return REGISTRY[self.license_type]


def _text(value: object, path: str, limit: int) -> str:
    if not isinstance(value, str) or not value or len(value) > limit or _CONTROL.search(value):
        raise _refuse("invalid", path, f"{path} must be text of 1-{limit} characters without control characters")
    return value


def _date(value: object, path: str) -> _dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise _refuse("invalid", path, f"{path} must be a YYYY-MM-DD date")
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise _refuse("invalid", path, f"{path} must be a YYYY-MM-DD date") from None


def _resident_id(value: object, path: str) -> str:
    try:
        if not isinstance(value, str):
            raise InvalidIdentifier("format", "not text")
        return normalize_resident_id(value)
    except InvalidIdentifier as exc:
        raise _refuse("unknown_holder", path, f"{path} is not a valid resident ID number ({exc.reason})") from None


def _person(value: object, path: str) -> Person:
    if not isinstance(value, Mapping):
        raise _refuse("required", path, f"{path} must be an object with id_number and name")
    extra = set(value) - {"id_number", "name"}
    if extra:
        raise _refuse("unknown_field", f"{path}.{sorted(extra)[0]}", f"{path} has no key {sorted(extra)[0]!r}")
    return Person(_resident_id(value.get("id_number"), f"{path}.id_number"),
                  _text(value.get("name"), f"{path}.name", _NAME_MAX))


def _holder(value: object, kind: str) -> Holder:
    if not isinstance(value, Mapping):
        raise _refuse("required", "holder", "holder must be an object")
    if "uscc" in value:
        if kind not in (ORGANIZATION, EITHER):
            raise _refuse("unknown_holder", "holder.uscc", "this license type is held by a person, not an organisation")
        extra = set(value) - {"uscc", "name", "representative"}
        if extra:
            raise _refuse("unknown_field", f"holder.{sorted(extra)[0]}", "an organisation holder has uscc, name, "
                          "representative")
        try:
            uscc = value["uscc"]
            if not isinstance(uscc, str):
                raise InvalidIdentifier("format", "not text")
            code = normalize_unified_credit_code(uscc)
        except InvalidIdentifier as exc:
            raise _refuse("unknown_holder", "holder.uscc",
                          f"holder.uscc is not a valid unified social credit code ({exc.reason})") from None
        return Holder(_text(value.get("name"), "holder.name", _NAME_MAX), uscc=code,
                      representative=_person(value.get("representative"), "holder.representative"))
    if kind == ORGANIZATION:
        raise _refuse("unknown_holder", "holder.uscc", "this license type is held by an organisation: give its uscc")
    person = _person(value, "holder")
    return Holder(person.name, person=person)


def _fields(value: object, ltype: LicenseType) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _refuse("invalid", "fields", "fields must be an object")
    own = _own_specs(ltype.code)
    out = {}
    for name, item in value.items():
        path = f"fields.{name}"
        spec = own.get(name)
        if spec is None:
            raise _refuse("unknown_field", path, f"{ltype.code} has no field {name!r}")
        problem = field_value_problem(spec, item)
        if problem:
            raise _refuse("invalid", path, f"{path} {problem}")
        out[name] = item
    return out


@lru_cache(maxsize=None)
def _own_specs(type_code: str) -> Mapping[str, FieldSpec]:
    """A type's own fields by name (built once per type)."""
    ltype = REGISTRY[type_code]
    return MappingProxyType({name: ltype.field(name) for name in ltype.own_field_names})


def _version(value: object) -> int:
    if type(value) is not int or value < 1:
        raise _refuse("invalid", "version", "version must be an integer of at least 1")
    return value


def _content(data: Mapping[str, Any], ltype: LicenseType) -> Content:
    holder = _holder(data.get("holder"), ltype.holder_kind)
    try:
        issuer = data.get("issuer_code")
        if not isinstance(issuer, str):
            raise InvalidIdentifier("format", "not text")
        issuer_code = normalize_unified_credit_code(issuer)
        if issuer_code != issuer:
            raise InvalidIdentifier("format", "upper-case, without spaces")
    except InvalidIdentifier as exc:
        raise _refuse("invalid", "issuer_code", f"issuer_code is not a unified social credit code ({exc})") from None
    until = data.get("valid_until")
    return Content(holder=holder, issuer_code=issuer_code,
                   issuer_name=_text(data.get("issuer_name"), "issuer_name", _ISSUER_NAME_MAX),
                   issued_on=_date(data.get("issued_on"), "issued_on"),
                   valid_from=_date(data.get("valid_from"), "valid_from"),
                   valid_until=None if until is None else _date(until, "valid_until"),
                   fields=MappingProxyType(_fields(data.get("fields"), ltype)))


def _canonical(op: str, ltype: str, serial: str, version: int, reason: str | None,
               content: Content | None) -> dict[str, Any]:
    out: dict[str, Any] = {"op": op, "license_type": ltype, "serial": serial, "version": version}
    if reason is not None:
        out["reason"] = reason
    if content is not None:
        holder = content.holder
        if holder.is_organisation:
            rep = holder.representative
            assert rep is not None
            shown: dict[str, Any] = {"uscc": holder.uscc, "name": holder.name,
                                     "representative": {"id_number": rep.id_number, "name": rep.name}}
        else:
            shown = {"id_number": holder.linking_id, "name": holder.name}
        out.update(holder=shown, issuer_code=content.issuer_code, issuer_name=content.issuer_name,
                   issued_on=content.issued_on.isoformat(), valid_from=content.valid_from.isoformat(),
                   valid_until=None if content.valid_until is None else content.valid_until.isoformat(),
                   fields=dict(sorted(content.fields.items())))
    return out


def parse_record(data: object) -> IssuedRecord:
    """Check one record against the contract and the registry; raise ``RecordRefused`` naming the field."""
    if not isinstance(data, Mapping):
        raise _refuse("invalid", "record", "a record is a JSON object")
    op = data.get("op")
    if op not in OPS:
        raise _refuse("invalid", "op", f"op must be one of {', '.join(OPS)}")
    code = data.get("license_type")
    if not isinstance(code, str) or code not in REGISTRY:
        raise _refuse("unknown_license_type", "license_type", "license_type is not a code of the registry")
    ltype = REGISTRY[code]
    serial = data.get("serial")
    if not isinstance(serial, str) or not _SERIAL.match(serial):
        raise _refuse("invalid", "serial", "serial must be 1-64 characters 0-9, A-Z, a-z or -")
    version = _version(data.get("version"))
    allowed = _CONTENT_KEYS if op in CONTENT_OPS else _STATUS_KEYS
    extra = sorted(set(data) - allowed)
    if extra:
        raise _refuse("unknown_field", extra[0], f"a {op} record has no key {extra[0]!r}")
    reason = data.get("reason")
    if reason is not None:
        reason = _text(reason, "reason", _REASON_MAX)
    content = _content(data, ltype) if op in CONTENT_OPS else None
    record_data = _canonical(op, code, serial, version, reason, content)
    digest = hashlib.sha256(json.dumps(record_data, ensure_ascii=False, sort_keys=True,
                                       separators=(",", ":")).encode()).hexdigest()
    record = IssuedRecord(op, code, serial, version, reason, content, MappingProxyType(record_data), digest)
    if content is not None:
        license_of(record, _CHECK_SERIAL)  # every remaining rule of the registry, before anything is stored
    return record


_LICENSE_FIELDS = {"holder_name": "holder.name", "holder_code": "holder", "validity": "valid_until",
                   "identifier": "issuer_code", "type_code": "license_type"}


def license_of(record: IssuedRecord, serial: str) -> License:
    """The wallet ``License`` of an issue / change record, its identifier built on ``serial`` (the platform's
    pseudonymous serial: a department serial may be an ID number, and the identifier travels in every code)."""
    content = record.content
    if content is None:
        raise _refuse("invalid", "op", f"a {record.op} record carries no license")
    ltype = record.ltype
    try:
        return License(type_code=record.license_type,
                       identifier=make_license_id(ltype.gb_type_code, content.issuer_code, serial, 1),
                       issuer_code=content.issuer_code, holder_name=content.holder.name,
                       holder_code=content.holder.code, valid_from=content.valid_from,
                       valid_until=content.valid_until, fields=content.fields)
    except InvalidIdentifier as exc:
        raise _refuse("invalid", "issuer_code", f"issuer_code: {exc}") from None
    except InvalidLicense as exc:
        raise _refuse("invalid", _LICENSE_FIELDS.get(exc.reason, "fields"), str(exc)) from None


@dataclass(frozen=True)
class Stored:
    """What the platform holds for one (department, type, serial): version, state, content digest, holder key."""

    version: int
    state: str
    digest: str
    holder: str


@dataclass(frozen=True)
class Decision:
    """What storing a record means: ``stored`` (with the new state), ``unchanged``, or ``refused`` (reason, field)."""

    outcome: str
    state: str | None = None
    reason: str | None = None
    field: str | None = None


def decide(stored: Stored | None, record: IssuedRecord, holder: str | None) -> Decision:
    """The version and state rule. ``holder`` is the caller's key of the record's holder, the person or the
    organisation (None for a status operation): a license never changes hands, a new holder is a new serial
    (an organisation's new legal representative is a change, not a new holder).

    Versions grow strictly per serial: a lower one is ``stale_version``; the same one is ``unchanged`` with the
    same content and ``version_conflict`` with other content. ``revoke`` and ``expire`` are final.
    """
    if stored is None:
        if record.op not in CONTENT_OPS:
            return Decision("refused", reason="not_issued", field="serial")
        return Decision("stored", state="valid")
    if record.version < stored.version:
        return Decision("refused", reason="stale_version", field="version")
    if record.version == stored.version:
        if record.digest == stored.digest:
            return Decision("unchanged", state=stored.state)
        return Decision("refused", reason="version_conflict", field="version")
    if stored.state in FINAL_STATES:
        return Decision("refused", reason="final_state", field="op")
    if record.op in CONTENT_OPS:
        if holder is not None and holder != stored.holder:
            return Decision("refused", reason="holder_changed", field="holder")
        return Decision("stored", state=stored.state)
    if stored.state not in _FROM[record.op]:
        return Decision("refused", reason="invalid_transition", field="op")
    return Decision("stored", state=_TARGET[record.op])
