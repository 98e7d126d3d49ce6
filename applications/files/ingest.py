"""From an uploaded stream to a blob ready to store: size cap, type from the bytes, metadata stripped, digest."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO

from .images import KEPT, MAX_PIXELS, strip_metadata
from .kinds import SNIFF_BYTES, FileKind, FileRefused, check_claims, sniff
from .spool import HashedSpool, known_digest
from .storage import sha256_of

__all__ = ["Prepared", "prepare"]

#: images up to this size are re-encoded in memory, larger ones into a temporary file
_SPOOL_BYTES = 1024 * 1024


@dataclass
class Prepared:
    """A checked file: its kind, the bytes to store (``stream``, at its start), their SHA-256 and size, the size
    the citizen sent, and what of the original is kept (``("original",)`` for a PDF, stored as sent)."""

    kind: FileKind
    stream: IO[bytes]
    digest: str
    size: int
    sent_size: int
    kept: tuple[str, ...]


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def prepare(source: IO[bytes], *, name: str | None, media_type: str | None, max_bytes: int,
            max_pixels: int = MAX_PIXELS) -> Prepared:
    """Check ``source`` (seekable, at its start) and return what to store; ``FileRefused`` says why not.

    The type comes from the bytes (``kinds.sniff``) and must agree with the claimed name and media type;
    images are stripped of their metadata into a new stream, which the caller closes with ``source``.
    """
    sent = _size(source)
    if sent > max_bytes:
        raise FileRefused("too_large")
    kind = sniff(source.read(SNIFF_BYTES))
    source.seek(0)
    check_claims(kind, media_type=media_type, name=name)
    stream: IO[bytes] = source
    kept: tuple[str, ...] = ("original",)
    if kind.name in KEPT:
        stream = HashedSpool(max_size=_SPOOL_BYTES)
        try:
            strip_metadata(kind, source, stream, max_pixels=max_pixels)
        except BaseException:
            stream.close()
            raise
        kept = KEPT[kind.name]
        stream.seek(0)
    digest = known_digest(stream) or sha256_of(stream)  # a HashedSpool hashed its bytes as they were written
    size = _size(stream)
    return Prepared(kind, stream, digest, size, sent, kept)
