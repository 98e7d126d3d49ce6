"""docs/QD1.md, the normative spec, against the code it describes: reasons, constants, profiles, example.

The spec is written for implementers who never read ``wallet/``; these tests fail when the two drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from wallet import cose, cwt, holder, status_list, trust
from wallet.codec import MAX_DECOMPRESSED, decode_text
from wallet.keys import VerificationKey, kid_of
from wallet.license_types import FIRST_OWN_KEY, REGISTRY
from wallet.verdict import REASONS, WARNINGS
from wallet.verify import PRESENTATION_WINDOW, verify_with_keys

SPEC = (Path(__file__).resolve().parents[2] / "docs" / "QD1.md").read_text(encoding="utf-8")


def _message_rows() -> list[str]:
    """The rows of the spec's reason and warning tables (those whose header is ``| reason/warning | zh | en |``)."""
    rows, inside = [], False
    for line in SPEC.splitlines():
        if line in ("| reason | zh | en |", "| warning | zh | en |"):
            inside = True
        elif not line.startswith("|"):
            inside = False
        elif inside and line.startswith("| `"):
            rows.append(line)
    return rows


ROWS = _message_rows()


@pytest.mark.parametrize("table", [REASONS, WARNINGS], ids=["reasons", "warnings"])
def test_every_reason_and_warning_is_specified_with_its_messages(table: dict[str, tuple[str, str]]) -> None:
    for code, (zh, en) in table.items():
        assert f"| `{code}` | {zh} | {en} |" in ROWS, f"{code} is missing from docs/QD1.md or its text differs"


def test_the_spec_names_no_reason_the_code_lacks() -> None:
    named = {row.split("`")[1] for row in ROWS}
    assert named == set(REASONS) | set(WARNINGS)


def test_the_constants_the_spec_states_are_the_codes() -> None:
    body_cap = (MAX_DECOMPRESSED + 64) * 3 // 2 + 2
    stated = [
        f"`MAX_DECOMPRESSED` = {MAX_DECOMPRESSED}",
        f"{body_cap // 1000} {body_cap % 1000:03d} characters",
        f"`CLOCK_SKEW` = {trust.CLOCK_SKEW} s",
        f"`WARN_AGE` = {trust.WARN_AGE // 3600} h",
        f"`MAX_AGE` = {trust.MAX_AGE // 86400} days",
        f"presentation window {PRESENTATION_WINDOW} s",
        f"`2 × {PRESENTATION_WINDOW} + 1 = {2 * PRESENTATION_WINDOW + 1}`",
        f"`{trust.TYP_TRUST_BUNDLE}`",
        f"`{status_list.TYP_STATUSLIST_CWT}`",
        f'["{holder.PRESENTATION_CONTEXT}", bstr .size 32, int]',
        f"{cwt.LICENSE_CLAIM} => license-claim",
        f"| `iss` (1) | {cwt.MAX_CLAIM_LENGTH[1]} |",
        f"| `sub` (2) | {cwt.MAX_CLAIM_LENGTH[2]} |",
        f"| `cti` (7) | {cwt.MAX_CLAIM_LENGTH[7]} bytes |",
        f"| `status` `uri` | {cwt.MAX_CLAIM_LENGTH[65535]} |",
        f"top-level text or byte-string claim | {cwt.MAX_OTHER_CLAIM_LENGTH} |",
    ]
    missing = [text for text in stated if text not in SPEC]
    assert not missing
    assert cose.UNDERSTOOD_HEADERS == {1, 2, 4, 16}  # the crit rule lists exactly these


def _keys(cell: str) -> list[int]:
    return [] if cell == "—" else [int(key) for key in cell.split(", ")]


def test_the_profile_table_is_the_registry() -> None:
    table = {}
    for line in SPEC.splitlines():
        match = re.fullmatch(r"\| (\d+) \| `(\w+)` \| `(\w{21})` \| 8–(\d+) \| ([^|]+) \| ([^|]+) \|", line)
        if match:
            number, code, gb, top, standard, retired = match.groups()
            table[code] = (int(number), gb, int(top), _keys(standard.strip()), _keys(retired.strip()))
    live = {}
    for code, ltype in REGISTRY.items():
        key = {spec.name: spec.key for spec in ltype.fields}
        own = [spec.key for spec in ltype.fields if spec.key >= FIRST_OWN_KEY]
        assert own == list(range(FIRST_OWN_KEY, max(own) + 1)), "the table writes per-type keys as a range"
        live[code] = (
            ltype.number,
            ltype.gb_type_code,
            max(own),
            [key[name] for name in ltype.profiles["standard"] if key[name] >= FIRST_OWN_KEY],
            [key[name] for name in ltype.retired.get("standard", ())],
        )
        common = {name: key[name] for name in ltype.profiles["minimal"]}
        assert sorted(common.values()) == [2, 4, 5, 6]
        assert sorted(key[name] for name in ltype.profiles["full"]) == [2, 3, 5, 6] + own
    assert table == live


def _example_text() -> str:
    match = re.search(r"```\n(QD1:[^\n]+)\n```", SPEC)
    assert match
    return match.group(1)


def test_the_worked_example_decodes_and_verifies_as_the_spec_says() -> None:
    scalar = int(re.search(r"private\nscalar is `([0-9a-f]{64})`", SPEC).group(1), 16)  # type: ignore[union-attr]
    key = ec.derive_private_key(scalar, ec.SECP256R1()).public_key()
    text = _example_text()
    assert f"Text ({len(text)} characters)" in SPEC
    message = cose.decode_sign1(decode_text(text))
    assert f"Its `kid` is\n`{kid_of(key).hex()}`" in SPEC
    assert message.signature.hex()[:64] in SPEC and message.signature.hex()[64:] in SPEC
    verdict = verify_with_keys(text, [VerificationKey(kid_of(key), key)], now=1_750_000_000)
    assert verdict.valid, verdict
    assert verdict.license_id is not None and f"`{verdict.license_id}`" in SPEC
    assert verdict.fields == {"holder_name": "张三丰", "holder_code_masked": "3702**********1237",
                              "valid_from": "2023-02-01", "valid_until": "2029-01-31"}
