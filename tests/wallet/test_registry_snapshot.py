"""QD1 field keys are permanent: the live registry against its committed, append-only snapshot.

``tests/vectors/qd1/registry.json`` was generated from the positional registry (``_spec(8 + i, row)``) in
the commit before the keys became explicit, so the first test also proves that the declared keys are
exactly the ones every code shown so far was signed with.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from wallet import license_types
from wallet.license_types import COMMON_FIELDS, REGISTRY

SCRIPT_PATH = Path(__file__).resolve().parents[1] / "vectors" / "qd1" / "snapshot_registry.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("snapshot_registry", SCRIPT_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("snapshot_registry", module)
    spec.loader.exec_module(module)
    return module


snap = _load_script()


def test_the_registry_keeps_every_key_of_its_committed_snapshot() -> None:
    """Every key keeps its name and format, none is reused, new ones are recorded; else: what to do."""
    result = snap.compare(snap.load(), snap.describe(REGISTRY))
    lines = [f"  problem: {p}" for p in result.problems] + [f"  not recorded: {p}" for p in result.pending]
    assert not lines, (
        "wallet/license_types.py no longer agrees with tests/vectors/qd1/registry.json, the record of every "
        "QD1 field key ever issued:\n" + "\n".join(lines) + "\n"
        "An existing key must never change its field name or format, and a removed key is never reused: "
        "give a new or changed field a new key above the highest its type used. Then record new keys with "
        f"`{snap.SCRIPT} --append` (and a deliberate removal with `--append --tombstone TYPE:KEY`). "
        "Never edit registry.json or an existing key by hand."
    )


def test_the_snapshot_is_what_the_script_writes() -> None:
    """The committed file is byte for byte the script's own output, so every change went through it."""
    assert snap.SNAPSHOT.read_text(encoding="utf-8") == snap.dumps(snap.load())


def test_every_type_is_recorded_with_the_common_keys_and_per_type_keys_from_8() -> None:
    """21 types; holder and validity at 2-6 in each; per-type keys run on from 8 with no gap."""
    types = snap.load()["types"]
    assert len(types) == 21 and set(types) == set(REGISTRY)
    for code, entry in types.items():
        keys = [int(k) for k in entry["fields"]]
        assert [entry["fields"][str(k)]["name"] for k in range(2, 7)] == list(COMMON_FIELDS), code
        assert keys == [2, 3, 4, 5, 6, *range(8, max(keys) + 1)], code
        assert entry["number"] == REGISTRY[code].number


def test_the_driving_licence_keys_are_todays_positions() -> None:
    """Spot check of the frozen numbering: the keys the existing driving-licence vectors were signed with."""
    ltype = REGISTRY["driving_license"]
    assert {spec.key: spec.name for spec in ltype.fields if spec.key >= 8} == {
        8: "gender", 9: "nationality", 10: "address", 11: "birth_date", 12: "first_issue_date",
        13: "license_class", 14: "file_number", 15: "record_status", 16: "points"}


# The comparison rules, on small hand-made registries -------------------------------------------------


def _entry(name: str, kind: str = "text", max_length: int = 64, sensitive: bool = False,
           choices: tuple[str, ...] = ()) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "kind": kind}
    if kind == "enum":
        entry["choices"] = list(choices)
    entry.update(max_length=max_length, sensitive=sensitive)
    return entry


def _registry(fields: dict[int, dict[str, Any]], number: int = 1, code: str = "pet_licence") -> dict[str, Any]:
    return {"about": snap.ABOUT, "reserved_keys": dict(snap.RESERVED_KEYS),
            "types": {code: {"number": number, "fields": {str(k): v for k, v in fields.items()}}}}


BEFORE = _registry({2: _entry("holder_name", max_length=100), 8: _entry("colour"),
                    9: _entry("size", "enum", choices=("S", "M", "L")), 10: _entry("chip", sensitive=True)})


def _problems(live: dict[str, Any], snapshot: dict[str, Any] = BEFORE, **kw: Any) -> list[str]:
    result: list[str] = snap.compare(snapshot, live, **kw).problems
    return result


def test_a_key_that_changes_its_name_is_refused_and_the_next_free_key_named() -> None:
    """Renaming a key would make every code already shown decode to the wrong field."""
    live = _registry({2: _entry("holder_name", max_length=100), 8: _entry("breed"),
                      9: _entry("size", "enum", choices=("S", "M", "L")), 10: _entry("chip", sensitive=True)})
    [problem] = _problems(live)
    assert "key 8" in problem and "'colour'" in problem and "'breed'" in problem and "key 11" in problem


@pytest.mark.parametrize("changed", [
    _entry("size", "enum", choices=("S", "L", "M")),  # same values, other codes on the wire
    _entry("size", "enum", choices=("S", "M", "L", "XL")),
    _entry("size"),
    _entry("size", "enum", choices=("S", "M", "L"), max_length=8),
    _entry("size", "enum", choices=("S", "M", "L"), sensitive=True),
])
def test_a_key_that_changes_its_format_is_refused(changed: dict[str, Any]) -> None:
    """Kind, enum choices (their order is the wire code), max length and sensitivity are all frozen."""
    fields = {int(k): v for k, v in BEFORE["types"]["pet_licence"]["fields"].items()}
    [problem] = _problems(_registry({**fields, 9: changed}))
    assert "key 9" in problem and "never changes" in problem


