"""What an uploaded file is, decided from its bytes: PDF, JPEG or PNG, never by the name or type it claims."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

__all__ = ["FileKind", "FileRefused", "KINDS", "SNIFF_BYTES", "sniff", "check_claims"]

#: how many leading bytes ``sniff`` needs
SNIFF_BYTES = 8


class FileRefused(Exception):
    """The one exception for a file we will not keep; ``reason`` says why.

    Reasons: ``unsupported_type`` (not a PDF, JPEG or PNG), ``type_mismatch`` (the claimed name or media type
    says another kind than the bytes), ``too_large`` (bytes or pixels over the limit), ``corrupt`` (the image
    does not decode).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FileKind:
    """One accepted kind: its short name, media type, the magic its bytes start with and its name endings."""

    name: str
    media_type: str
    magic: bytes
    extensions: tuple[str, ...]


KINDS: dict[str, FileKind] = {kind.name: kind for kind in (
    FileKind("pdf", "application/pdf", b"%PDF-", (".pdf",)),
    FileKind("jpeg", "image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg", ".jpe")),
    FileKind("png", "image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
)}

#: media types that claim nothing (a client that does not know what it sends)
_UNCLAIMED = {"", "application/octet-stream"}


def sniff(head: bytes) -> FileKind:
    """The kind the leading bytes show (at least ``SNIFF_BYTES`` of them), or ``FileRefused("unsupported_type")``."""
    for kind in KINDS.values():
        if head.startswith(kind.magic):
            return kind
    raise FileRefused("unsupported_type")


def check_claims(kind: FileKind, *, media_type: str | None, name: str | None) -> None:
    """Refuse (``type_mismatch``) a file whose claimed media type, or a name ending with a known type, says
    another kind than its bytes; a claim of nothing (no type, ``application/octet-stream``, no or an unknown
    ending) is no mismatch."""
    claimed = (media_type or "").split(";", 1)[0].strip().lower()
    if claimed == "image/jpg":  # a common misspelling of image/jpeg
        claimed = "image/jpeg"
    if claimed not in _UNCLAIMED and claimed != kind.media_type:
        raise FileRefused("type_mismatch")
    if name:
        guessed, _ = mimetypes.guess_type(name, strict=False)
        if guessed is not None and guessed != kind.media_type:
            raise FileRefused("type_mismatch")
