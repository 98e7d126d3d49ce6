"""Defensive CBOR decoding and shape checks shared by every wallet decoder (cbor2 5 and 6 alike)."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping
from typing import Any, Callable

import cbor2

from .errors import InvalidCredential

__all__ = ["loads", "dumps", "as_map", "as_list", "as_int", "as_bytes", "as_text", "MAX_DEPTH"]

MAX_DEPTH = 24

# cbor2 turns some tags into Python objects (datetimes, sets, shared references that can build cycles);
# a credential decoder keeps every tag as a plain CBORTag instead, and refuses shared references.
_PLAIN_TAGS = (0, 1, 2, 3, 4, 5, 25, 30, 35, 36, 37, 100, 256, 258, 260, 261, 1004, 55799)


def _keep(tag: int) -> Callable[[Any, bool], Any]:
    def decode(value: Any, immutable: bool) -> Any:
        return cbor2.CBORTag(tag, value)

    return decode


def _refuse(*_args: Any) -> Any:
    raise ValueError("shared references are not allowed")


_SEMANTIC: dict[int, Any] = {tag: _keep(tag) for tag in _PLAIN_TAGS}
_SEMANTIC[28] = _refuse
_SEMANTIC[29] = _refuse


# One decoder per thread, re-pointed at each input: building a decoder costs about as much as decoding a
# credential's claims, and a holder-bound verification decodes four items.
_local = threading.local()


def _check_deterministic(data: bytes) -> None:
    """Refuse what RFC 8949 core deterministic encoding (section 4.2.1) forbids and a strict decoder refuses:
    integers, lengths and tags not in their shortest form, indefinite lengths, and ``undefined``.

    Runs after cbor2 has decoded ``data`` as one well-formed item, so heads and lengths are in range. One
    loop reads every item head (major type, additional info, argument) in turn, without a call per head.
    """
    pending, pos = 1, 0
    while pending:
        pending -= 1
        initial = data[pos]
        major, info = initial >> 5, initial & 31
        if info < 24:
            argument, pos = info, pos + 1
        elif info == 31:
            raise ValueError("indefinite length")
        else:
            size = 1 << (info - 24)
            argument = int.from_bytes(data[pos + 1:pos + 1 + size], "big")
            if major != 7 and argument < (24 if size == 1 else 1 << (4 * size)):
                raise ValueError(f"non-shortest argument {argument} in {size} bytes")
            pos += 1 + size
        if major == 2 or major == 3:
            pos += argument
        elif major == 4:
            pending += argument
        elif major == 5:
            pending += 2 * argument
        elif major == 6:
            pending += 1
        elif major == 7 and info == 23:
            raise ValueError("undefined")


def _reencodes_to(value: Any, data: bytes) -> bool:
    """A fast sufficient test for :func:`_check_deterministic`: cbor2 encodes every head in its shortest
    form and every length definite, keeping map keys in the order they were decoded, so a value that
    re-encodes to exactly ``data`` was deterministic, unless it holds ``undefined`` (which would re-encode
    as itself). Text never contains byte 0xf7 (not valid UTF-8), so without that byte anywhere in ``data``
    there is no ``undefined``. Otherwise (byte strings may hold 0xf7, floats re-encode wider) the caller
    walks the bytes; both paths refuse and accept exactly the same inputs.
    """
    return b"\xf7" not in data and cbor2.dumps(value) == data


def loads(data: bytes, *, reason: str = "bad_cbor") -> Any:
    """Decode exactly one CBOR item (no trailing bytes, no duplicate keys, bounded depth) or raise.

    The item must also be deterministically encoded in the sense of :func:`_check_deterministic` (the
    issuer and holder encode RFC 8949 core deterministic CBOR; a verifier refuses other encodings).
    """
    stream = io.BytesIO(data)
    try:
        decoder = getattr(_local, "decoder", None)
        if decoder is None:
            decoder = _local.decoder = cbor2.CBORDecoder(
                stream, semantic_decoders=_SEMANTIC, max_depth=MAX_DEPTH, allow_duplicate_keys=False
            )
        else:
            decoder.fp = stream
        value = decoder.decode()
    except Exception as exc:  # cbor2 raises a few types (CBORDecodeError, ValueError, RecursionError)
        _local.decoder = None  # a decode cut short may leave state behind: the next one starts afresh
        raise InvalidCredential(reason, f"not valid CBOR ({exc})") from None
    if stream.tell() != len(data):
        raise InvalidCredential(reason, f"{len(data) - stream.tell()} bytes after the CBOR item")
    if _reencodes_to(value, data):
        return value
    try:
        _check_deterministic(data)
    except ValueError as exc:
        raise InvalidCredential(reason, f"not deterministic CBOR ({exc})") from None
    return value


def dumps(value: Any, *, canonical: bool = True) -> bytes:
    """Encode with shortest forms and sorted map keys, or in insertion order when ``canonical`` is False."""
    return cbor2.dumps(value, canonical=canonical)


def as_map(value: Any, what: str) -> Mapping[Any, Any]:
    """Return ``value`` if it is a CBOR map (dict or frozendict), else raise ``malformed``."""
    if type(value) is dict:  # the common case, without the Mapping ABC's slower check
        return value
    if not isinstance(value, Mapping):
        raise InvalidCredential("malformed", f"{what} must be a map")
    return value


def as_list(value: Any, what: str, length: int | None = None) -> tuple[Any, ...]:
    """Return ``value`` as a tuple if it is a CBOR array (list or tuple) of ``length``, else raise."""
    if not isinstance(value, (list, tuple)):
        raise InvalidCredential("malformed", f"{what} must be an array")
    if length is not None and len(value) != length:
        raise InvalidCredential("malformed", f"{what} must have {length} elements")
    return tuple(value)


def as_int(value: Any, what: str) -> int:
    """Return ``value`` if it is a CBOR integer (not a bool), else raise ``malformed``."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidCredential("malformed", f"{what} must be an integer")
    return value


def as_bytes(value: Any, what: str) -> bytes:
    """Return ``value`` if it is a CBOR byte string, else raise ``malformed``."""
    if not isinstance(value, bytes):
        raise InvalidCredential("malformed", f"{what} must be a byte string")
    return value


def as_text(value: Any, what: str) -> str:
    """Return ``value`` if it is a CBOR text string, else raise ``malformed``."""
    if not isinstance(value, str):
        raise InvalidCredential("malformed", f"{what} must be a text string")
    return value