def test_a_removed_key_needs_a_tombstone_and_then_is_never_reused() -> None:
    """A dropped key is recorded only when named; once a tombstone, no field may take it again."""
    fields = {int(k): v for k, v in BEFORE["types"]["pet_licence"]["fields"].items()}
    del fields[10]
    live = _registry(fields)
    [problem] = _problems(live)
    assert "--tombstone pet_licence:10" in problem
    with pytest.raises(ValueError, match="--tombstone pet_licence:10"):
        snap.append(BEFORE, live)

    after = snap.append(BEFORE, live, tombstones=[("pet_licence", "10")])
    assert after["types"]["pet_licence"]["fields"]["10"] == {**_entry("chip", sensitive=True), "removed": True}
    assert not snap.compare(after, live).problems
    [reused] = _problems(_registry({**fields, 10: _entry("chip", sensitive=True)}), after)
    assert "never reused" in reused and "key 11" in reused
    [below] = _problems(_registry({**fields, 10: _entry("tattoo")}), after)
    assert "never reused" in below


def test_a_new_field_takes_a_key_above_every_key_ever_used() -> None:
    """Reserved keys and keys below the highest used are refused; a key above it is appended as is."""
    fields = {int(k): v for k, v in BEFORE["types"]["pet_licence"]["fields"].items()}
    [gap] = _problems(_registry({**fields, 7: _entry("vaccinated")}))
    assert "reserved" in gap
    gappy = _registry({8: _entry("colour"), 10: _entry("chip")})
    [low] = _problems(_registry({8: _entry("colour"), 9: _entry("tattoo"), 10: _entry("chip")}), gappy)
    assert "not above 10" in low and "from 11" in low
    live = _registry({**fields, 11: _entry("vaccinated", "date")})
    result = snap.compare(BEFORE, live)
    assert not result.problems and result.pending == ["pet_licence: new key 11"]
    after = snap.append(BEFORE, live)
    assert after["types"]["pet_licence"]["fields"]["11"] == _entry("vaccinated", "date")
    assert json.loads(snap.dumps(after)) == after


def test_a_new_type_takes_a_new_number() -> None:
    """Type numbers are wire keys too: a taken number and a renumbered type are refused."""
    live = json.loads(json.dumps(BEFORE))
    live["types"]["boat_licence"] = {"number": 1, "fields": {"2": _entry("holder_name", max_length=100)}}
    [taken] = _problems(live)
    assert "boat_licence" in taken and "pet_licence" in taken
    live["types"]["boat_licence"]["number"] = 2
    assert snap.compare(BEFORE, live).pending == ["new license type boat_licence"]
    renumbered = json.loads(json.dumps(BEFORE))
    renumbered["types"]["pet_licence"]["number"] = 3
    assert "never renumber" in _problems(renumbered)[0]


def test_the_check_command_passes_on_this_tree(capsys: pytest.CaptureFixture[str]) -> None:
    """The script's check mode (what a developer runs) agrees with the test above and prints nothing."""
    assert snap.main([]) == 0
    assert capsys.readouterr().out == ""


# The declaration: explicit keys, checked at import ---------------------------------------------------


_PERSON = (license_types.PERSON, "姓名", "Name", "公民身份号码", "Citizen ID number")


def _declare(*rows: tuple[int, str, str, str, str]) -> license_types.LicenseType:
    return license_types._type(99, "pet_licence", ("宠物证", "Pet licence"), "police", 9, "青岛市公安局", _PERSON,
                               rows)


def test_a_field_keeps_its_declared_key_wherever_it_stands() -> None:
    """Dropping a field leaves its neighbours' keys alone (positions used to renumber them)."""
    ltype = _declare((8, "colour", "毛色", "Colour", ""), (10, "chip", "芯片号", "Chip", "s"))
    assert [(s.key, s.name) for s in ltype.fields if s.key >= 8] == [(8, "colour"), (10, "chip")]


@pytest.mark.parametrize("rows", [
    ((8, "colour", "毛色", "Colour", ""), (8, "chip", "芯片号", "Chip", "s")),
    ((8, "colour", "毛色", "Colour", ""), (9, "colour", "毛色", "Colour", "")),
    ((9, "colour", "毛色", "Colour", ""), (8, "chip", "芯片号", "Chip", "s")),
    ((7, "colour", "毛色", "Colour", ""),),
    ((4, "colour", "毛色", "Colour", ""),),
])
def test_a_declaration_with_a_repeated_descending_or_reserved_key_is_refused(
        rows: tuple[tuple[int, str, str, str, str], ...]) -> None:
    """Key uniqueness (and order, and range) is checked when the registry is built, at import."""
    with pytest.raises(ValueError, match="pet_licence"):
        _declare(*rows)
