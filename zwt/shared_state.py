"""State every worker and node must share: token blocklist, throttle counters, replay cache.

The database holds it by default; Redis holds it when ``ZWT_REDIS_URL`` is set. Both honour the
injected clock (expiry instants are stored, not left to the server's own timer), so tests behave the
same on either and never sleep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Sequence

from sqlalchemy import ColumnElement, bindparam, case, delete, exists, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from .models import SharedEntry

if TYPE_CHECKING:
    import redis

__all__ = ["SharedState", "DatabaseSharedState", "RedisSharedState"]


class SharedState(Protocol):
    """Counters and markers with an expiry, shared by every process of the service."""

    def incr(self, key: str, *, ttl: float, now: float) -> tuple[int, float]:
        """Count one hit in the window that started at the key's first hit; return (count, expires_at)."""
        ...

    def decr(self, key: str, *, now: float) -> None:
        """Take back one hit of a live counter (never below zero); an expired or missing key stays as it is."""
        ...

    def get(self, key: str, *, now: float) -> tuple[int, float]:
        """The live (count, expires_at) of a key, or (0, now)."""
        ...

    def add(self, key: str, *, ttl: float, now: float) -> bool:
        """Set a marker unless a live one exists; True when newly set (replay caches, revocations)."""
        ...

    def any_live(self, keys: Sequence[str], *, now: float) -> bool:
        """Whether any of the keys holds a live marker or counter."""
        ...

    def any_live_clause(self, *key_params: str) -> ColumnElement[bool] | None:
        """``any_live`` as a SQL condition on bound parameters ``key_params`` and ``now``, or None.

        A query on the service's database can carry it (the token blocklist rides on the account read of
        every authenticated request: one round trip, not two); None when the state is not in that database.
        """
        ...

    def delete(self, key: str) -> None:
        """Forget a key."""
        ...

    def ping(self) -> None:
        """Raise when the backing store cannot be reached."""
        ...


# Checked on every authenticated request (the token blocklist): built once, only executed per call
# (constructing the statement each time cost more than running it).
_ANY_LIVE = (select(SharedEntry.key)
             .where(SharedEntry.key.in_(bindparam("keys", expanding=True)), SharedEntry.expires_at > bindparam("now"))
             .limit(1))


class DatabaseSharedState:
    """Shared state in the ``shared_state`` table, upserted atomically on SQLite and PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    def any_live_clause(self, *key_params: str) -> ColumnElement[bool]:
        """``any_live`` as a SQL condition on bound parameters ``key_params`` and ``now``, to ride on another query."""
        return exists().where(SharedEntry.key.in_([bindparam(name) for name in key_params]),
                              SharedEntry.expires_at > bindparam("now"))

    def incr(self, key: str, *, ttl: float, now: float) -> tuple[int, float]:
        """Count one hit in the window that started at the key's first hit; return (count, expires_at)."""
        table = SharedEntry.__table__
        stmt = self._insert(table).values(key=key, count=1, expires_at=now + ttl)
        live = table.c.expires_at > now
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"count": case((live, table.c.count + 1), else_=1),
                  "expires_at": case((live, table.c.expires_at), else_=now + ttl)},
        ).returning(table.c.count, table.c.expires_at)
        with self.engine.begin() as conn:
            count, expires_at = conn.execute(stmt).one()
        return int(count), float(expires_at)

    def decr(self, key: str, *, now: float) -> None:
        """Take back one hit of a live counter (never below zero)."""
        with self.engine.begin() as conn:
            conn.execute(update(SharedEntry).where(SharedEntry.key == key, SharedEntry.expires_at > now,
                                                   SharedEntry.count > 0)
                         .values(count=SharedEntry.count - 1))

    def get(self, key: str, *, now: float) -> tuple[int, float]:
        """The live (count, expires_at) of a key, or (0, now)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(SharedEntry.count, SharedEntry.expires_at)
                               .where(SharedEntry.key == key, SharedEntry.expires_at > now)).first()
        return (int(row[0]), float(row[1])) if row else (0, now)

    def add(self, key: str, *, ttl: float, now: float) -> bool:
        """Set a marker unless a live one exists; True when newly set."""
        table = SharedEntry.__table__
        stmt = self._insert(table).values(key=key, count=1, expires_at=now + ttl)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key], set_={"count": 1, "expires_at": now + ttl},
            where=table.c.expires_at <= now,
        ).returning(table.c.key)
        with self.engine.begin() as conn:
            return conn.execute(stmt).first() is not None

    def any_live(self, keys: Sequence[str], *, now: float) -> bool:
        """Whether any of the keys holds a live entry."""
        if not keys:
            return False
        with self.engine.connect() as conn:
            row = conn.execute(_ANY_LIVE, {"keys": list(keys), "now": now}).first()
        return row is not None

    def delete(self, key: str) -> None:
        """Forget a key."""
        with self.engine.begin() as conn:
            conn.execute(delete(SharedEntry).where(SharedEntry.key == key))

    def purge_expired(self, *, now: float) -> int:
        """Delete entries that expired (housekeeping; Redis does this by itself)."""
        with self.engine.begin() as conn:
            return conn.execute(delete(SharedEntry).where(SharedEntry.expires_at <= now)).rowcount

    def ping(self) -> None:
        """Raise when the database cannot be reached."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))


