"""The audit rules a catalog applies to a service item: ``validate_item`` for drafts, stricter to publish."""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

from services_catalog.codes import (
    AUDIENCES,
    CHANNEL_EXPRESS,
    CHANNEL_ONLINE,
    CHANNEL_WINDOW,
    CHANNELS,
    E_LICENSE_TYPES,
    HANDLING_IMMEDIATE,
    HANDLING_TYPES,
    ITEM_TYPE_PUBLIC_SERVICE,
    ITEM_TYPES,
    LIFE_EVENTS,
    MATERIAL_FORMS,
    MATERIAL_KINDS,
    NECESSITIES,
    ONLINE_DEPTH_FULL,
    OUTPUT_KINDS,
    PERSONAS,
    STATUSES,
    THEMES,
    TIME_UNIT_WORKING_DAY,
    TIME_UNITS,
    Label,
    persona_of_audience,
)
from services_catalog.credit import RESTRICTION_LISTS
from services_catalog.credit_rules import MAX_COMMITMENT_DAYS
from services_catalog.handling import (
    FORM_FIELD_TYPES,
    SATISFIER_KINDS,
    SATISFY_LICENSE,
    SATISFY_SHARED_DATA,
    SHARED_DATA_SOURCES,
)
from services_catalog.impl_code import BASIC_CODE_PATTERN, is_valid_uscc, parse_impl_code
from services_catalog.items import ServiceItem
from services_catalog.rules import violation
from services_catalog.spreadsheet import looks_like_formula
from services_catalog.violations import ItemInvalid, Violation

__all__ = ["validate_item", "validate_for_publish", "ensure_valid", "Violation", "ItemInvalid",
           "NAME_MIN", "NAME_MAX", "SHORT_NAME_MAX", "MAX_VISITS", "MAX_TIME_LIMIT", "MAX_COPIES"]

NAME_MIN, NAME_MAX, SHORT_NAME_MAX = 2, 120, 20
MAX_VISITS, MAX_TIME_LIMIT, MAX_COPIES = 5, 365, 20
MAX_PATTERN = 200
ONLINE_APPLICATION_DEPTH = 3
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
_REGION = re.compile(r"^[0-9]{6}\Z")


def validate_item(item: ServiceItem) -> list[Violation]:
    """Return every rule the item breaks as it stands (a draft may still be incomplete); empty means valid."""
    return [*_identity(item), *_codes(item), *_time(item), *_access(item), *_lists(item), *_handling(item),
            *_credit(item)]


def validate_for_publish(item: ServiceItem) -> list[Violation]:
    """Return the draft violations plus what a published item must also have (materials, basis, windows)."""
    found = validate_item(item)
    is_power = item.item_type in ITEM_TYPES and item.item_type != ITEM_TYPE_PUBLIC_SERVICE
    for name, value in (("basic_code", item.basic_code), ("department_name", item.department_name),
                        ("audiences", item.audiences), ("channels", item.channels),
                        ("promised_time_limit", item.promised_time_limit)):
        if value is None or value == "" or value == ():
            found.append(violation(name, "required"))
    if is_power and item.legal_time_limit is None:
        found.append(violation("legal_time_limit", "required"))
    explained = item.item_type == ITEM_TYPE_PUBLIC_SERVICE and bool(item.materials_note.strip())
    if not item.materials and not explained:
        found.append(violation("materials", "materials.required"))
    if is_power and not item.legal_basis:
        found.append(violation("legal_basis", "legal_basis.required"))
    if item.item_type == "01" and not item.outputs:
        found.append(violation("outputs", "outputs.required"))
    if item.visit_count > 0 and not item.windows:
        found.append(violation("windows", "windows.required"))
    return found


def ensure_valid(item: ServiceItem, *, for_publish: bool = False) -> ServiceItem:
    """Return the item unchanged, or raise ``ItemInvalid`` with every violation, for callers that raise."""
    found = validate_for_publish(item) if for_publish else validate_item(item)
    if found:
        raise ItemInvalid(found)
    return item


