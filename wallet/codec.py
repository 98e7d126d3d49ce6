"""The text transport of QD1 (and EU DCC ``HC1:``) codes: prefix + Base45 + zlib around CBOR bytes.

Decoding is defensive and each layer fails with its own reason: ``not_qd1`` (wrong prefix),
``bad_base45``, ``bad_zlib``, ``too_large`` (text longer than any payload under the cap could need, or
decompressed size above the cap, checked while inflating so a zlib bomb costs well under a millisecond),
``bad_cbor``.
"""

from __future__ import annotations

import zlib
from typing import Any

from . import cborio
from .base45 import b45decode, b45encode
from .errors import InvalidCredential

__all__ = ["DEFAULT_PREFIX", "MAX_DECOMPRESSED", "encode_text", "decode_text", "decode_text_cbor"]

DEFAULT_PREFIX = "QD1:"
MAX_DECOMPRESSED = 4096


def encode_text(data: bytes, *, prefix: str = DEFAULT_PREFIX, level: int = 9) -> str:
    """Return ``prefix`` + Base45(zlib(``data``)), the alphanumeric-mode QR text."""
    return prefix + b45encode(zlib.compress(data, level))


def decode_text(text: str, *, prefix: str = DEFAULT_PREFIX, max_size: int = MAX_DECOMPRESSED) -> bytes:
    """Undo :func:`encode_text`, returning the inner bytes or raising ``InvalidCredential``."""
    if not isinstance(text, str) or not text.startswith(prefix):
        raise InvalidCredential("not_qd1", f"text does not start with {prefix!r}")
    body = text[len(prefix):]
    # Deflate expands incompressible data by a few bytes only, so a longer text cannot be legitimate.
    if len(body) > (max_size + 64) * 3 // 2 + 2:
        raise InvalidCredential("too_large", f"text longer than any payload of {max_size} bytes")
    compressed = b45decode(body)
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(compressed, max_size + 1)
    except zlib.error as exc:
        raise InvalidCredential("bad_zlib", str(exc)) from None
    if len(data) > max_size:
        raise InvalidCredential("too_large", f"decompresses to more than {max_size} bytes")
    if not inflater.eof:
        raise InvalidCredential("bad_zlib", "truncated zlib stream")
    if inflater.unused_data:
        raise InvalidCredential("bad_zlib", "bytes after the end of the zlib stream")
    return data


def decode_text_cbor(text: str, *, prefix: str = DEFAULT_PREFIX, max_size: int = MAX_DECOMPRESSED) -> Any:
    """Decode the text and parse the inner bytes as exactly one CBOR item."""
    return cborio.loads(decode_text(text, prefix=prefix, max_size=max_size))
