"""The committed snapshot of the QD1 field-key registry (``registry.json``) and the only tool that changes it.

Every field of every license type is sent as an integer key (``wallet.license_types``). A code shown once
must decode to the same fields for as long as it is valid, so the snapshot next to this script is
append-only:

- an existing key never changes its field name or its format (kind, enum choices in order, max length,
  sensitivity);
- a removed key stays in the snapshot as a tombstone (``"removed": true``) and is never given out again;
- a new field takes a new key, greater than every key its type ever used (tombstones included);
- a license type keeps its number, and a new type takes a number no type has.

Usage, from the repository root::

    python tests/vectors/qd1/snapshot_registry.py                  # check only; exit 1 naming what differs
    python tests/vectors/qd1/snapshot_registry.py --append         # record new keys and new types
    python tests/vectors/qd1/snapshot_registry.py --append --tombstone TYPE:KEY   # record a deliberate removal

``--append`` refuses to write anything while the registry breaks a rule above: never edit
``registry.json`` by hand. ``tests/wallet/test_registry_snapshot.py`` runs the same comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("registry.json")
SCRIPT = "python tests/vectors/qd1/snapshot_registry.py"
ABOUT = (
    "QD1 field keys of every license type, append-only: an existing key never changes name or format, "
    f"a removed key stays as a tombstone and is never reused. Change it only with {SCRIPT} --append."
)
#: Claim keys that are not fields: the license type number, the profile number, and 7, never assigned.
RESERVED_KEYS = {"0": "license type number", "1": "profile number", "7": "never assigned to a field"}
#: What an entry says about its key, besides the tombstone mark; all of it is frozen.
FORMAT = ("name", "kind", "choices", "max_length", "sensitive")

Entry = dict[str, Any]


def describe(registry: Mapping[str, Any]) -> dict[str, Any]:
    """Return the snapshot form of a live registry (``wallet.license_types.REGISTRY`` or alike)."""
    types: dict[str, Any] = {}
    for code, ltype in registry.items():
        fields: dict[str, Entry] = {}
        for spec in sorted(ltype.fields, key=lambda s: s.key):
            entry: Entry = {"name": spec.name, "kind": spec.kind}
            if spec.kind == "enum":
                entry["choices"] = list(spec.choices)
            entry["max_length"] = spec.max_length
            entry["sensitive"] = spec.sensitive
            fields[str(spec.key)] = entry
        types[code] = {"number": ltype.number, "fields": fields}
    return {"about": ABOUT, "reserved_keys": dict(RESERVED_KEYS), "types": types}


@dataclass
class Comparison:
    """How a live registry stands against the snapshot: rule breaks, and additions not yet recorded."""

    problems: list[str] = field(default_factory=list)
    new_types: list[str] = field(default_factory=list)
    new_keys: list[tuple[str, str]] = field(default_factory=list)
    removed_keys: list[tuple[str, str]] = field(default_factory=list)

    @property
    def pending(self) -> list[str]:
        """One line per addition the snapshot lacks (fine to append)."""
        return [f"new license type {code}" for code in self.new_types] + [
            f"{code}: new key {key}" for code, key in self.new_keys]


def _format(entry: Entry) -> dict[str, Any]:
    return {name: entry.get(name) for name in FORMAT}


def _show(entry: Entry) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in _format(entry).items() if value is not None)
    return f"({shown})"


def compare(snapshot: Mapping[str, Any], live: Mapping[str, Any],
            tombstones: Sequence[tuple[str, str]] = ()) -> Comparison:
    """Compare a live description (``describe``) with the snapshot; ``tombstones`` are removals to accept."""
    result = Comparison()
    old_types, new_types = snapshot["types"], live["types"]
    numbers = {t["number"]: code for code, t in old_types.items()}
    for code, old in old_types.items():
        if code not in new_types:
            result.problems.append(f"license type {code} (number {old['number']}) is gone: a type is never removed")
            continue
        now = new_types[code]
        if now["number"] != old["number"]:
            result.problems.append(f"{code} was number {old['number']}, now {now['number']}: never renumber a type")
        used = max((int(k) for k in old["fields"]), default=7)
        for key, entry in old["fields"].items():
            current = now["fields"].get(key)
            if entry.get("removed"):
                if current is not None:
                    result.problems.append(
                        f"{code}: key {key} was {entry['name']!r}, removed; it now carries {current['name']!r}: "
                        f"a removed key is never reused, give the field key {used + 1}")
            elif current is None:
                if (code, key) in tombstones:
                    result.removed_keys.append((code, key))
                else:
                    result.problems.append(
                        f"{code}: key {key} ({entry['name']!r}) is gone from the registry: if that is meant, "
                        f"record it with {SCRIPT} --append --tombstone {code}:{key}")
            elif _format(current) != _format(entry):
                result.problems.append(
                    f"{code}: key {key} was {_show(entry)}, now {_show(current)}: an existing key never changes "
                    f"name or format; restore it and give the new meaning key {used + 1} (or above)")
        for key in now["fields"]:
            if key in old["fields"]:
                continue
            if key in RESERVED_KEYS:
                result.problems.append(f"{code}: key {key} is reserved ({RESERVED_KEYS[key]})")
            elif int(key) <= used:
                result.problems.append(
                    f"{code}: new key {key} ({now['fields'][key]['name']!r}) is not above {used}, the highest key "
                    f"{code} ever used: new fields take keys from {used + 1}")
            else:
                result.new_keys.append((code, key))
    for code, now in new_types.items():
        if code in old_types:
            continue
        if now["number"] in numbers:
            result.problems.append(
                f"new license type {code} takes number {now['number']}, which is {numbers[now['number']]}'s: "
                f"new types take {max(numbers) + 1} or above")
        else:
            result.new_types.append(code)
    for code, key in tombstones:
        if (code, key) not in result.removed_keys:
            result.problems.append(f"--tombstone {code}:{key} names no key the registry dropped")
    return result


def append(snapshot: Mapping[str, Any], live: Mapping[str, Any],
           tombstones: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """Return the snapshot with the live additions and the named tombstones; ``ValueError`` on any rule break."""
    result = compare(snapshot, live, tombstones)
    if result.problems:
        raise ValueError("\n".join(result.problems))
    types = json.loads(json.dumps(snapshot["types"]))
    for code, key in result.removed_keys:
        types[code]["fields"][key]["removed"] = True
    for code, key in result.new_keys:
        types[code]["fields"][key] = live["types"][code]["fields"][key]
    for code in result.new_types:
        types[code] = live["types"][code]
    for entry in types.values():
        entry["fields"] = dict(sorted(entry["fields"].items(), key=lambda item: int(item[0])))
    return {"about": ABOUT, "reserved_keys": dict(RESERVED_KEYS), "types": types}


def dumps(snapshot: Mapping[str, Any]) -> str:
    """Serialise with one key per line, so every change to the snapshot is a readable one-line diff."""
    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f' "about": {one(snapshot["about"])},', f' "reserved_keys": {one(snapshot["reserved_keys"])},',
             ' "types": {']
    types = list(snapshot["types"].items())
    for i, (code, ltype) in enumerate(types):
        lines.append(f'  {one(code)}: {{"number": {ltype["number"]}, "fields": {{')
        items = list(ltype["fields"].items())
        for j, (key, entry) in enumerate(items):
            lines.append(f'   {one(key)}: {one(entry)}' + ("," if j < len(items) - 1 else ""))
        lines.append("  }}" + ("," if i < len(types) - 1 else ""))
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def load(path: Path = SNAPSHOT) -> dict[str, Any]:
    """Read the committed snapshot."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _tombstone(text: str) -> tuple[str, str]:
    code, _, key = text.partition(":")
    if not code or not key.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not TYPE:KEY")
    return code, str(int(key))


