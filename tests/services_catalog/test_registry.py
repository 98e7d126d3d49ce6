"""The people registry every sandbox reads: built-in demo citizens plus people added to a JSON file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from services_catalog.fakes import fake_departments
from services_catalog.records import LICENSE_TYPES, Citizen, IdentityOutcome
from services_catalog.sandbox import PeopleRegistry, sandbox_departments
from services_catalog.sandbox.citizens import DEMO_CITIZENS, demo_record, is_valid_resident_id, resident_id
from services_catalog.sandbox.newcomer import generate_person
from services_catalog.sandbox.registry import PersonRefused, add_person, load_people

NEWCOMER_ID = resident_id("370212", dt.date(1999, 7, 4), "217")  # odd 17th digit: a man
NEWCOMER = {"name": "孙悦", "id_number": NEWCOMER_ID, "phone": "13912345678"}
VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
              **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


@pytest.fixture
def people_file(tmp_path: Path) -> Path:
    return tmp_path / "instance" / "sandbox-people.json"


def test_demo_citizens_have_the_demo_phones() -> None:
    """The six demo people carry the phones the demo accounts sign up with, 13800000001 to 13800000006."""
    assert [d.phone for d in DEMO_CITIZENS] == [f"1380000000{n}" for n in range(1, 7)]


@pytest.mark.parametrize(("text", "valid"), [
    (DEMO_CITIZENS[0].citizen.id_number, True),
    (NEWCOMER_ID[:17] + ("0" if NEWCOMER_ID[17] != "0" else "1"), False),
    ("370202" + "19850230" + "0315", False),
    (NEWCOMER_ID[:17], False),
    ("37021219990704２17" + NEWCOMER_ID[17], False),
], ids=["demo", "check-digit", "no-such-day", "short", "full-width-digit"])
def test_resident_id_check(text: str, valid: bool) -> None:
    """An ID number needs 18 characters, ASCII digits, a real birth date and the GB 11643 check digit."""
    assert is_valid_resident_id(text) is valid


def test_without_a_file_the_registry_is_the_demo_citizens(people_file: Path) -> None:
    """No path, or a path with no file yet, means just the built-in people."""
    assert load_people(None) == DEMO_CITIZENS == load_people(people_file)


def test_added_person_is_stored_and_loaded(people_file: Path) -> None:
    """add_person creates the file (and its folder) and load_people returns the demo people plus the newcomer."""
    person = add_person(people_file, licenses=("driving_license",), **NEWCOMER)
    assert person.citizen == Citizen(NEWCOMER_ID, "孙悦") and person.phone == "13912345678"
    assert load_people(people_file) == DEMO_CITIZENS + (person,)
    assert json.loads(people_file.read_text(encoding="utf-8"))["people"][0]["id_number"] == NEWCOMER_ID


def test_generated_records_are_realistic_and_deterministic() -> None:
    """Every license type asked for is issued to the person, looks like the demo ones and is the same each time."""
    person = generate_person("孙悦", NEWCOMER_ID, "13912345678", LICENSE_TYPES)
    assert person == generate_person("孙悦", NEWCOMER_ID, "13912345678", LICENSE_TYPES)
    assert [lic.license_type for lic in person.licenses] == list(LICENSE_TYPES)
    by_type = {lic.license_type: lic for lic in person.licenses}
    card = by_type["id_card"]
    assert card.serial == NEWCOMER_ID and card.fields["birth_date"] == "1999-07-04" and card.fields["sex"] == "男"
    assert card.issuer_name == "青岛市公安局崂山分局"
    vin = by_type["vehicle_license"].fields["vin"]
    check = sum(VIN_VALUES[c] * w for c, w in zip(vin, VIN_WEIGHTS)) % 11
    assert len(vin) == 17 and vin[8] == ("X" if check == 10 else str(check))
    assert by_type["vehicle_license"].fields["plate_number"].startswith("鲁B·")
    driving = by_type["driving_license"]
    assert driving.valid_until is None or driving.valid_until > dt.date(2026, 11, 20)
    assert all(lic.holder_name == "孙悦" and lic.holder_id_number == NEWCOMER_ID for lic in person.licenses)
    assert person.social_security is not None and person.housing_fund is not None


def test_an_id_card_only_person_has_no_summaries() -> None:
    """Asking for no license still issues the ID card, and no social security or housing fund summary."""
    person = generate_person("孙悦", NEWCOMER_ID, "13912345678", ())
    assert [lic.license_type for lic in person.licenses] == ["id_card"]
    assert person.social_security is None and person.housing_fund is None


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"id_number": DEMO_CITIZENS[0].citizen.id_number}, "id_number", "taken"),
    ({"phone": "13800000003"}, "phone", "taken"),
    ({"id_number": NEWCOMER_ID[:17] + ("0" if NEWCOMER_ID[17] != "0" else "1")}, "id_number", "invalid"),
    ({"phone": "1391234567"}, "phone", "invalid"),
    ({"name": " "}, "name", "invalid"),
    ({"licenses": ("passport",)}, "licenses", "invalid"),
], ids=["demo-id", "demo-phone", "check-digit", "short-phone", "blank-name", "unknown-license"])
def test_bad_or_duplicate_people_are_refused(people_file: Path, changes: dict[str, object], field: str,
                                             reason: str) -> None:
    """A known ID number or phone, a bad check digit, phone or name, or an unknown license: refused, unwritten."""
    with pytest.raises(PersonRefused) as refused:
        add_person(people_file, **{**NEWCOMER, **changes})  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.reason) == (field, reason)
    assert not people_file.exists()


def test_a_person_in_the_file_cannot_be_added_twice(people_file: Path) -> None:
    """The second add with the same ID number or phone as someone in the file is refused."""
    add_person(people_file, **NEWCOMER)
    other = resident_id("370202", dt.date(1990, 1, 1), "555")
    with pytest.raises(PersonRefused, match="ID number"):
        add_person(people_file, **{**NEWCOMER, "phone": "13912340000"})
    with pytest.raises(PersonRefused, match="phone"):
        add_person(people_file, **{**NEWCOMER, "id_number": other})
    assert len(load_people(people_file)) == len(DEMO_CITIZENS) + 1


def test_running_sandboxes_see_a_newcomer_without_restart(people_file: Path) -> None:
    """Sandboxes built before the add know the newcomer afterwards; each department serves their records."""
    deps = sandbox_departments(registry_path=str(people_file))
    citizen = Citizen(NEWCOMER_ID, "孙悦")
    police = deps["police"].adapter
    assert police.check_identity(citizen, timeout=1.0) is IdentityOutcome.NOT_FOUND
    person = add_person(people_file, licenses=LICENSE_TYPES, **NEWCOMER)
    assert police.check_identity(citizen, timeout=1.0) is IdentityOutcome.MATCH
    assert police.check_identity(Citizen(NEWCOMER_ID, "孙月"), timeout=1.0) is IdentityOutcome.MISMATCH
    for code, department in deps.items():
        assert department.adapter.records(citizen, timeout=1.0) == demo_record(person, department.kind, code)
    deps.close()


def test_fakes_read_the_registry_too(people_file: Path) -> None:
    """The in-memory fake departments read the same file as the sandboxes."""
    fakes = fake_departments(registry_path=str(people_file))
    citizen = Citizen(NEWCOMER_ID, "孙悦")
    assert fakes["police"].adapter.check_identity(citizen, timeout=1.0) is IdentityOutcome.NOT_FOUND
    add_person(people_file, **NEWCOMER)
    assert fakes["police"].adapter.check_identity(citizen, timeout=1.0) is IdentityOutcome.MATCH


def test_injected_citizens_override_the_registry(people_file: Path) -> None:
    """A registry of fixed people (what ``citizens=`` gives a sandbox) ignores the file."""
    add_person(people_file, **NEWCOMER)
    fixed = PeopleRegistry.fixed(DEMO_CITIZENS[:1])
    assert fixed.people() == DEMO_CITIZENS[:1] and fixed.find(NEWCOMER_ID) is None
    assert PeopleRegistry(people_file).find_phone(NEWCOMER["phone"]) is not None


def test_a_registry_without_a_file_cannot_add() -> None:
    """Adding through a registry that has no file fails loudly rather than losing the person."""
    with pytest.raises(ValueError, match="no file"):
        PeopleRegistry().add(**NEWCOMER)
