"""The blob storage port, content addressed by SHA-256, and its filesystem implementation.

A blob is stored under the hex SHA-256 of its bytes, so the same bytes are stored once however many
materials refer to them. Every implementation checks the address on ``put``: bytes that do not hash to
the digest they are put under are refused and nothing is stored.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO, BinaryIO, Protocol

from .spool import known_digest

__all__ = ["BlobStore", "BlobMissing", "DigestMismatch", "FilesystemStore", "sha256_of", "check_digest",
           "CHUNK"]

#: bytes read or written at a time: the whole file is never held in memory
CHUNK = 1024 * 1024
_DIGEST = re.compile(r"[0-9a-f]{64}\Z")


class BlobMissing(KeyError):
    """No blob is stored under this digest."""


class DigestMismatch(ValueError):
    """The bytes put under a digest do not hash to it; nothing was stored."""


class BlobStore(Protocol):
    """Where uploaded files live, by the SHA-256 of their bytes (lower-case hex)."""

    def put(self, digest: str, stream: IO[bytes]) -> None:
        """Store the bytes read from ``stream`` (to its end) under ``digest``; ``DigestMismatch`` if they do not
        hash to it. Putting the same digest again is harmless."""

    def get(self, digest: str) -> BinaryIO:
        """A readable stream of the blob (the caller closes it); ``BlobMissing`` when there is none."""

    def exists(self, digest: str) -> bool:
        """Whether a blob is stored under ``digest``."""

    def delete(self, digest: str) -> None:
        """Remove the blob; deleting a missing one is not an error."""


def check_digest(digest: str) -> str:
    """``digest`` if it is 64 lower-case hex characters (it names a path or an object key), else ValueError."""
    if not _DIGEST.match(digest):
        raise ValueError("a blob digest is 64 lower-case hex characters")
    return digest


def sha256_of(stream: IO[bytes]) -> str:
    """The hex SHA-256 of the rest of ``stream``, read in chunks (it is left at its end)."""
    hasher = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        hasher.update(chunk)
    return hasher.hexdigest()


class FilesystemStore:
    """Blobs as files ``<root>/<first two hex>/<digest>``, written to a temporary file, synced, then renamed
    into place, so a reader never sees half a blob and a crash leaves at most a stray temporary file."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, digest: str) -> Path:
        return self.root / check_digest(digest)[:2] / digest

    def put(self, digest: str, stream: IO[bytes]) -> None:
        """Copy ``stream`` into place while hashing it; refuse it if it is not ``digest``. A ``HashedSpool``
        hashed its bytes as they were written: its own digest is compared instead of hashing them again."""
        path = self._path(digest)
        known = known_digest(stream)
        if known is not None and known != digest:
            raise DigestMismatch(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        hasher = hashlib.sha256() if known is None else None
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".put-", delete=False) as out:
            try:
                while chunk := stream.read(CHUNK):
                    if hasher is not None:
                        hasher.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
                if hasher is not None and hasher.hexdigest() != digest:
                    raise DigestMismatch(digest)
            except BaseException:
                out.close()
                os.unlink(out.name)
                raise
        os.replace(out.name, path)

    def get(self, digest: str) -> BinaryIO:
        """Open the blob for reading."""
        try:
            return open(self._path(digest), "rb")
        except FileNotFoundError:
            raise BlobMissing(digest) from None

    def exists(self, digest: str) -> bool:
        """Whether the blob's file is there."""
        return self._path(digest).is_file()

    def delete(self, digest: str) -> None:
        """Remove the blob's file."""
        self._path(digest).unlink(missing_ok=True)
