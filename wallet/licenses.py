"""License model: a typed license, its compact per-profile disclosure, and parsing that disclosure back.

Compact private-claim layout (a CBOR map with small integer keys, every byte counts in the QR code)::

    {0: type number, 1: profile (0 minimal, 1 standard, 2 full, 3 chosen fields),
     2: holder name, 3: holder code, 4: masked holder code, 5: valid from, 6: valid until,
     8...: per-type fields in registry order}

Text stays text; dates are days since 1970-01-01 (the RFC 8943 ``full-date`` integer, untagged
because the key says it is a date: 3 bytes instead of 5 for ``yyyymmdd``); ``valid_until`` null =
长期, no end; enumerations are the index of the value in the field's choices. Absent fields are
simply not in the map. The issuer, the identifier, the device key and the status entry travel in the
standard CWT claims, not here.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from wallet.errors import InvalidCredential
from wallet.identifiers import (
    InvalidIdentifier,
    normalize_resident_id,
    normalize_unified_credit_code,
    parse_license_id,
)
from wallet.license_samples import sample_parts
from wallet.license_types import (
    BY_NUMBER,
    DOCUMENT,
    EITHER,
    ORGANIZATION,
    PERSON,
    PROFILES,
    REGISTRY,
    FieldSpec,
    LicenseType,
    UnknownLicenseType,
    get_type,
)

__all__ = [
    "License",
    "LicenseView",
    "InvalidLicense",
    "LONG_TERM",
    "PROFILE_NUMBERS",
    "REGISTRY",
    "get_type",
    "UnknownLicenseType",
    "mask_code",
    "parse_disclosed",
    "fields_for_purpose",
    "sample_license",
    "field_value_problem",
]

LONG_TERM = "长期"
PROFILE_NUMBERS: Mapping[str, int] = MappingProxyType({"minimal": 0, "standard": 1, "full": 2, "custom": 3})
_PROFILE_NAMES = {number: name for name, number in PROFILE_NUMBERS.items()}
_TYPE_KEY, _PROFILE_KEY = 0, 1
_EPOCH = _dt.date(1970, 1, 1).toordinal()


class InvalidLicense(ValueError):
    """A license could not be built: unknown type or field, bad value, or parts that disagree."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def mask_code(code: str) -> str:
    """Return ``code`` with its middle hidden (first 4 and last 4 shown; short codes keep 1 and 1)."""
    keep = 4 if len(code) >= 12 else 1
    if len(code) <= 2 * keep:
        return "*" * len(code)
    return code[:keep] + "*" * (len(code) - 2 * keep) + code[-keep:]


def _iso(day: _dt.date) -> str:
    return day.isoformat()


# C0 and C1 control characters; one regex scan is ~10x cheaper than a per-character loop when verifying.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _check_text(spec: FieldSpec, value: object) -> str | None:
    if not isinstance(value, str):
        return "is not text"
    if not value or len(value) > spec.max_length:
        return f"must have 1-{spec.max_length} characters"
    if _CONTROL.search(value):
        return "contains control characters"
    return None


def _check_holder_code(kind: str, code: str) -> str:
    checks = {
        PERSON: (normalize_resident_id,),
        ORGANIZATION: (normalize_unified_credit_code,),
        EITHER: (normalize_resident_id, normalize_unified_credit_code),
    }
    if kind == DOCUMENT:
        if not (code.isascii() and code.isalnum() and code.upper() == code and 1 <= len(code) <= 32):
            raise InvalidLicense("holder_code", "a document number has 1-32 upper-case letters or digits")
        return code
    problems = []
    for check in checks[kind]:
        try:
            return check(code)
        except InvalidIdentifier as exc:
            problems.append(str(exc))
    raise InvalidLicense("holder_code", "; ".join(problems))


