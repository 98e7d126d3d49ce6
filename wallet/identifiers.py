"""Identifier check characters: GB 11643 resident ID numbers (and, later, GB/T 36904 license ids)."""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["InvalidIdentifier", "resident_id_check_digit", "normalize_resident_id"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_RESIDENT_ID = re.compile(r"^[1-9]\d{16}[\dX]$")


class InvalidIdentifier(ValueError):
    """An identifier failed its format or check-character rule; ``reason`` says which."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def resident_id_check_digit(first17: str) -> str:
    """Return the GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidIdentifier("format", "need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


def normalize_resident_id(value: str) -> str:
    """Return the 18-character resident ID number upper-cased, or raise ``InvalidIdentifier``."""
    text = value.strip().upper()
    if not _RESIDENT_ID.match(text):
        raise InvalidIdentifier("format", "a resident ID number has 17 digits and a digit or X")
    try:
        _dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidIdentifier("birth_date", "the birth date in the ID number does not exist") from None
    if resident_id_check_digit(text[:17]) != text[17]:
        raise InvalidIdentifier("check_digit", "the check digit of the ID number is wrong")
    return text