def _identity(item: ServiceItem) -> Iterator[Violation]:
    parts = parse_impl_code(item.impl_code)
    if parts is None:
        yield violation("impl_code", "impl_code.format")
    else:
        if _REGION.match(item.region_code) and parts.region != item.region_code + "000000":
            yield violation("impl_code", "impl_code.region", value=parts.region)
        if not is_valid_uscc(parts.implementer):
            yield violation("impl_code", "impl_code.implementer_check")
        if item.basic_code and item.basic_code != parts.basic_code:
            yield violation("basic_code", "basic_code.mismatch")
    if item.basic_code and not BASIC_CODE_PATTERN.match(item.basic_code):
        yield violation("basic_code", "basic_code.format")
    if not NAME_MIN <= len(item.name.strip()) <= NAME_MAX:
        yield violation("name", "name.length", low=NAME_MIN, high=NAME_MAX)
    elif any(c.isspace() for c in item.name):
        yield violation("name", "name.whitespace")
    if item.short_name and (len(item.short_name) > SHORT_NAME_MAX or len(item.short_name) >= len(item.name)):
        yield violation("short_name", "short_name.length", high=SHORT_NAME_MAX)
    yield from _duplicates("aliases", (item.name, item.short_name, *item.aliases), offset=-2)
    named = (("name", item.name), ("short_name", item.short_name), ("department_name", item.department_name),
             *((f"aliases[{i}]", alias) for i, alias in enumerate(item.aliases)))
    for field, value in named:
        yield from _not_formula(field, value)
    if not item.department_code.strip():
        yield violation("department_code", "required")
    if not _REGION.match(item.region_code):
        yield violation("region_code", "region_code.format")
    if item.version < 1:
        yield violation("version", "version.range")


def _codes(item: ServiceItem) -> Iterator[Violation]:
    yield from _in_table("item_type", item.item_type, ITEM_TYPES)
    yield from _in_table("handling_type", item.handling_type, HANDLING_TYPES)
    yield from _in_table("status", item.status, STATUSES)
    yield from _in_table("legal_time_limit_unit", item.legal_time_limit_unit, TIME_UNITS)
    yield from _in_table("promised_time_limit_unit", item.promised_time_limit_unit, TIME_UNITS)
    lists: tuple[tuple[str, tuple[str, ...], Mapping[str, Label]], ...] = (
        ("audiences", item.audiences, AUDIENCES), ("personas", item.personas, PERSONAS),
        ("themes", item.themes, THEMES), ("life_events", item.life_events, LIFE_EVENTS),
        ("channels", item.channels, CHANNELS))
    for name, values, table in lists:
        for i, value in enumerate(values):
            yield from _in_table(f"{name}[{i}]", value, table)
        yield from _duplicates(name, values)
    backed = {persona_of_audience(a) for a in item.audiences}
    for i, persona in enumerate(item.personas):
        if persona in PERSONAS and persona not in backed:
            yield violation(f"personas[{i}]", "personas.inconsistent", value=persona)


def _time(item: ServiceItem) -> Iterator[Violation]:
    for name, value in (("legal_time_limit", item.legal_time_limit),
                        ("promised_time_limit", item.promised_time_limit)):
        if value is not None and not 0 <= value <= MAX_TIME_LIMIT:
            yield violation(name, "time_limit.range", high=MAX_TIME_LIMIT)
    if item.is_immediate != (item.handling_type == HANDLING_IMMEDIATE):
        yield violation("handling_type", "immediate.handling_type")
    if item.is_immediate and item.promised_time_limit not in (None, 0, 1):
        yield violation("promised_time_limit", "immediate.promised_limit")
    legal, promised = item.legal_time_limit, item.promised_time_limit
    if legal is not None and promised is not None and _as_natural_days(
            promised, item.promised_time_limit_unit) > _as_natural_days(legal, item.legal_time_limit_unit):
        yield violation("promised_time_limit", "time_limit.promised_exceeds_legal")


