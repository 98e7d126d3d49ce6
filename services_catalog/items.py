"""The service item (政务服务事项) domain model, its plain-dict form and its content hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeVar

from services_catalog.codes import (
    HANDLING_PROMISED,
    STATUS_DRAFT,
    TIME_UNIT_WORKING_DAY,
    persona_of_audience,
)
from services_catalog.credit_rules import CreditRule, credit_rule_to_dict
from services_catalog.handling import FormField, Satisfier, form_field_to_dict, satisfier_to_dict
from services_catalog.violations import ItemInvalid, Violation

__all__ = [
    "Fee",
    "Material",
    "Output",
    "Window",
    "FormField",
    "Satisfier",
    "CreditRule",
    "ServiceItem",
    "item_to_dict",
    "item_from_dict",
    "content_hash",
    "effective_personas",
    "e_license_requirements",
    "HASH_EXCLUDED_FIELDS",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Fee:
    """A charge for the item: what it is, the standard (amount text) and its legal basis."""

    name: str
    standard: str = ""
    basis: str = ""


@dataclass(frozen=True)
class Material:
    """A document the applicant hands in; ``exempt_with_e_license`` means the wallet license replaces it."""

    name: str
    kind: str = "original"
    form: str = "paper"
    necessity: str = "required"
    copies: int = 1
    e_license_type: str | None = None
    exempt_with_e_license: bool = False
    required_fields: tuple[str, ...] = ()
    note: str = ""
    satisfied_by: tuple[Satisfier, ...] = ()


@dataclass(frozen=True)
class Output:
    """A result document of the item, possibly issued as a wallet license of ``e_license_type``."""

    name: str
    kind: str = "other"
    e_license_type: str | None = None


@dataclass(frozen=True)
class Window:
    """A service-hall window where the item is handled."""

    hall: str
    address: str = ""
    hours: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ServiceItem:
    """One 政务服务事项 as implemented by one department in one region; ``impl_code`` is its public id."""

    impl_code: str
    basic_code: str
    name: str
    item_type: str
    department_code: str
    department_name: str
    region_code: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    life_events: tuple[str, ...] = ()
    handling_type: str = HANDLING_PROMISED
    is_immediate: bool = False
    legal_time_limit: int | None = None
    legal_time_limit_unit: str = TIME_UNIT_WORKING_DAY
    promised_time_limit: int | None = None
    promised_time_limit_unit: str = TIME_UNIT_WORKING_DAY
    visit_count: int = 1
    onsite_reason: str = ""
    online_depth: int = 0
    channels: tuple[str, ...] = ()
    fees: tuple[Fee, ...] = ()
    materials: tuple[Material, ...] = ()
    materials_note: str = ""
    outputs: tuple[Output, ...] = ()
    windows: tuple[Window, ...] = ()
    legal_basis: tuple[str, ...] = ()
    status: str = STATUS_DRAFT
    version: int = 1
    accepts_online: bool = False
    form_fields: tuple[FormField, ...] = ()
    credit_rule: CreditRule = CreditRule()


# Lifecycle fields change without the department changing the item, so sync must not see them.
HASH_EXCLUDED_FIELDS = frozenset({"status", "version"})
# Fields whose order carries no meaning: sorted before hashing so a reordered feed is not a change.
_SET_LIKE = ("aliases", "audiences", "personas", "themes", "life_events", "channels")


def effective_personas(item: ServiceItem) -> tuple[str, ...]:
    """Return the item's personas, derived from its audiences when none are given explicitly."""
    if item.personas:
        return item.personas
    return tuple(sorted({persona_of_audience(a) for a in item.audiences}))


def e_license_requirements(item: ServiceItem) -> dict[str, frozenset[str]]:
    """Return the e-license types the item's materials name, each with the facts a counter reads (免证办).

    Facts are in the catalog's own words (``Material.required_fields``, and the fields of a license in a
    material's ``satisfied_by``); materials naming the same license type add up. An item with none takes no
    e-license.
    """
    found: dict[str, set[str]] = {}
    for material in item.materials:
        if material.e_license_type is not None:
            found.setdefault(material.e_license_type, set()).update(material.required_fields)
        for way in material.satisfied_by:
            if way.license_type is not None:
                found.setdefault(way.license_type, set()).update(way.fields)
    return {license_type: frozenset(facts) for license_type, facts in found.items()}


