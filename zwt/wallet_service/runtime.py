"""Per-process wallet caches: unsealed signing keys, the current trust bundle, rendered QR images."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from wallet.trust import TrustBundle

from ..container import services
from .keys import Signer

__all__ = ["BuiltBundle", "WalletRuntime", "runtime"]


@dataclass(frozen=True)
class BuiltBundle:
    """A signed trust bundle, its parsed form for online verification, and what identifies it."""

    generation: int
    iat: int
    data: bytes
    bundle: TrustBundle
    etag: str


class LruCache:
    """A small thread-safe LRU map (rendered QR images by ETag)."""

    def __init__(self, size: int) -> None:
        """Create an empty cache holding at most ``size`` entries."""
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """The cached value or None, refreshed as most recently used."""
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        """Remember a value, dropping the least recently used beyond the size."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)


@dataclass
class WalletRuntime:
    """Caches one app instance keeps in memory; every node rebuilds its own from the database."""

    signers: dict[str, Signer] = field(default_factory=dict)
    bundle: BuiltBundle | None = None
    bundle_checked_at: float = float("-inf")
    bundle_lock: threading.Lock = field(default_factory=threading.Lock)
    images: LruCache = field(default_factory=lambda: LruCache(256))


def runtime() -> WalletRuntime:
    """The current app's wallet runtime."""
    return services().wallet
