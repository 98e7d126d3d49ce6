"""Test doubles of this package: an in-memory ``BlobStore`` that records what was put and deleted."""

from __future__ import annotations

import hashlib
import io
from typing import IO, BinaryIO

from .storage import BlobMissing, DigestMismatch, check_digest

__all__ = ["MemoryStore"]


class MemoryStore:
    """Blobs in a dict; ``puts`` and ``deletes`` list the digests in the order they came."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.puts: list[str] = []
        self.deletes: list[str] = []

    def put(self, digest: str, stream: IO[bytes]) -> None:
        """Keep the bytes if they hash to ``digest``."""
        data = stream.read()
        if hashlib.sha256(data).hexdigest() != check_digest(digest):
            raise DigestMismatch(digest)
        self.puts.append(digest)
        self.blobs[digest] = data

    def get(self, digest: str) -> BinaryIO:
        """The bytes as a stream."""
        try:
            return io.BytesIO(self.blobs[check_digest(digest)])
        except KeyError:
            raise BlobMissing(digest) from None

    def exists(self, digest: str) -> bool:
        """Whether the digest is kept."""
        return check_digest(digest) in self.blobs

    def delete(self, digest: str) -> None:
        """Forget the bytes."""
        self.deletes.append(check_digest(digest))
        self.blobs.pop(digest, None)