def item_to_dict(item: ServiceItem) -> dict[str, Any]:
    """Return the JSON-ready dict of an item (lists, not tuples; nested objects as dicts)."""
    return {
        "impl_code": item.impl_code, "basic_code": item.basic_code, "name": item.name,
        "short_name": item.short_name, "aliases": list(item.aliases), "item_type": item.item_type,
        "department_code": item.department_code, "department_name": item.department_name,
        "region_code": item.region_code, "audiences": list(item.audiences),
        "personas": list(item.personas), "themes": list(item.themes), "life_events": list(item.life_events),
        "handling_type": item.handling_type, "is_immediate": item.is_immediate,
        "legal_time_limit": item.legal_time_limit, "legal_time_limit_unit": item.legal_time_limit_unit,
        "promised_time_limit": item.promised_time_limit,
        "promised_time_limit_unit": item.promised_time_limit_unit,
        "visit_count": item.visit_count, "onsite_reason": item.onsite_reason,
        "online_depth": item.online_depth, "channels": list(item.channels),
        "fees": [{"name": f.name, "standard": f.standard, "basis": f.basis} for f in item.fees],
        "materials": [_material_to_dict(m) for m in item.materials],
        "materials_note": item.materials_note,
        "outputs": [{"name": o.name, "kind": o.kind, "e_license_type": o.e_license_type}
                    for o in item.outputs],
        "windows": [{"hall": w.hall, "address": w.address, "hours": w.hours, "phone": w.phone}
                    for w in item.windows],
        "legal_basis": list(item.legal_basis), "status": item.status, "version": item.version,
        "accepts_online": item.accepts_online, "form_fields": [form_field_to_dict(f) for f in item.form_fields],
        "credit_rule": credit_rule_to_dict(item.credit_rule),
    }


def _material_to_dict(m: Material) -> dict[str, Any]:
    return {"name": m.name, "kind": m.kind, "form": m.form, "necessity": m.necessity, "copies": m.copies,
            "e_license_type": m.e_license_type, "exempt_with_e_license": m.exempt_with_e_license,
            "required_fields": list(m.required_fields), "note": m.note,
            "satisfied_by": [satisfier_to_dict(s) for s in m.satisfied_by]}


def content_hash(item: ServiceItem) -> str:
    """Return the hex SHA-256 of the item's canonical JSON without status and version, for idempotent sync."""
    data = item_to_dict(item)
    for name in HASH_EXCLUDED_FIELDS:
        del data[name]
    # Handling fields at their defaults are left out, so items from before they existed keep their hash.
    for name, default in (("accepts_online", False), ("form_fields", []),
                          ("credit_rule", credit_rule_to_dict(CreditRule()))):
        if data[name] == default:
            del data[name]
    for material in data["materials"]:
        if not material["satisfied_by"]:
            del material["satisfied_by"]
    for name in _SET_LIKE:
        data[name] = sorted(set(data[name]))
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Reader:
    """Reads typed values out of an untrusted mapping, collecting a violation per bad field."""

    def __init__(self, data: Mapping[str, Any], prefix: str, problems: list[Violation]) -> None:
        self.data, self.prefix, self.problems = data, prefix, problems

    def _bad(self, key: str, what_zh: str, what_en: str) -> None:
        self.problems.append(Violation(f"{self.prefix}{key}", "type", f"应为{what_zh}", f"must be {what_en}"))

    def get(self, key: str, kind: type[T], default: T | None = None, *, required: bool = False) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                self.problems.append(Violation(f"{self.prefix}{key}", "required", "必填", "is required"))
            return default
        value = self.data[key]
        # bool is an int in Python; a JSON true must not pass for a number.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self._bad(key, {str: "字符串", int: "整数", bool: "布尔值"}.get(kind, kind.__name__),
                      {str: "a string", int: "an integer", bool: "a boolean"}.get(kind, kind.__name__))
            return default
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._bad(key, "字符串列表", "a list of strings")
            return ()
        return tuple(value)

    def object(self, key: str, build: Callable[[_Reader], T], default: T) -> T:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, Mapping):
            self._bad(key, "对象", "an object")
            return default
        return build(_Reader(value, f"{self.prefix}{key}.", self.problems))

    def objects(self, key: str, build: Callable[[_Reader], T]) -> tuple[T, ...]:
        value = self.data.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list):
            self._bad(key, "对象列表", "a list of objects")
            return ()
        out: list[T] = []
        for i, element in enumerate(value):
            path = f"{self.prefix}{key}[{i}]"
            if not isinstance(element, Mapping):
                self.problems.append(Violation(path, "type", "应为对象", "must be an object"))
                continue
            out.append(build(_Reader(element, path + ".", self.problems)))
        return tuple(out)