@dataclass(frozen=True)
class License:
    """One electronic license as the issuing department holds it; validated against its type on creation."""

    type_code: str
    identifier: str
    issuer_code: str
    holder_name: str
    holder_code: str
    valid_from: _dt.date
    valid_until: _dt.date | None
    fields: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        """Check every part against the registry so a bad license never reaches the issuer."""
        try:
            ltype = get_type(self.type_code)
        except UnknownLicenseType as exc:
            raise InvalidLicense("type_code", str(exc)) from None
        try:
            parsed = parse_license_id(self.identifier)
        except InvalidIdentifier as exc:
            raise InvalidLicense("identifier", f"identifier: {exc}") from None
        if parsed.type_code != ltype.gb_type_code:
            raise InvalidLicense("identifier", f"identifier type code is not {ltype.gb_type_code}")
        if parsed.issuer_code != self.issuer_code:
            raise InvalidLicense("identifier", "identifier issuer code differs from issuer_code")
        problem = _check_text(ltype.field("holder_name"), self.holder_name)
        if problem:
            raise InvalidLicense("holder_name", f"holder_name {problem}")
        if _check_holder_code(ltype.holder_kind, self.holder_code) != self.holder_code:
            raise InvalidLicense("holder_code", "holder_code must be upper-case without spaces")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise InvalidLicense("validity", "valid_until is before valid_from")
        own = ltype.own_field_names
        for name, value in self.fields.items():
            if name not in own:
                raise InvalidLicense("unknown_field", f"{self.type_code} has no field {name!r}")
            problem = _check_value(ltype.field(name), value)
            if problem:
                raise InvalidLicense("field_value", f"{name} {problem}")
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))

    @property
    def license_type(self) -> LicenseType:
        """The registry entry of this license's type."""
        return REGISTRY[self.type_code]

    def field_values(self) -> dict[str, str]:
        """Return every field as display text (dates ISO, no end date as 长期), in wire order."""
        values = {
            "holder_name": self.holder_name,
            "holder_code": self.holder_code,
            "holder_code_masked": mask_code(self.holder_code),
            "valid_from": _iso(self.valid_from),
            "valid_until": LONG_TERM if self.valid_until is None else _iso(self.valid_until),
        }
        values.update(self.fields)
        return {name: values[name] for name in self.license_type.field_names if name in values}

    def _resolve(self, profile: str | Iterable[str]) -> tuple[str, list[FieldSpec]]:
        ltype = self.license_type
        if isinstance(profile, str):
            if profile not in PROFILES:
                raise InvalidLicense("profile", f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
            name, names = profile, set(ltype.profiles[profile])
        else:
            name, names = "custom", set(profile)
            unknown = names.difference(ltype.field_names)
            if unknown:
                raise InvalidLicense("unknown_field", f"{self.type_code} has no field(s) {sorted(unknown)}")
        return name, [spec for spec in ltype.fields if spec.name in names]

    def disclose(self, profile: str | Iterable[str]) -> dict[Any, Any]:
        """Return the compact private claim for a profile name or for an explicit set of field names."""
        name, specs = self._resolve(profile)
        values = self.field_values()
        claim: dict[Any, Any] = {_TYPE_KEY: self.license_type.number, _PROFILE_KEY: PROFILE_NUMBERS[name]}
        claim.update((spec.key, _encode(spec, values[spec.name])) for spec in specs if spec.name in values)
        return claim

    def view(self, profile: str | Iterable[str]) -> LicenseView:
        """Return what a verifier should see for this disclosure, without encoding it."""
        name, specs = self._resolve(profile)
        values = self.field_values()
        return LicenseView(self.type_code, name, {s.name: values[s.name] for s in specs if s.name in values})


def _check_value(spec: FieldSpec, value: object) -> str | None:
    if spec.kind == "date":
        if not isinstance(value, str):
            return "is not text"
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            return "is not a YYYY-MM-DD date"
        return None if len(value) == 10 else "is not a YYYY-MM-DD date"
    if spec.kind == "enum":
        return None if value in spec.choices else f"must be one of {'/'.join(spec.choices)}"
    return _check_text(spec, value)


def field_value_problem(spec: FieldSpec, value: object) -> str | None:
    """What is wrong with ``value`` for field ``spec`` (as ``License`` checks it), or None when it fits."""
    return _check_value(spec, value)


def _encode(spec: FieldSpec, value: str) -> object:
    if spec.kind == "date":
        return None if value == LONG_TERM else _dt.date.fromisoformat(value).toordinal() - _EPOCH
    if spec.kind == "enum":
        return spec.choices.index(value)
    return value


def _malformed(detail: str) -> InvalidCredential:
    return InvalidCredential(reason="malformed", detail=detail)


def _decode(spec: FieldSpec, value: object) -> str:
    # ``type(x) is int`` rather than isinstance: it refuses bools (an int subclass) in one check.
    if spec.kind == "text":
        if type(value) is str and 0 < len(value) <= spec.max_length and not _CONTROL.search(value):
            return value
        if type(value) is str and len(value) > spec.max_length:  # its own reason, as wallet.cwt's claim caps
            raise InvalidCredential("claim_too_long", f"{spec.name} has {len(value)} characters, cap {spec.max_length}")
        raise _malformed(f"{spec.name} {_check_text(spec, value)}")
    if spec.kind == "date":
        if value is None and spec.name == "valid_until":
            return LONG_TERM
        if type(value) is not int:
            raise _malformed(f"{spec.name} is not a day number")
        try:
            return _iso(_dt.date.fromordinal(value + _EPOCH))
        except (ValueError, OverflowError):
            raise _malformed(f"{spec.name} is not a day between years 1 and 9999") from None
    if type(value) is not int or not 0 <= value < len(spec.choices):  # the third kind: enum
        raise _malformed(f"{spec.name} is not one of its {len(spec.choices)} codes")
    return spec.choices[value]


@dataclass(frozen=True)
class LicenseView:
    """What a verifier learns from a disclosure: the type, the profile and only the disclosed fields."""

    type_code: str
    profile: str
    fields: dict[str, str] = field(hash=False)

    @property
    def license_type(self) -> LicenseType:
        """The registry entry of the disclosed license's type."""
        return REGISTRY[self.type_code]

    @property
    def labels_zh(self) -> dict[str, str]:
        """Chinese label of each disclosed field, for the clerk's screen."""
        ltype = self.license_type
        return {name: ltype.field(name).label_zh for name in self.fields}

    @property
    def labels_en(self) -> dict[str, str]:
        """English label of each disclosed field."""
        ltype = self.license_type
        return {name: ltype.field(name).label_en for name in self.fields}

    def display_zh(self) -> list[tuple[str, str]]:
        """Return (Chinese label, value) pairs in registry order, the license name first."""
        labels = self.labels_zh
        return [("证照类型", self.license_type.name_zh)] + [(labels[k], v) for k, v in self.fields.items()]


def _int_keys(obj: Mapping[Any, Any]) -> list[int]:
    keys = list(obj)
    for key in keys:
        if type(key) is not int:  # bools too: False and True would pass for 0 and 1
            raise _malformed(f"claim key {key!r} is not an integer")
    return keys


@lru_cache(maxsize=None)
def _disclosable(type_number: int, profile: str) -> tuple[LicenseType, dict[int, FieldSpec]]:
    """The type and its fields a disclosure in ``profile`` may carry, by claim key (built once per pair)."""
    ltype = BY_NUMBER[type_number]
    allowed = set(ltype.profiles.get(profile, ltype.field_names)).union(ltype.retired.get(profile, ()))
    return ltype, {spec.key: spec for spec in ltype.fields if spec.name in allowed}


def parse_disclosed(obj: object) -> LicenseView:
    """Parse a compact private claim (dict or cbor2 frozendict) or raise ``InvalidCredential`` malformed."""
    if not isinstance(obj, Mapping):
        raise _malformed("the license claim is not a map")
    keys = _int_keys(obj)  # before any lookup
    number, profile_number = obj.get(_TYPE_KEY), obj.get(_PROFILE_KEY)
    if type(number) is not int or number not in BY_NUMBER:
        raise _malformed(f"unknown license type number {number!r}")
    if type(profile_number) is not int or profile_number not in _PROFILE_NAMES:
        raise _malformed(f"unknown profile number {profile_number!r}")
    profile = _PROFILE_NAMES[profile_number]
    ltype, specs = _disclosable(number, profile)
    keys.sort()
    fields: dict[str, str] = {}
    for key in keys:
        if key == _TYPE_KEY or key == _PROFILE_KEY:
            continue
        spec = specs.get(key)
        if spec is None:
            raise _malformed(f"key {key} is not a field of {ltype.code} in profile {profile}")
        fields[spec.name] = _decode(spec, obj[key])
    return LicenseView(ltype.code, profile, fields)


def fields_for_purpose(type_code: str, required: Iterable[str]) -> tuple[str, ...]:
    """Return the smallest field set for a service item: the minimal profile plus the required fields."""
    ltype = get_type(type_code)
    wanted = set(required)
    unknown = wanted.difference(ltype.field_names)
    if unknown:
        raise InvalidLicense("unknown_field", f"{type_code} has no field(s) {sorted(unknown)}")
    wanted.update(ltype.profiles["minimal"])
    if "holder_code" in wanted:
        wanted.discard("holder_code_masked")
    return tuple(name for name in ltype.field_names if name in wanted)


def sample_license(
    type_code: str, *, holder_name: str, holder_code: str, serial: str, today: _dt.date
) -> License:
    """Return a realistic, deterministic license of any type, valid on ``today``, for demos and tests."""
    return License(**sample_parts(get_type(type_code), holder_name, holder_code, serial, today))