def _as_natural_days(value: int, unit: str) -> float:
    # A working week is five of seven days; public holidays are ignored, which errs towards accepting.
    return value * 7 / 5 if unit == TIME_UNIT_WORKING_DAY else float(value)


def _access(item: ServiceItem) -> Iterator[Violation]:
    if not 0 <= item.visit_count <= MAX_VISITS:
        yield violation("visit_count", "visit_count.range", high=MAX_VISITS)
    if item.visit_count > 0 and not item.onsite_reason.strip():
        yield violation("onsite_reason", "visit_count.reason_required")
    if not 0 <= item.online_depth <= ONLINE_DEPTH_FULL:
        yield violation("online_depth", "online_depth.range")
    if item.online_depth == ONLINE_DEPTH_FULL and item.visit_count != 0:
        yield violation("visit_count", "online_depth.full_requires_zero_visits")
    channels = set(item.channels)
    if item.online_depth >= 1 and not channels & {CHANNEL_ONLINE, "mobile"}:
        yield violation("channels", "channels.online_required")
    if item.visit_count == 0 and item.online_depth < ONLINE_DEPTH_FULL and CHANNEL_EXPRESS not in channels:
        yield violation("channels", "channels.express_required")
    if item.visit_count > 0 and CHANNEL_WINDOW not in channels:
        yield violation("channels", "channels.window_required")


def _lists(item: ServiceItem) -> Iterator[Violation]:
    for i, fee in enumerate(item.fees):
        yield from _text(f"fees[{i}].name", fee.name)
        if not fee.standard.strip():
            yield violation(f"fees[{i}].standard", "fees.standard_required")
        if not fee.basis.strip():
            yield violation(f"fees[{i}].basis", "fees.basis_required")
    for i, m in enumerate(item.materials):
        at = f"materials[{i}]"
        yield from _text(f"{at}.name", m.name)
        yield from _in_table(f"{at}.kind", m.kind, MATERIAL_KINDS)
        yield from _in_table(f"{at}.form", m.form, MATERIAL_FORMS)
        yield from _in_table(f"{at}.necessity", m.necessity, NECESSITIES)
        if not 1 <= m.copies <= MAX_COPIES:
            yield violation(f"{at}.copies", "materials.copies_range", high=MAX_COPIES)
        if m.e_license_type is not None:
            yield from _in_table(f"{at}.e_license_type", m.e_license_type, E_LICENSE_TYPES)
        elif m.exempt_with_e_license:
            yield violation(f"{at}.e_license_type", "materials.exempt_requires_license")
        if m.required_fields and m.e_license_type is None:
            yield violation(f"{at}.required_fields", "materials.fields_require_license")
        for j, name in enumerate(m.required_fields):
            if not _FIELD_NAME.match(name):
                yield violation(f"{at}.required_fields[{j}]", "materials.field_name", value=name)
        yield from _duplicates(f"{at}.required_fields", m.required_fields)
    yield from _duplicates("materials", [m.name for m in item.materials])
    for i, out in enumerate(item.outputs):
        yield from _text(f"outputs[{i}].name", out.name)
        yield from _in_table(f"outputs[{i}].kind", out.kind, OUTPUT_KINDS)
        if out.e_license_type is not None:
            yield from _in_table(f"outputs[{i}].e_license_type", out.e_license_type, E_LICENSE_TYPES)
    for i, window in enumerate(item.windows):
        yield from _text(f"windows[{i}].hall", window.hall)
    for i, basis in enumerate(item.legal_basis):
        yield from _text(f"legal_basis[{i}]", basis)