def _fee(r: _Reader) -> Fee:
    return Fee(r.get("name", str, "", required=True), r.get("standard", str, ""), r.get("basis", str, ""))


def _material(r: _Reader) -> Material:
    return Material(
        name=r.get("name", str, "", required=True), kind=r.get("kind", str, "original"),
        form=r.get("form", str, "paper"), necessity=r.get("necessity", str, "required"),
        copies=r.get("copies", int, 1), e_license_type=r.get("e_license_type", str, None),
        exempt_with_e_license=r.get("exempt_with_e_license", bool, False),
        required_fields=r.strings("required_fields"), note=r.get("note", str, ""),
        satisfied_by=r.objects("satisfied_by", _satisfier),
    )


def _satisfier(r: _Reader) -> Satisfier:
    return Satisfier(r.get("kind", str, "", required=True), r.get("license_type", str, None), r.strings("fields"),
                     r.get("source", str, None))


def _form_field(r: _Reader) -> FormField:
    return FormField(r.get("name", str, "", required=True), r.get("label", str, ""), r.get("type", str, "text"),
                     r.get("required", bool, False), r.strings("options"), r.get("pattern", str, ""))


def _credit_rule(r: _Reader) -> CreditRule:
    return CreditRule(r.strings("deferrable_materials"), r.strings("restricted_lists"),
                      r.get("commitment_days", int, 0))


def _output(r: _Reader) -> Output:
    return Output(r.get("name", str, "", required=True), r.get("kind", str, "other"),
                  r.get("e_license_type", str, None))


def _window(r: _Reader) -> Window:
    return Window(r.get("hall", str, "", required=True), r.get("address", str, ""), r.get("hours", str, ""),
                  r.get("phone", str, ""))


def item_from_dict(data: Mapping[str, Any]) -> ServiceItem:
    """Build an item from its dict form; raise ``ItemInvalid`` naming every field of the wrong shape."""
    problems: list[Violation] = []
    r = _Reader(data, "", problems)
    item = ServiceItem(
        impl_code=r.get("impl_code", str, "", required=True),
        basic_code=r.get("basic_code", str, ""),
        name=r.get("name", str, "", required=True),
        item_type=r.get("item_type", str, "", required=True),
        department_code=r.get("department_code", str, "", required=True),
        department_name=r.get("department_name", str, ""),
        region_code=r.get("region_code", str, "", required=True),
        short_name=r.get("short_name", str, ""), aliases=r.strings("aliases"),
        audiences=r.strings("audiences"), personas=r.strings("personas"), themes=r.strings("themes"),
        life_events=r.strings("life_events"), handling_type=r.get("handling_type", str, HANDLING_PROMISED),
        is_immediate=r.get("is_immediate", bool, False),
        legal_time_limit=r.get("legal_time_limit", int, None),
        legal_time_limit_unit=r.get("legal_time_limit_unit", str, TIME_UNIT_WORKING_DAY),
        promised_time_limit=r.get("promised_time_limit", int, None),
        promised_time_limit_unit=r.get("promised_time_limit_unit", str, TIME_UNIT_WORKING_DAY),
        visit_count=r.get("visit_count", int, 1), onsite_reason=r.get("onsite_reason", str, ""),
        online_depth=r.get("online_depth", int, 0), channels=r.strings("channels"),
        fees=r.objects("fees", _fee), materials=r.objects("materials", _material),
        materials_note=r.get("materials_note", str, ""), outputs=r.objects("outputs", _output),
        windows=r.objects("windows", _window), legal_basis=r.strings("legal_basis"),
        status=r.get("status", str, STATUS_DRAFT), version=r.get("version", int, 1),
        accepts_online=r.get("accepts_online", bool, False), form_fields=r.objects("form_fields", _form_field),
        credit_rule=r.object("credit_rule", _credit_rule, CreditRule()),
    )
    if problems:
        raise ItemInvalid(problems)
    return item
