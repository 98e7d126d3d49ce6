"""Identifier check characters: GB 11643 resident IDs, GB 32100 credit codes, GB/T 36904 license ids.

Reading of GB/T 36904-2018 (电子证照 标识规范) used here, cross-checked against identifiers issued by
provincial platforms (e.g. ``1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U``):

- the identifier is ``<root>.<type code>.<issuer code>.<serial>.<version>.<check>`` with the root
  ``1.2.156.3005.2`` (电子证照根代码);
- the type code (证照类型代码) is the defining department's 18-character unified social credit code
  followed by a 3-digit sequence number, 21 characters in all;
- the issuer code (证照颁发机构代码) is the issuing organisation's unified social credit code;
- the serial (流水号) is upper-case letters and digits chosen by the issuer; the version is 3 digits;
- the check character is ISO/IEC 7064 MOD 37,36 (hybrid system, GB/T 17710) computed over the
  concatenation of type code, issuer code, serial and version: the root and the dots are excluded.
  Published identifiers check out this way and not with the root included.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from dataclasses import dataclass

__all__ = [
    "InvalidIdentifier",
    "RESIDENT_ID_WEIGHTS",
    "resident_id_check_digit",
    "normalize_resident_id",
    "unified_credit_code_check_char",
    "normalize_unified_credit_code",
    "mod37_36_check_char",
    "LICENSE_ID_ROOT",
    "LicenseId",
    "make_license_id",
    "parse_license_id",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_WEIGHTS = _WEIGHTS  # GB 11643 weights 2^(17-i) mod 11 of the first 17 digits
_CHECK = "10X98765432"
_RESIDENT_ID = re.compile(r"^[1-9][0-9]{16}[0-9X]\Z")

# GB 32100-2015: the 31 code characters (no I, O, S, V, Z) and the weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}\Z")

_MOD36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MOD36_VALUES = {char: value for value, char in enumerate(_MOD36)}
LICENSE_ID_ROOT = "1.2.156.3005.2"
_TYPE_CODE = re.compile(r"^[0-9A-Z]{21}\Z")
_SERIAL = re.compile(r"^[0-9A-Z]{1,32}\Z")
_VERSION = re.compile(r"^[0-9]{3}\Z")


class InvalidIdentifier(ValueError):
    """An identifier failed its format or check-character rule; ``reason`` says which."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def resident_id_check_digit(first17: str) -> str:
    """Return the GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise InvalidIdentifier("format", "need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


def normalize_resident_id(value: str) -> str:
    """Return the 18-character resident ID number upper-cased, or raise ``InvalidIdentifier``.

    Strict: ASCII digits only and nothing around them (no space, no trailing newline), so two spellings of
    one number cannot make two accounts.
    """
    text = value.upper()
    if not _RESIDENT_ID.match(text):
        raise InvalidIdentifier("format", "a resident ID number has 17 digits and a digit or X")
    try:
        _dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidIdentifier("birth_date", "the birth date in the ID number does not exist") from None
    if resident_id_check_digit(text[:17]) != text[17]:
        raise InvalidIdentifier("check_digit", "the check digit of the ID number is wrong")
    return text


@lru_cache(maxsize=8192)
def unified_credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character (weighted MOD 31) for the first 17 characters."""
    text = first17.upper()
    if len(text) != 17 or any(c not in _USCC_CHARS for c in text):
        raise InvalidIdentifier("format", "need 17 unified-credit-code characters (no I, O, S, V, Z)")
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(text, _USCC_WEIGHTS))
    return _USCC_CHARS[-total % 31]


def normalize_unified_credit_code(value: str) -> str:
    """Return the 18-character unified social credit code upper-cased or raise ``InvalidIdentifier``."""
    text = value.strip().upper()
    if not _USCC.match(text):
        raise InvalidIdentifier(
            "format", "a unified social credit code has 18 characters: 2 codes, 6 region digits, 10 more"
        )
    if unified_credit_code_check_char(text[:17]) != text[17]:
        raise InvalidIdentifier("check_digit", "the check character of the credit code is wrong")
    return text


@lru_cache(maxsize=8192)  # pure; each presentation re-checks its license's identifier
def mod37_36_check_char(text: str) -> str:
    """Return the ISO/IEC 7064 MOD 37,36 (hybrid) check character for upper-case letters and digits."""
    product = 36
    for char in text:
        value = _MOD36_VALUES.get(char, -1)
        if value < 0:
            raise InvalidIdentifier("format", f"character {char!r} is not in 0-9A-Z")
        total = (product + value) % 36 or 36
        product = total * 2 % 37
    return _MOD36[(1 - product) % 36]


@dataclass(frozen=True)
class LicenseId:
    """The parts of a GB/T 36904 electronic-license identifier."""

    type_code: str
    issuer_code: str
    serial: str
    version: int
    check: str

    def __str__(self) -> str:
        """Return the dotted identifier text."""
        parts = (self.type_code, self.issuer_code, self.serial, f"{self.version:03d}", self.check)
        return ".".join((LICENSE_ID_ROOT,) + parts)


def _check_parts(type_code: str, issuer_code: str, serial: str, version: str) -> str:
    if not _TYPE_CODE.match(type_code):
        raise InvalidIdentifier("type_code", "a license type code has 21 upper-case letters or digits")
    try:
        normalize_unified_credit_code(issuer_code)
    except InvalidIdentifier as exc:
        raise InvalidIdentifier("issuer_code", f"issuer code: {exc}") from None
    if not _SERIAL.match(serial):
        raise InvalidIdentifier("serial", "a serial has 1-32 upper-case letters or digits")
    if not _VERSION.match(version) or version == "000":
        raise InvalidIdentifier("version", "a version has 3 digits from 001 to 999")
    return mod37_36_check_char(type_code + issuer_code + serial + version)


def make_license_id(type_code: str, issuer_code: str, serial: str, version: int = 1) -> str:
    """Return the GB/T 36904 identifier for these parts with its MOD 37,36 check character."""
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 999:
        raise InvalidIdentifier("version", "a version is an integer from 1 to 999")
    check = _check_parts(type_code, issuer_code, serial, f"{version:03d}")
    return str(LicenseId(type_code, issuer_code, serial, version, check))


def parse_license_id(text: str) -> LicenseId:
    """Split a GB/T 36904 identifier into its parts or raise ``InvalidIdentifier`` naming the bad one."""
    if not isinstance(text, str):
        raise InvalidIdentifier("format", "a license identifier is text")
    root = LICENSE_ID_ROOT + "."
    if not text.startswith(root):
        raise InvalidIdentifier("root", f"a license identifier starts with {root}")
    parts = text[len(root):].split(".")
    if len(parts) != 5:
        raise InvalidIdentifier("format", "a license identifier has type, issuer, serial, version and check")
    type_code, issuer_code, serial, version, check = parts
    expected = _check_parts(type_code, issuer_code, serial, version)
    if check != expected:
        raise InvalidIdentifier("check_digit", "the check character of the license identifier is wrong")
    return LicenseId(type_code, issuer_code, serial, int(version), check)