def _handling(item: ServiceItem) -> Iterator[Violation]:
    """Online handling: the form the citizen fills in, what satisfies each material, and online acceptance."""
    if item.accepts_online and item.online_depth < ONLINE_APPLICATION_DEPTH:
        yield violation("accepts_online", "accepts_online.depth")
    if item.accepts_online and not set(item.channels) & {CHANNEL_ONLINE, "mobile"}:
        yield violation("channels", "accepts_online.channel")
    for i, f in enumerate(item.form_fields):
        at = f"form_fields[{i}]"
        if not _FIELD_NAME.match(f.name):
            yield violation(f"{at}.name", "form_fields.name", value=f.name)
        yield from _not_formula(f"{at}.label", f.label)
        yield from _in_table(f"{at}.type", f.type, FORM_FIELD_TYPES)
        if (f.type == "choice") != bool(f.options) or (f.type == "choice" and len(f.options) < 2):
            yield violation(f"{at}.options", "form_fields.options")
        yield from _duplicates(f"{at}.options", f.options)
        if f.pattern and (f.type != "text" or len(f.pattern) > MAX_PATTERN or not _compiles(f.pattern)):
            yield violation(f"{at}.pattern", "form_fields.pattern", high=MAX_PATTERN)
    yield from _duplicates("form_fields", [f.name for f in item.form_fields])
    for i, m in enumerate(item.materials):
        for j, way in enumerate(m.satisfied_by):
            at = f"materials[{i}].satisfied_by[{j}]"
            yield from _in_table(f"{at}.kind", way.kind, SATISFIER_KINDS)
            is_license = way.kind == SATISFY_LICENSE
            if is_license != (way.license_type is not None) or (way.fields and not is_license):
                yield violation(f"{at}.license_type", "satisfied_by.license")
            elif way.license_type is not None:
                yield from _in_table(f"{at}.license_type", way.license_type, E_LICENSE_TYPES)
            if (way.kind == SATISFY_SHARED_DATA) != (way.source is not None) or (
                    way.source is not None and way.source not in SHARED_DATA_SOURCES):
                yield violation(f"{at}.source", "satisfied_by.source")
            for k, name in enumerate(way.fields):
                if not _FIELD_NAME.match(name):
                    yield violation(f"{at}.fields[{k}]", "materials.field_name", value=name)


def _credit(item: ServiceItem) -> Iterator[Violation]:
    """The credit rule: deferrable materials are the item's own (with a way to deliver them online when it takes
    online applications), restricted lists are the platform's, and a commitment has a period exactly when
    something may be deferred."""
    rule, at = item.credit_rule, "credit_rule"
    materials = {m.name: m for m in item.materials}
    for i, name in enumerate(rule.deferrable_materials):
        found = materials.get(name)
        if found is None:
            yield violation(f"{at}.deferrable_materials[{i}]", "credit_rule.deferrable_unknown", value=name)
        elif item.accepts_online and not found.satisfied_by:
            yield violation(f"{at}.deferrable_materials[{i}]", "credit_rule.deferrable_way", value=name)
    yield from _duplicates(f"{at}.deferrable_materials", rule.deferrable_materials)
    for i, code in enumerate(rule.restricted_lists):
        if code not in RESTRICTION_LISTS:
            yield violation(f"{at}.restricted_lists[{i}]", "unknown_code", value=code)
    yield from _duplicates(f"{at}.restricted_lists", rule.restricted_lists)
    days = rule.commitment_days
    if rule.deferrable_materials and not 1 <= days <= MAX_COMMITMENT_DAYS or not rule.deferrable_materials and days:
        yield violation(f"{at}.commitment_days", "credit_rule.commitment_days", high=MAX_COMMITMENT_DAYS)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _text(field: str, value: str) -> Iterator[Violation]:
    if not value.strip():
        yield violation(field, "required")
    yield from _not_formula(field, value)


def _not_formula(field: str, value: str) -> Iterator[Violation]:
    """Name-like text reaches spreadsheets (import templates, copies of the catalog): no formula prefixes."""
    if looks_like_formula(value):
        yield violation(field, "text.formula")


def _in_table(field: str, value: object,
              table: Mapping[str, Label] | Mapping[int, Label]) -> Iterator[Violation]:
    if value not in table:
        yield violation(field, "unknown_code", value=value)


def _duplicates(field: str, values: Iterable[str], offset: int = 0) -> Iterator[Violation]:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value and value in seen and i + offset >= 0:
            yield violation(f"{field}[{i + offset}]", "duplicate", value=value)
        seen.add(value)
