"""A temporary file that hashes its bytes as they are written, so an upload is hashed once, while it spools.

The multipart parser spools an uploaded file into a :class:`HashedSpool`; the blob stores then take its
``digest`` instead of reading the bytes again. The spool vouches for its digest only while every write
appended at the end through ``write``: a write elsewhere or a truncation forgets it (``digest`` None, and the
stores hash the bytes themselves), and it gives out no file descriptor that could write behind its back
(``fileno`` is unsupported; Pillow then writes through ``write`` too).
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from typing import IO, Any, Iterable

__all__ = ["HashedSpool", "known_digest"]


class HashedSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
    """A binary ``SpooledTemporaryFile`` (in memory up to ``max_size``) with the SHA-256 of what was written."""

    def __init__(self, max_size: int = 0) -> None:
        super().__init__(max_size=max_size, mode="w+b")
        self._hasher: Any = hashlib.sha256()
        self._written = 0

    def write(self, s: Any) -> int:
        """Write ``s``; hash it too when it goes at the end of what was written so far."""
        if self._hasher is not None and self.tell() == self._written:
            self._hasher.update(s)
            self._written += memoryview(s).nbytes
        else:
            self._hasher = None
        return int(super().write(s))

    def writelines(self, lines: Iterable[Any]) -> None:
        """Write each of ``lines`` through ``write``."""
        for line in lines:
            self.write(line)

    def truncate(self, size: int | None = None) -> int:
        """Truncate, and stop vouching for the digest."""
        self._hasher = None
        return int(super().truncate(size))

    def fileno(self) -> int:
        """Unsupported: a descriptor could write bytes the digest never saw."""
        raise io.UnsupportedOperation("a HashedSpool gives out no file descriptor")

    @property
    def digest(self) -> str | None:
        """The hex SHA-256 of the spool's bytes, or None when they were not all written in order."""
        return self._hasher.hexdigest() if self._hasher is not None else None


def known_digest(stream: IO[bytes]) -> str | None:
    """The digest a ``HashedSpool`` at its start vouches for the bytes still to read; None for anything else."""
    if isinstance(stream, HashedSpool) and stream.tell() == 0:
        return stream.digest
    return None
