"""The national 实施编码 format and the GB 32100 / GB 11714 check characters of its implementer code."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "ImplCode",
    "parse_impl_code",
    "format_impl_code",
    "uscc_check_char",
    "org_code_check_char",
    "is_valid_uscc",
    "BASIC_CODE_PATTERN",
]

# Basic codes seen on the provincial portals: 511A0138000000, 511Z64007001, 000173001000, G-000007-001.
BASIC_CODE_PATTERN = re.compile(
    r"^(?:[0-9]{3}[A-Z][0-9]{8}(?:[0-9]{2})?|[0-9]{12}(?:[0-9]{2})?|[A-Z]-[0-9]{6}-[0-9]{3})\Z")
_IMPL_CODE = re.compile(
    r"^(?P<basic>[0-9A-Z-]+)-(?P<region>[0-9]{12})-(?P<seq>[0-9]{3})-(?P<implementer>[0-9A-Z]{18})"
    r"-(?P<flag>[0-9])-(?P<sub>[0-9]{2})\Z"
)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class ImplCode(NamedTuple):
    """The parts of an 实施编码: basic code, 12-digit region, sequence, implementer USCC, flag and sub-item."""

    basic_code: str
    region: str
    seq: str
    implementer: str
    flag: str
    sub: str


def parse_impl_code(text: str) -> ImplCode | None:
    """Split an 实施编码 into its parts, or return None when it does not have the national shape."""
    match = _IMPL_CODE.match(text)
    if match is None or not BASIC_CODE_PATTERN.match(match["basic"]):
        return None
    return ImplCode(match["basic"], match["region"], match["seq"], match["implementer"], match["flag"],
                    match["sub"])


def format_impl_code(code: ImplCode) -> str:
    """Join the parts of an 实施编码 with hyphens."""
    return "-".join(code)


def org_code_check_char(first8: str) -> str:
    """Return the GB 11714 check character of an 8-character organisation code body."""
    if len(first8) != 8 or any(c not in _USCC_CHARS[:10] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for c in first8):
        raise ValueError("an organisation code body is 8 digits or capital letters")
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character of the first 17 characters of a 统一社会信用代码."""
    if len(first17) != 17 or any(c not in _USCC_CHARS for c in first17):
        raise ValueError("a USCC body is 17 characters from 0-9 and A-Y without I, O, S, V, Z")
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """Tell whether ``code`` is an 18-character 统一社会信用代码 with a correct check character."""
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]
