"""Identifier check characters: GB 11643, GB 32100, ISO 7064 MOD 37,36 and GB/T 36904."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.identifiers import (
    LICENSE_ID_ROOT,
    InvalidIdentifier,
    LicenseId,
    make_license_id,
    mod37_36_check_char,
    normalize_resident_id,
    normalize_unified_credit_code,
    parse_license_id,
    resident_id_check_digit,
    unified_credit_code_check_char,
)
from wallet.testing import resident_ids, unified_credit_codes

# An identifier from a provincial e-license platform's published API documentation (a known answer).
PUBLISHED_LICENSE_IDS = ["1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"]
ISSUER = "11370200MB0000000C"
TYPE = "11100000000013338W011"
_UPPER_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_resident_id_known_answer() -> None:
    """The GB 11643 example number 11010519491231002X has check character X."""
    assert resident_id_check_digit("11010519491231002") == "X"
    assert normalize_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("value", [" 11010519491231002X", "11010519491231002X\n", "１1010519491231002X",
                                   "1101051949123100２X"])
def test_resident_id_refuses_padding_and_non_ascii_digits(value: str) -> None:
    """Issue 12 finding 5: no look-alike spellings of one number."""
    with pytest.raises(InvalidIdentifier):
        normalize_resident_id(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11010519491231002", "format"),
        ("01010519491231002X", "format"),
        ("110105194902300020", "birth_date"),
        ("110105194912310021", "check_digit"),
    ],
)
def test_resident_id_rejections(value: str, reason: str) -> None:
    """Each way a resident ID number is wrong has its own reason."""
    with pytest.raises(InvalidIdentifier) as info:
        normalize_resident_id(value)
    assert info.value.reason == reason


@given(resident_ids())
def test_generated_resident_ids_are_valid(value: str) -> None:
    """The test strategy only produces numbers that pass the check."""
    assert normalize_resident_id(value) == value


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "11100000000013338W", "11430000006122244L", "113700000045030270"]
)
def test_unified_credit_code_known_answers(code: str) -> None:
    """The GB 32100 example and codes of real issuing organisations carry the right check character."""
    assert unified_credit_code_check_char(code[:17]) == code[17]
    assert normalize_unified_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("91350100M000100Y4", "format"),
        ("91350100M000I00Y43", "format"),
        ("9135A100M000100Y43", "format"),
        ("91350100M000100Y44", "check_digit"),
    ],
)
def test_unified_credit_code_rejections(value: str, reason: str) -> None:
    """Wrong length, forbidden letters, a non-numeric region and a wrong check character are told apart."""
    with pytest.raises(InvalidIdentifier) as info:
        normalize_unified_credit_code(value)
    assert info.value.reason == reason


@given(unified_credit_codes(), st.integers(0, 16), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"))
def test_unified_credit_code_detects_single_substitutions(code: str, pos: int, char: str) -> None:
    """Changing any one of the first 17 characters changes the check character (MOD 31, prime)."""
    changed = code[:pos] + char + code[pos + 1:]
    if changed != code:
        assert unified_credit_code_check_char(changed[:17]) != code[17]


@pytest.mark.parametrize(
    ("body", "check"), [("A12425GABC1234002", "M"), ("B159D8FA01240000", "K"), ("188166C734200000", "3")]
)
def test_mod37_36_known_answers(body: str, check: str) -> None:
    """ISO/IEC 7064 MOD 37,36 matches the vectors other implementations test against."""
    assert mod37_36_check_char(body) == check


@pytest.mark.parametrize("text", PUBLISHED_LICENSE_IDS)
def test_published_license_ids_parse(text: str) -> None:
    """Identifiers issued by real platforms parse, so our reading of the check character is theirs."""
    parsed = parse_license_id(text)
    assert str(parsed) == text
    assert parsed.version == 1
    assert make_license_id(parsed.type_code, parsed.issuer_code, parsed.serial, parsed.version) == text


def test_make_license_id_layout() -> None:
    """A made identifier is root, type, issuer, serial, 3-digit version and one check character."""
    text = make_license_id(TYPE, ISSUER, "2026000001", 2)
    assert text.startswith(f"{LICENSE_ID_ROOT}.{TYPE}.{ISSUER}.2026000001.002.")
    assert parse_license_id(text) == LicenseId(TYPE, ISSUER, "2026000001", 2, text[-1])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.2.156.3005.3.11100000000013338W011.11430000006122244L.20230000403.001.U", "root"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001", "format"),
        ("1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U", "type_code"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244M.20230000403.001.U", "issuer_code"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0403.001.U", "serial"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.000.U", "version"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.1.U", "version"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V", "check_digit"),
    ],
)
def test_parse_license_id_rejections(text: str, reason: str) -> None:
    """Every malformed part of a license identifier is rejected with a reason naming it."""
    with pytest.raises(InvalidIdentifier) as info:
        parse_license_id(text)
    assert info.value.reason == reason


@pytest.mark.parametrize("version", [0, 1000, True])
def test_make_license_id_rejects_bad_versions(version: int) -> None:
    """Versions outside 1-999 (and booleans) cannot be encoded in three digits."""
    with pytest.raises(InvalidIdentifier) as info:
        make_license_id(TYPE, ISSUER, "1", version)
    assert info.value.reason == "version"


@given(
    serial=st.text(_UPPER_ALNUM, min_size=1, max_size=32),
    version=st.integers(1, 999),
    issuer=unified_credit_codes(),
)
def test_license_id_round_trip(serial: str, version: int, issuer: str) -> None:
    """Any valid parts make an identifier that parses back to the same parts."""
    parsed = parse_license_id(make_license_id(TYPE, issuer, serial, version))
    assert (parsed.type_code, parsed.issuer_code, parsed.serial, parsed.version) == (
        TYPE,
        issuer,
        serial,
        version,
    )


@given(serial=st.text(_UPPER_ALNUM, min_size=1, max_size=32), data=st.data())
def test_license_id_detects_single_substitutions(serial: str, data: st.DataObject) -> None:
    """Changing one character of the serial is caught by the check character."""
    good = parse_license_id(make_license_id(TYPE, ISSUER, serial))
    pos = data.draw(st.integers(0, len(serial) - 1))
    char = data.draw(st.sampled_from(_UPPER_ALNUM).filter(lambda c: c != serial[pos]))
    tampered = str(LicenseId(TYPE, ISSUER, serial[:pos] + char + serial[pos + 1:], 1, good.check))
    with pytest.raises(InvalidIdentifier) as info:
        parse_license_id(tampered)
    assert info.value.reason == "check_digit"
