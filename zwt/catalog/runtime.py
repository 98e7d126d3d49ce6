"""What one app instance keeps in memory for the catalog, built once by ``create_app``.

The search replica, the finished-page cache, this worker's view of the catalog generation and the
home-screen aggregator (with its thread pool and result cache) are per-process state. They are built
here from the composition root's arguments, so a test that passes a clock, an executor or department
fakes to ``create_app`` reaches every one of them.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services_catalog.aggregator import Aggregator
from services_catalog.cache import CachePolicy, CacheStore, MemoryStore
from services_catalog.cache import ResultCache
from services_catalog.clock import RealWaitingClock
from services_catalog.items import ServiceItem
from services_catalog.observer import DepartmentObserver

from ..clock import Clock
from ..config import Config
from ..lru import LruCache
from .browse import SearchPageCache
from .freshness import GenerationCache
from .memory_index import CatalogIndex

if TYPE_CHECKING:
    from redis import Redis

    from services_catalog.clock import WaitingClock
    from services_catalog.departments import Departments

__all__ = ["CatalogRuntime", "WallTimeOf", "build_catalog_runtime", "RedisCacheStore", "SealedCacheStore"]


@dataclass(frozen=True)
class CatalogRuntime:
    """The catalog's per-process collaborators, typed, built once per app."""

    generations: GenerationCache
    index: CatalogIndex
    pages: SearchPageCache
    aggregator: Aggregator
    #: parsed items by (impl_code, change_seq, version): a row's change_seq moves on every change, so an
    #: entry is never stale, only unused (``repository.published_item``)
    items: LruCache[tuple[str, int, int], ServiceItem] = field(default_factory=lambda: LruCache(256))


class WallTimeOf:
    """The aggregator's clock: wall time from the app's injected clock, waits and deadlines in real time.

    Data ages and cache expiry follow the clock the app was built with (a test's fixed clock included);
    waiting for a slow department cannot be anything but real unless a test passes a virtual clock.
    """

    def __init__(self, clock: Clock, waits: WaitingClock | None = None) -> None:
        self._clock = clock
        self._waits = waits or RealWaitingClock()

    def now(self) -> float:
        """Wall-clock POSIX seconds from the app's clock."""
        return self._clock.timestamp()

    def monotonic(self) -> float:
        """Monotonic seconds for deadlines."""
        return self._waits.monotonic()

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds``."""
        self._waits.sleep(seconds)

    def event(self) -> threading.Event:
        """A fresh event this clock can wait for."""
        return self._waits.event()

    def wait_event(self, event: threading.Event, timeout: float | None) -> bool:
        """Wait for ``event`` at most ``timeout`` seconds."""
        return self._waits.wait_event(event, timeout)

    def wait_futures(self, futures: Iterable[cf.Future[Any]], timeout: float | None) -> set[cf.Future[Any]]:
        """Wait until one of ``futures`` is done or ``timeout`` passes."""
        return self._waits.wait_futures(futures, timeout)


class RedisCacheStore:
    """The aggregation cache in Redis, shared by every node (keys are keyed hashes, never ID numbers)."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client, self.prefix = client, prefix

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None."""
        value = self.client.get(self.prefix + key)
        return bytes(value) if value is not None else None

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Store with an expiry."""
        self.client.set(self.prefix + key, value, px=max(1, int(ttl_s * 1000)))


class SealedCacheStore:
    """A cache store whose values are AES-GCM sealed, each bound to its key: what departments answered about
    a citizen (licenses, account numbers) never rests in Redis, or in memory, in clear.

    A value that does not open (another key, a rotated secret, tampering) is a miss, never an error.
    """

    def __init__(self, inner: CacheStore, key: bytes, *, random_bytes: Callable[[int], bytes] = os.urandom) -> None:
        self.inner, self._aead, self._random = inner, AESGCM(key), random_bytes

    def get(self, key: str) -> bytes | None:
        """The opened value, or None."""
        sealed = self.inner.get(key)
        if sealed is None or len(sealed) < 12:
            return None
        try:
            return self._aead.decrypt(sealed[:12], sealed[12:], key.encode())
        except InvalidTag:
            return None

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Seal and store."""
        nonce = self._random(12)
        self.inner.set(key, nonce + self._aead.encrypt(nonce, value, key.encode()), ttl_s)


def build_catalog_runtime(cfg: Config, clock: Clock, departments: Departments, redis: Redis | None, *,
                          department_clock: WaitingClock | None = None,
                          department_executor: cf.Executor | None = None,
                          observer: DepartmentObserver | None = None) -> CatalogRuntime:
    """Build the catalog's per-process state from the composition root's arguments.

    ``department_clock`` replaces the aggregator's clock (tests pass a virtual one); by default it reads
    wall time from ``clock``. ``department_executor`` replaces the thread pool department calls run on
    (its threads start on the first overview, not here). ``observer`` hears every department call's outcome
    and breaker move (the service's metrics).
    """
    waits = department_clock or WallTimeOf(clock)
    executor = department_executor or cf.ThreadPoolExecutor(max_workers=16, thread_name_prefix="departments")
    plain: CacheStore = RedisCacheStore(redis, cfg.redis_prefix + "agg:") if redis is not None else MemoryStore(waits)
    seal_key = hashlib.sha256(b"zwt-aggregation-cache-seal|" + cfg.pii_keys[cfg.pii_active_version]).digest()
    store = SealedCacheStore(plain, seal_key)
    key_secret = hashlib.sha256(b"zwt-aggregation-cache|" + cfg.secret_key.encode()).digest()
    aggregator = Aggregator(departments, clock=waits, executor=executor, deadline_s=cfg.overview_deadline_s,
                            per_source_timeout_s=cfg.department_timeout_s,
                            cache=ResultCache(store, clock=waits, policy=CachePolicy(), key_secret=key_secret),
                            observer=observer)
    return CatalogRuntime(generations=GenerationCache(cfg.catalog_freshness_seconds, clock), index=CatalogIndex(),
                          pages=SearchPageCache(cfg.search_cache_size), aggregator=aggregator)
