"""RFC 9285 Base45 done lane-parallel on Python big integers, so it is never the bottleneck.

Each 16-bit word (encode) or 3-character group (decode) lives in its own fixed-width lane of one big
integer; multiplications, shifts and masks then work on every lane at once in C, and divisions by 45
and 2025 are exact multiply-by-reciprocal steps (Granlund-Montgomery, k = 32, words < 2**16).
"""

from __future__ import annotations

from functools import lru_cache

from .errors import InvalidCredential

__all__ = ["ALPHABET", "b45encode", "b45decode"]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_TO_CHAR = bytes(ALPHABET, "ascii").ljust(256, b"\0")
_INVALID = 0xFF
_TO_DIGIT = bytes(ALPHABET.encode("ascii").find(bytes([c])) & 0xFF for c in range(256))
# ceil(2**k / d) with the smallest k that gives exact quotients over the dividend range:
# words < 2**16 for 2025 (k = 27), remainders < 2025 < 2**11 for 45 (k = 17); products fit a 40-bit lane.
_RECIP_2025 = -(-(1 << 27) // 2025)
_RECIP_45 = -(-(1 << 17) // 45)


@lru_cache(maxsize=64)
def _mask(pattern: bytes, lanes: int) -> int:
    """Return an integer with ``pattern`` repeated in each of ``lanes`` lanes (cached per length)."""
    return int.from_bytes(pattern * lanes, "big")


def b45encode(data: bytes) -> str:
    """Encode bytes as Base45 text: each 2 bytes become 3 characters, a trailing byte becomes 2."""
    n = len(data) // 2
    out = bytearray(3 * n + (2 if len(data) & 1 else 0))
    if n:
        lanes = bytearray(5 * n)
        lanes[3::5] = data[0: 2 * n: 2]
        lanes[4::5] = data[1: 2 * n: 2]
        words = int.from_bytes(lanes, "big")
        low = _mask(b"\0\0\0\0\xff", n)  # quotients are < 256; the next lane spills in above
        high = ((words * _RECIP_2025) >> 27) & low
        rest = words - 2025 * high
        middle = ((rest * _RECIP_45) >> 17) & low
        packed = ((rest - 45 * middle) << 16 | middle << 8 | high).to_bytes(5 * n, "big")
        out[0: 3 * n: 3] = packed[2::5]
        out[1: 3 * n: 3] = packed[3::5]
        out[2: 3 * n: 3] = packed[4::5]
    if len(data) & 1:
        out[-1], out[-2] = divmod(data[-1], 45)
    return out.translate(_TO_CHAR).decode("ascii")


def b45decode(text: str | bytes) -> bytes:
    """Decode Base45 text, raising ``InvalidCredential("bad_base45")`` on any invalid character or group."""
    try:
        raw = text.encode("ascii") if isinstance(text, str) else bytes(text)
    except UnicodeEncodeError:
        raise InvalidCredential("bad_base45", "non-ASCII character") from None
    digits = raw.translate(_TO_DIGIT)
    if _INVALID in digits:
        raise InvalidCredential("bad_base45", f"invalid character at {digits.index(_INVALID)}")
    n, tail = divmod(len(digits), 3)
    if tail == 1:
        raise InvalidCredential("bad_base45", "length leaves a single dangling character")
    out = bytearray(2 * n)
    if n:
        groups = int.from_bytes(digits[: 3 * n], "big")  # lane = d0 << 16 | d1 << 8 | d2
        low = _mask(b"\0\0\xff", n)
        words = (groups >> 16 & low) + 45 * (groups >> 8 & low) + 2025 * (groups & low)
        packed = words.to_bytes(3 * n, "big")
        if packed[0::3].count(0) != n:
            raise InvalidCredential("bad_base45", "a 3-character group exceeds 65535")
        out[0::2] = packed[1::3]
        out[1::2] = packed[2::3]
    if tail == 2:
        last = digits[-2] + 45 * digits[-1]
        if last > 0xFF:
            raise InvalidCredential("bad_base45", "the final 2-character group exceeds 255")
        out.append(last)
    return bytes(out)