def main(argv: Sequence[str] | None = None) -> int:
    """Check the registry against the snapshot, or append to it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--append", action="store_true", help="record new keys and types in the snapshot")
    parser.add_argument("--tombstone", action="append", type=_tombstone, default=[], metavar="TYPE:KEY",
                        help="with --append: record that the registry dropped this key (never reused)")
    parser.add_argument("--init", action="store_true", help="write the first snapshot (refused if one exists)")
    args = parser.parse_args(argv)

    from wallet.license_types import REGISTRY

    live = describe(REGISTRY)
    if args.init:
        if SNAPSHOT.exists():
            print(f"{SNAPSHOT.name} exists: the snapshot is only ever appended to (--append)", file=sys.stderr)
            return 1
        SNAPSHOT.write_text(dumps(live), encoding="utf-8")
        print(f"wrote {SNAPSHOT.name}: {len(live['types'])} types")
        return 0
    snapshot = load()
    if args.append:
        try:
            updated = append(snapshot, live, args.tombstone)
        except ValueError as exc:
            print(f"refused, nothing written:\n{exc}", file=sys.stderr)
            return 1
        SNAPSHOT.write_text(dumps(updated), encoding="utf-8")
        result = compare(snapshot, live, args.tombstone)
        done = result.pending + [f"{code}: key {key} kept as a tombstone" for code, key in result.removed_keys]
        print("\n".join(done) or "nothing to append")
        return 0
    result = compare(snapshot, live)
    for line in result.problems:
        print(f"problem: {line}")
    for line in result.pending:
        print(f"not yet in the snapshot: {line} (run {SCRIPT} --append)")
    return 1 if result.problems or result.pending else 0


if __name__ == "__main__":
    sys.exit(main())
