"""Per-process wallet caches: unsealed signing keys, the current trust bundle, rendered QR images, parsed issuer
keys.

The bundle is re-checked against the database's wallet generation at most every
``ZWT_BUNDLE_FRESHNESS_SECONDS``; a transaction of this worker that bumped the generation (it marks its
session, see ``keys.bump_wallet_generation``) makes the next fetch re-check as soon as it commits, so a
worker's own lock or revocation is in the very next bundle it serves.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from wallet.keys import PublicKey
from wallet.trust import TrustBundle

from ..container import services
from ..lru import LruCache
from .keys import Signer

__all__ = ["BuiltBundle", "IssuerKeyCache", "QrImageCache", "WalletRuntime", "runtime"]


@dataclass(frozen=True)
class BuiltBundle:
    """A signed trust bundle, its parsed form for online verification, and what identifies it."""

    generation: int
    iat: int
    data: bytes
    bundle: TrustBundle
    etag: str


QrImageCache = LruCache[str, bytes]
"""Rendered QR images (PNG or SVG bytes) by ETag."""

IssuerKeyCache = LruCache[tuple[int, bytes], PublicKey]
"""Parsed public keys of departments' push-signing keys, by (key row id, SHA-256 of its SPKI DER)."""


@dataclass
class WalletRuntime:
    """Caches one app instance keeps in memory; every node rebuilds its own from the database."""

    signers: dict[str, Signer] = field(default_factory=dict)
    bundle: BuiltBundle | None = None
    bundle_checked_at: float = float("-inf")
    bundle_epoch: int = 0  # moved by every own change: a generation read that straddles one is not trusted
    bundle_lock: threading.Lock = field(default_factory=threading.Lock)  # one build at a time
    check_lock: threading.Lock = field(default_factory=threading.Lock)  # guards the two fields above it
    images: QrImageCache = field(default_factory=lambda: QrImageCache(256))
    issuer_keys: IssuerKeyCache = field(default_factory=lambda: IssuerKeyCache(64))  # parsed push-signing keys

    def recheck_bundle(self) -> None:
        """Make the next ``bundle.current_bundle`` read the generation from the database."""
        with self.check_lock:
            self.bundle_epoch += 1
            self.bundle_checked_at = float("-inf")

    def bundle_check(self) -> tuple[float, int]:
        """When the generation was last read, and the epoch to hand back to ``bundle_checked``."""
        with self.check_lock:
            return self.bundle_checked_at, self.bundle_epoch

    def bundle_checked(self, at: float, epoch: int) -> None:
        """Record a generation read made at ``at``, unless an own change committed since ``epoch`` was taken."""
        with self.check_lock:
            if self.bundle_epoch == epoch:
                self.bundle_checked_at = at


def runtime() -> WalletRuntime:
    """The current app's wallet runtime."""
    return services().wallet
