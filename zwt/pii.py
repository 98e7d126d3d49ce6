"""Citizen ID numbers at rest: AES-GCM bound to their row, an HMAC blind index, masked display."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Callable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["PiiCipher", "PiiError", "mask_id_number", "mask_phone"]

_NONCE = 12


class PiiError(Exception):
    """Ciphertext that does not open under its key and row binding (tampered, moved or wrong key)."""


class PiiCipher:
    """Encrypts personal data with versioned keys; the table, column and row travel as associated data."""

    def __init__(self, keys: Mapping[int, bytes], active_version: int, blind_index_key: bytes,
                 *, random_bytes: Callable[[int], bytes] = os.urandom) -> None:
        if active_version not in keys:
            raise ValueError("the active key version has no key")
        if len(blind_index_key) < 32:
            raise ValueError("the blind-index key must be at least 32 bytes")
        self._keys = {v: AESGCM(k) for v, k in keys.items()}
        self.active_version = active_version
        self._blind_key = blind_index_key
        self._random = random_bytes

    @staticmethod
    def _aad(table: str, column: str, row: str, version: int) -> bytes:
        return f"zwt-pii|{table}|{column}|{row}|v{version}".encode()

    def encrypt(self, plaintext: str, *, table: str, column: str, row: str) -> tuple[bytes, int]:
        """Return (nonce + ciphertext, key version) under the active key."""
        version = self.active_version
        nonce = self._random(_NONCE)
        sealed = self._keys[version].encrypt(nonce, plaintext.encode(), self._aad(table, column, row, version))
        return nonce + sealed, version

    def decrypt(self, blob: bytes, version: int, *, table: str, column: str, row: str) -> str:
        """Open a value sealed by ``encrypt`` for exactly this table, column and row."""
        aead = self._keys.get(version)
        if aead is None:
            raise PiiError(f"no key for version {version}")
        try:
            return aead.decrypt(blob[:_NONCE], blob[_NONCE:], self._aad(table, column, row, version)).decode()
        except InvalidTag as exc:
            raise PiiError("ciphertext does not match its key or row") from exc

    def needs_rotation(self, version: int | None) -> bool:
        """Whether a value sealed under ``version`` should be re-encrypted under the active key."""
        return version is not None and version != self.active_version

    def blind_index(self, value: str, *, purpose: str = "id_number") -> str:
        """A keyed digest for equality look-ups that reveals nothing without the index key."""
        return hmac.new(self._blind_key, f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()


# The masking rules live in zwt.masking (one place); these names stay for the modules that import them here.
from .masking import mask_id_number, mask_phone  # noqa: E402
