"""The demo records of the standard-interface departments are valid contract records, checked with the registry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from services_catalog.sandbox.citizens import DEMO_CITIZENS, ISSUERS
from services_catalog.sandbox.issued import (DEPARTMENT_RECORDS, DEPARTMENT_TYPES, ISSUING_OFFICES, ORGANISATIONS,
                                             records_of)
from wallet.identifiers import make_license_id, normalize_resident_id, normalize_unified_credit_code
from wallet.license_types import DOCUMENT, EITHER, ORGANIZATION, PERSON, REGISTRY
from wallet.licenses import License

RECORDS = [(dept, record) for dept, records in DEPARTMENT_RECORDS.items() for record in records]
IDS = [f"{dept}-{record['license_type']}-{record['serial']}" for dept, record in RECORDS]
SERIAL = re.compile(r"^[0-9A-Za-z-]{1,64}\Z")
HOLDER_KEYS = {PERSON: {"id_number", "name"}, DOCUMENT: {"id_number", "name"},
               ORGANIZATION: {"uscc", "name", "representative"}}


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _holder_code(record: dict[str, Any]) -> str:
    """The license's holder code: the organisation's USCC, the person's ID number, a document's serial."""
    kind = REGISTRY[record["license_type"]].holder_kind
    if kind == DOCUMENT:
        return str(record["serial"]).upper()
    holder = record["holder"]
    return str(holder["uscc"] if "uscc" in holder else holder["id_number"])


@pytest.mark.parametrize(("department", "record"), RECORDS, ids=IDS)
def test_every_record_is_a_valid_contract_record(department: str, record: dict[str, Any]) -> None:
    """Envelope, holder, issuer, dates and every field hold against the registry; the wallet accepts it."""
    assert set(record) == {"op", "license_type", "serial", "version", "holder", "issuer_code", "issuer_name",
                           "issued_on", "valid_from", "valid_until", "fields"}
    assert (record["op"], record["version"]) == ("issue", 1) and SERIAL.match(record["serial"])
    ltype = REGISTRY[record["license_type"]]
    assert record["license_type"] in DEPARTMENT_TYPES[department] and ltype.department_kind == department
    holder = record["holder"]
    kinds = {EITHER: (PERSON, ORGANIZATION)}.get(ltype.holder_kind, (ltype.holder_kind,))
    assert any(set(holder) == HOLDER_KEYS[kind] for kind in kinds), holder
    if "uscc" in holder:
        assert normalize_unified_credit_code(holder["uscc"]) == holder["uscc"]
        assert normalize_resident_id(holder["representative"]["id_number"])
    else:
        assert normalize_resident_id(holder["id_number"]) == holder["id_number"]
    assert (record["issuer_code"], record["issuer_name"]) == ISSUING_OFFICES[department]
    issued, start, until = _day(record["issued_on"]), _day(record["valid_from"]), _day(record["valid_until"])
    assert issued is not None and start is not None and (until is None or until >= start)
    own = set(ltype.own_field_names)
    for name, value in record["fields"].items():
        assert name in own, f"{ltype.code} has no field {name}"
        spec = ltype.field(name)
        assert isinstance(value, str) and 1 <= len(value) <= spec.max_length, name
        if spec.kind == "date":
            assert dt.date.fromisoformat(value).isoformat() == value
        if spec.kind == "enum":
            assert value in spec.choices, name
        if spec.holds_resident_id:
            assert normalize_resident_id(value) == value
    License(type_code=ltype.code, identifier=make_license_id(ltype.gb_type_code, record["issuer_code"], "DEMO1"),
            issuer_code=record["issuer_code"], holder_name=holder["name"], holder_code=_holder_code(record),
            valid_from=start, valid_until=until, fields=record["fields"])


def test_every_license_type_is_held_by_a_demo_person() -> None:
    """All 21 types reach a demo person: the bespoke adapters' records plus the standard-interface ones."""
    held = {lic.license_type for demo in DEMO_CITIZENS for lic in demo.licenses}
    held |= {record["license_type"] for demo in DEMO_CITIZENS for record in records_of(demo.citizen.id_number)}
    assert held == set(REGISTRY)


def test_serials_are_unique_per_department_and_type() -> None:
    keys = [(dept, r["license_type"], r["serial"]) for dept, r in RECORDS]
    assert len(keys) == len(set(keys))


def test_organisations_are_represented_by_demo_people() -> None:
    """Each organisation has a check-valid USCC and a demo person as legal representative, named in its fields."""
    people = {demo.citizen.id_number: demo.citizen.name for demo in DEMO_CITIZENS}
    for uscc, name, representative in ORGANISATIONS.values():
        assert normalize_unified_credit_code(uscc) == uscc
        held = [r for _, r in RECORDS if r["holder"].get("uscc") == uscc]
        assert held and all(r["holder"]["name"] == name for r in held)
        for record in held:
            rep = record["holder"]["representative"]
            assert people[rep["id_number"]] == rep["name"] == representative.citizen.name
            assert record["fields"].get("legal_representative", rep["name"]) == rep["name"]
    types = {r["license_type"] for _, r in RECORDS if "uscc" in r["holder"]}
    assert {"business_license", "food_business_permit"} <= types


def test_issuing_offices_have_check_valid_credit_codes() -> None:
    """The literal USCCs were computed once with ``wallet.identifiers``; they still pass its check."""
    for code, _ in [*ISSUING_OFFICES.values(), *ISSUERS.values()]:
        assert normalize_unified_credit_code(code) == code


@pytest.mark.parametrize(("license_type", "spouse_name", "spouse_code"), [
    ("marriage_certificate", "spouse_name", "spouse_code"),
    ("divorce_certificate", "former_spouse_name", "former_spouse_code"),
])
def test_marriages_and_divorces_come_in_matching_pairs(license_type: str, spouse_name: str,
                                                       spouse_code: str) -> None:
    """Each side's certificate names the other, with the same certificate number and date."""
    records = [r for _, r in RECORDS if r["license_type"] == license_type]
    by_holder = {r["holder"]["id_number"]: r for r in records}
    assert len(records) == 2
    for record in records:
        other = by_holder[record["fields"][spouse_code]]
        assert other["fields"][spouse_code] == record["holder"]["id_number"]
        assert record["fields"][spouse_name] == other["holder"]["name"]
        assert record["fields"]["certificate_number"] == other["fields"]["certificate_number"]


def test_senior_citizen_card_goes_to_the_oldest_demo_person_who_is_over_sixty() -> None:
    oldest = min(DEMO_CITIZENS, key=lambda demo: demo.citizen.id_number[6:14])
    (card,) = [r for _, r in RECORDS if r["license_type"] == "senior_citizen_card"]
    assert card["holder"]["id_number"] == oldest.citizen.id_number
    born = dt.date.fromisoformat(card["fields"]["birth_date"])
    assert dt.date.fromisoformat(card["issued_on"]) >= born.replace(year=born.year + 60)
