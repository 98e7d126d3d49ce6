"""Public rating statistics: counts per level and the satisfaction rate, per item or per department.

Nothing identifies a person: only codes, counts and rates leave. Finished answers are cached per process by
the ratings generation, a counter in the shared state (Redis or the database) every rating change bumps, so
every node drops its cached answers at once and the ETag changes with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import func, select

from ..container import Services
from ..db import session
from ..lru import LruCache
from ..models import RatingRow

__all__ = ["StatsCache", "bump_generation", "generation", "stats", "SATISFIED_FROM"]

SATISFIED_FROM = 3  # 基本满意 and better count as satisfied
_KEY = "ratings:generation"
_TTL = 400 * 86400.0  # the counter outlives any cached answer; its loss only costs a recomputation
_CHINA = dt.timezone(dt.timedelta(hours=8))


class StatsCache(LruCache[tuple[int, str], tuple[str, bytes]]):
    """Finished statistics answers (ETag, body) by (generation, query)."""

    def __init__(self, size: int = 256) -> None:
        super().__init__(size)


def generation(svc: Services) -> int:
    """The current ratings generation."""
    return svc.shared.get(_KEY, now=svc.clock.timestamp())[0]


def bump_generation(svc: Services) -> None:
    """Mark every cached statistics answer stale (after a rating is given or changed)."""
    svc.shared.incr(_KEY, ttl=_TTL, now=svc.clock.timestamp())


def _bounds(since: dt.date | None, until: dt.date | None) -> list[Any]:
    clauses: list[Any] = []
    if since is not None:
        clauses.append(RatingRow.rated_at >= dt.datetime.combine(since, dt.time(), _CHINA))
    if until is not None:
        clauses.append(RatingRow.rated_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), _CHINA))
    return clauses


def stats(*, group: str, since: dt.date | None, until: dt.date | None, key: str | None) -> dict[str, Any]:
    """Counts per level and the satisfaction rate of each item (or department) over the period."""
    column = RatingRow.item_code if group == "item" else RatingRow.department_code
    query = select(column, RatingRow.level, func.count()).where(*_bounds(since, until))
    if key:
        query = query.where(column == key)
    groups: dict[str, dict[int, int]] = {}
    for code, level, count in session().execute(query.group_by(column, RatingRow.level)):
        groups.setdefault(code, {})[level] = count
    out = []
    for code in sorted(groups):
        levels = groups[code]
        total = sum(levels.values())
        satisfied = sum(n for level, n in levels.items() if level >= SATISFIED_FROM)
        out.append({"code": code, "total": total,
                    "levels": {str(level): levels.get(level, 0) for level in range(5, 0, -1)},
                    "satisfaction_rate": round(satisfied / total, 4)})
    return {"group": group, "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None, "items": out}


def cached_stats(args: dict[str, Any], svc: Services, cache: StatsCache) -> tuple[str, bytes]:
    """The (ETag, JSON body) of a statistics query, from the cache while no rating changed."""
    query = json.dumps({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in sorted(args.items())})
    gen = generation(svc)
    found = cache.get((gen, query))
    if found is not None:
        return found
    body = json.dumps(stats(**args), ensure_ascii=False).encode()
    tag = f"r{gen}-" + hashlib.sha256(body).hexdigest()[:16]
    cache.put((gen, query), (tag, body))
    return tag, body