# Values are "count|expires_at"; Redis's own TTL only garbage-collects, the stored instant decides.
_INCR = """
local v = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[1])
if v then
  local sep = string.find(v, '|', 1, true)
  local c = tonumber(string.sub(v, 1, sep - 1))
  local e = string.sub(v, sep + 1)
  if tonumber(e) > now then
    c = c + 1
    redis.call('SET', KEYS[1], c .. '|' .. e, 'KEEPTTL')
    return {c, e}
  end
end
redis.call('SET', KEYS[1], '1|' .. ARGV[2], 'PX', ARGV[3])
return {1, ARGV[2]}
"""

_DECR = """
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local sep = string.find(v, '|', 1, true)
local c = tonumber(string.sub(v, 1, sep - 1))
local e = string.sub(v, sep + 1)
if tonumber(e) <= tonumber(ARGV[1]) or c <= 0 then return 0 end
redis.call('SET', KEYS[1], (c - 1) .. '|' .. e, 'KEEPTTL')
return 1
"""

_ADD = """
local v = redis.call('GET', KEYS[1])
if v then
  local sep = string.find(v, '|', 1, true)
  if tonumber(string.sub(v, sep + 1)) > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], '1|' .. ARGV[2], 'PX', ARGV[3])
return 1
"""


class RedisSharedState:
    """Shared state in Redis, for many nodes; keys are namespaced by ``prefix``."""

    def __init__(self, client: "redis.Redis", prefix: str = "zwt:") -> None:
        self.client = client
        self.prefix = prefix
        self._incr = client.register_script(_INCR)
        self._add = client.register_script(_ADD)
        self._decr = client.register_script(_DECR)

    @staticmethod
    def _gc_ms(ttl: float) -> int:
        return int(ttl * 1000) + 60_000

    @staticmethod
    def _parse(raw: bytes | str | None, now: float) -> tuple[int, float] | None:
        if raw is None:
            return None
        text = raw.decode() if isinstance(raw, bytes) else raw
        count, _, expires = text.partition("|")
        return (int(count), float(expires)) if float(expires) > now else None

    def incr(self, key: str, *, ttl: float, now: float) -> tuple[int, float]:
        """Count one hit in the current window; return (count, expires_at)."""
        count, expires = self._incr(keys=[self.prefix + key], args=[repr(now), repr(now + ttl), self._gc_ms(ttl)])
        return int(count), float(expires.decode() if isinstance(expires, bytes) else expires)

    def decr(self, key: str, *, now: float) -> None:
        """Take back one hit of a live counter (never below zero)."""
        self._decr(keys=[self.prefix + key], args=[repr(now)])

    def get(self, key: str, *, now: float) -> tuple[int, float]:
        """The live (count, expires_at) of a key, or (0, now)."""
        return self._parse(self.client.get(self.prefix + key), now) or (0, now)

    def add(self, key: str, *, ttl: float, now: float) -> bool:
        """Set a marker unless a live one exists; True when newly set."""
        return bool(self._add(keys=[self.prefix + key], args=[repr(now), repr(now + ttl), self._gc_ms(ttl)]))

    def any_live(self, keys: Sequence[str], *, now: float) -> bool:
        """Whether any of the keys holds a live entry."""
        if not keys:
            return False
        values = self.client.mget([self.prefix + k for k in keys])
        return any(self._parse(v, now) for v in values)

    def any_live_clause(self, *key_params: str) -> None:
        """None: the state is in Redis, which no database query can read (``any_live`` is one MGET)."""
        return None

    def delete(self, key: str) -> None:
        """Forget a key."""
        self.client.delete(self.prefix + key)

    def ping(self) -> None:
        """Raise when Redis cannot be reached."""
        self.client.ping()
