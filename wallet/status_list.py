"""IETF Token Status List (draft-ietf-oauth-status-list) in its CWT form: build, sign, parse, look up.

A list packs ``bits`` (1, 2, 4 or 8) per entry, entry 0 in the least significant bits of byte 0, and is
DEFLATE-compressed in zlib format. Our use: 2 bits per license, 0 valid, 1 revoked (the draft's
"INVALID"), 2 suspended. The token is a COSE_Sign1 with ``typ`` = ``application/statuslist+cwt`` whose
claims carry ``sub`` (the list's URI), ``iat``, optional ``exp``, ``ttl`` (65534) and the list (65533).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import cborio, cose
from .errors import InvalidCredential
from .keys import PrivateKey, PublicKey

__all__ = [
    "VALID",
    "INVALID",
    "SUSPENDED",
    "TYP_STATUSLIST_CWT",
    "StatusList",
    "StatusListToken",
    "sign_status_list",
    "parse_status_list_token",
]

VALID, INVALID, SUSPENDED = 0, 1, 2
TYP_STATUSLIST_CWT = "application/statuslist+cwt"
CLAIM_SUB, CLAIM_EXP, CLAIM_IAT, CLAIM_TTL, CLAIM_STATUS_LIST = 2, 4, 6, 65534, 65533
MAX_LIST_BYTES = 32 << 20  # 128 million 2-bit entries; refuse anything bigger while inflating


class StatusList:
    """A packed status list with O(1) ``get``/``set``; ``bits`` per entry, little-endian within a byte."""

    __slots__ = ("bits", "data")

    def __init__(self, size: int, bits: int = 2, data: bytes | bytearray | None = None) -> None:
        """Create an all-valid list of ``size`` entries, or wrap ``data`` (already packed) as-is."""
        if bits not in (1, 2, 4, 8):
            raise ValueError("bits must be 1, 2, 4 or 8")
        self.bits = bits
        self.data = bytearray(data) if data is not None else bytearray(-(-size * bits // 8))

    @classmethod
    def from_statuses(cls, size: int, statuses: Mapping[int, int], bits: int = 2) -> StatusList:
        """Build a list of ``size`` entries, all valid except those in ``statuses`` (index -> status)."""
        result = cls(size, bits)
        for idx, status in statuses.items():
            if not 0 <= idx < size:
                raise IndexError(f"index {idx} outside a list of {size}")
            result.set(idx, status)
        return result

    @property
    def size(self) -> int:
        """How many entries the packed bytes hold (a multiple of 8 // bits)."""
        return len(self.data) * 8 // self.bits

    def get(self, idx: int) -> int:
        """Return the status at ``idx``; raise ``IndexError`` outside the list."""
        if idx < 0:
            raise IndexError(idx)
        per_byte = 8 // self.bits
        byte = self.data[idx // per_byte]
        return (byte >> (idx % per_byte) * self.bits) & ((1 << self.bits) - 1)

    def set(self, idx: int, status: int) -> None:
        """Set the status at ``idx`` (must fit in ``bits``)."""
        if not 0 <= status < 1 << self.bits:
            raise ValueError(f"status {status} does not fit in {self.bits} bits")
        if idx < 0:
            raise IndexError(idx)
        per_byte = 8 // self.bits
        shift = idx % per_byte * self.bits
        mask = ((1 << self.bits) - 1) << shift
        pos = idx // per_byte
        self.data[pos] = (self.data[pos] & ~mask) | (status << shift)

    def to_cbor(self) -> dict[str, Any]:
        """Return the draft's CBOR ``StatusList`` map: ``{"bits": n, "lst": zlib(bytes)}``."""
        return {"bits": self.bits, "lst": zlib.compress(bytes(self.data), 9)}

    @classmethod
    def from_cbor(cls, obj: Any, *, max_bytes: int = MAX_LIST_BYTES) -> StatusList:
        """Parse a CBOR ``StatusList`` map, inflating at most ``max_bytes``; raise ``malformed`` otherwise."""
        mapping = cborio.as_map(obj, "status_list")
        bits = cborio.as_int(mapping.get("bits"), "status_list bits")
        if bits not in (1, 2, 4, 8):
            raise InvalidCredential("malformed", f"status_list bits {bits} is not 1, 2, 4 or 8")
        compressed = cborio.as_bytes(mapping.get("lst"), "status_list lst")
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(compressed, max_bytes + 1)
        except zlib.error as exc:
            raise InvalidCredential("malformed", f"status_list lst is not zlib ({exc})") from None
        if len(data) > max_bytes or not inflater.eof:
            raise InvalidCredential("malformed", "status_list lst is truncated or too large")
        return cls(0, bits, data)

    def __eq__(self, other: object) -> bool:
        """Two lists are equal when they pack the same entries with the same width."""
        return isinstance(other, StatusList) and (self.bits, self.data) == (other.bits, other.data)

    __hash__ = None  # type: ignore[assignment]  # mutable


@dataclass(frozen=True)
class StatusListToken:
    """A verified status list token: its URI (``sub``), times, and the list itself."""

    uri: str
    iat: int
    exp: int | None
    ttl: int | None
    status_list: StatusList


def sign_status_list(
    status_list: StatusList,
    key: PrivateKey,
    *,
    uri: str,
    iat: int,
    exp: int | None = None,
    ttl: int | None = None,
    kid: bytes | None = None,
) -> bytes:
    """Sign ``status_list`` as a status list token (COSE_Sign1 with typ application/statuslist+cwt)."""
    # Claims in the draft's own order (not sorted) so our payload matches its published examples.
    claims: dict[int, Any] = {CLAIM_SUB: uri, CLAIM_IAT: iat}
    if exp is not None:
        claims[CLAIM_EXP] = exp
    if ttl is not None:
        claims[CLAIM_TTL] = ttl
    claims[CLAIM_STATUS_LIST] = status_list.to_cbor()
    payload = cborio.dumps(claims, canonical=False)
    return cose.sign1(payload, key, kid=kid, protected={cose.HEADER_TYP: TYP_STATUSLIST_CWT})


def parse_status_list_token(data: bytes, keys: Iterable[PublicKey]) -> StatusListToken:
    """Verify a status list token with any of ``keys`` and parse it, raising ``InvalidCredential``."""
    message = cose.decode_sign1(data)
    if message.header(cose.HEADER_TYP) != TYP_STATUSLIST_CWT:
        raise InvalidCredential("malformed", f"typ is not {TYP_STATUSLIST_CWT}")
    cose.verify_with_any(message, keys)
    claims = cborio.as_map(cborio.loads(message.payload, reason="malformed"), "status list claims")
    exp, ttl = claims.get(CLAIM_EXP), claims.get(CLAIM_TTL)
    return StatusListToken(
        uri=cborio.as_text(claims.get(CLAIM_SUB), "status list sub"),
        iat=cborio.as_int(claims.get(CLAIM_IAT), "status list iat"),
        exp=None if exp is None else cborio.as_int(exp, "status list exp"),
        ttl=None if ttl is None else cborio.as_int(ttl, "status list ttl"),
        status_list=StatusList.from_cbor(claims.get(CLAIM_STATUS_LIST)),
    )
