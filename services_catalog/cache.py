"""The aggregation cache: stale-while-revalidate and stale-if-error over a pluggable byte store."""

from __future__ import annotations

import hashlib
import json
import logging
import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from .clock import WaitingClock
from .records import CitizenRecord, record_from_dict, record_to_dict

__all__ = [
    "CacheStore",
    "MemoryStore",
    "Codec",
    "JsonCodec",
    "RecordCodec",
    "CachePolicy",
    "Cached",
    "ResultCache",
]

T = TypeVar("T")
_log = logging.getLogger(__name__)
_STAMP = struct.Struct("!d")


class CacheStore(Protocol):
    """Where cached answers live: in memory here, Redis (``SET key value PX ttl``) when scaled out."""

    def get(self, key: str) -> bytes | None:
        """Return the stored bytes, or None when absent or expired."""
        ...

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Store bytes for ``ttl_s`` seconds."""
        ...


class MemoryStore:
    """A bounded, thread-safe in-memory store on an injected clock (least recently written goes first)."""

    def __init__(self, clock: WaitingClock, *, max_entries: int = 10_000) -> None:
        self._clock = clock
        self._max = max_entries
        self._lock = threading.Lock()
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        """Return the stored bytes unless expired."""
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry[0] <= self._clock.now():
                return None
            return entry[1]

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Store bytes until ``ttl_s`` seconds from now."""
        with self._lock:
            self._data.pop(key, None)
            self._data[key] = (self._clock.now() + ttl_s, value)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class Codec(Protocol[T]):
    """Turns cached values into bytes and back."""

    def dumps(self, value: T) -> bytes:
        """Serialise a value."""
        ...

    def loads(self, data: bytes) -> T:
        """Deserialise a value."""
        ...


class JsonCodec:
    """Codec for plain JSON values."""

    def dumps(self, value: Any) -> bytes:
        """Serialise as compact UTF-8 JSON."""
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def loads(self, data: bytes) -> Any:
        """Parse JSON."""
        return json.loads(data)


class RecordCodec:
    """Codec for :class:`CitizenRecord` values (JSON, never pickle: the store may be shared)."""

    def dumps(self, value: CitizenRecord) -> bytes:
        """Serialise a record as JSON."""
        return JsonCodec().dumps(record_to_dict(value))

    def loads(self, data: bytes) -> CitizenRecord:
        """Rebuild a record from JSON."""
        return record_from_dict(json.loads(data))


@dataclass(frozen=True)
class CachePolicy:
    """Fresh until ``fresh_s``, stale-while-revalidate until ``revalidate_s``, stale-if-error after."""

    fresh_s: float = 30.0
    revalidate_s: float = 300.0
    stale_if_error_s: float = 3600.0


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A cached value and how old it is."""

    value: T
    age_s: float


class ResultCache:
    """Per-source cached answers; keys are keyed hashes so ID numbers never appear in the store."""

    def __init__(self, store: CacheStore, *, clock: WaitingClock, policy: CachePolicy = CachePolicy(),
                 key_secret: bytes = b"") -> None:
        self.store = store
        self.policy = policy
        self._clock = clock
        self._secret = key_secret[:64]

    def key(self, *parts: str) -> str:
        """Return the store key of ``parts`` (e.g. "overview", an ID number, a department code)."""
        digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), key=self._secret, digest_size=16)
        return "sc:" + digest.hexdigest()

    def get(self, key: str, codec: Codec[T]) -> Cached[T] | None:
        """Return the cached value and its age, or None (also when the entry or store is unreadable)."""
        try:
            raw = self.store.get(key)
        except Exception:  # a cache outage must not fail the request: go to the departments instead
            _log.warning("aggregation cache unreadable", exc_info=True)
            return None
        if raw is None or len(raw) < _STAMP.size:
            return None
        (stored_at,) = _STAMP.unpack_from(raw)
        try:
            value = codec.loads(raw[_STAMP.size:])
        except (ValueError, KeyError, TypeError):
            return None
        return Cached(value, max(self._clock.now() - stored_at, 0.0))

    def put(self, key: str, value: T, codec: Codec[T]) -> None:
        """Store a fresh value, kept as long as it may still be served stale; store errors are logged."""
        ttl = max(self.policy.fresh_s, self.policy.revalidate_s, self.policy.stale_if_error_s)
        try:
            self.store.set(key, _STAMP.pack(self._clock.now()) + codec.dumps(value), ttl)
        except Exception:  # a cache outage must not lose the answer we already have
            _log.warning("aggregation cache unwritable", exc_info=True)
