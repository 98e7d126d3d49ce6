"""Catalog search on the database, the same on SQLite and PostgreSQL.

The database finds candidates through the term postings (``services_catalog.search``: one
``GROUP BY item_id HAVING COUNT(*) >= needed`` per query alternative, unioned) and applies the filters;
Python ranks the candidates with ``services_catalog.ranking.score`` from search documents kept in a
per-process cache that the catalog generation invalidates.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import Session

from services_catalog.ranking import highlight, score
from services_catalog.search import Query, SearchDoc, analyze_query

from ..models import ItemTag, ItemTerm, ServiceItemRow
from .repository import generation

__all__ = ["Filters", "SearchResult", "SearchPage", "DocCache", "search", "SORTS", "WEAK_PENALTY",
           "MAX_WEAK_CANDIDATES"]

SORTS = ("relevance", "popular", "name")
# Alternatives this weak (bare pinyin initials) can match a large part of the catalog; only the most
# popular of the items they alone find are ranked, which bounds the cost of a 2-letter query.
WEAK_PENALTY = 40.0
MAX_WEAK_CANDIDATES = 300


@dataclass(frozen=True)
class Filters:
    """Narrowing a search: every field set must hold."""

    department: str | None = None
    theme: str | None = None
    life_event: str | None = None
    persona: str | None = None
    item_type: str | None = None
    online_depth: int | None = None
    zero_visits: bool | None = None
    e_license_exempt: bool | None = None
    handling_type: str | None = None
    region: str | None = None
    status: str = "published"


@dataclass(frozen=True)
class SearchResult:
    """One hit: the stored row, its score and the name's highlight spans."""

    row: ServiceItemRow
    score: float
    highlight: list[tuple[int, int]]


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, the total number of matches and how the query was read."""

    results: list[SearchResult]
    total: int
    query_kind: str
    generation: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class DocCache:
    """Parsed search documents by item id, valid for one catalog generation (one per process)."""

    def __init__(self) -> None:
        self._docs: dict[int, SearchDoc] = {}
        self._generation = -1
        self._lock = threading.Lock()

    def get_many(self, sess: Session, ids: Iterable[int], gen: int) -> dict[int, SearchDoc]:
        """Documents for ``ids``, loading the missing ones in one query."""
        with self._lock:
            if gen != self._generation:
                self._docs, self._generation = {}, gen
            docs = self._docs
        wanted = list(ids)
        missing = [i for i in wanted if i not in docs]
        for start in range(0, len(missing), 900):
            chunk = missing[start:start + 900]
            for item_id, stored in sess.execute(select(ServiceItemRow.id, ServiceItemRow.search_doc)
                                                .where(ServiceItemRow.id.in_(chunk))):
                docs[item_id] = SearchDoc.from_dict(stored)
        return {i: docs[i] for i in wanted if i in docs}


def _filtered(stmt: Select[Any], filters: Filters) -> Select[Any]:
    item = ServiceItemRow
    stmt = stmt.where(item.status == filters.status)
    for column, value in ((item.department_code, filters.department), (item.item_type, filters.item_type),
                          (item.online_depth, filters.online_depth), (item.handling_type, filters.handling_type),
                          (item.region_code, filters.region), (item.e_license_exempt, filters.e_license_exempt)):
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.zero_visits is not None:
        stmt = stmt.where((item.visit_count == 0) if filters.zero_visits else (item.visit_count > 0))
    for kind, value in (("theme", filters.theme), ("life_event", filters.life_event),
                        ("persona", filters.persona)):
        if value is not None:
            stmt = stmt.where(item.id.in_(select(ItemTag.item_id).where(ItemTag.kind == kind,
                                                                        ItemTag.value == value)))
    return stmt


def _alternative_select(terms: list[str], needed: int) -> Select[Any]:
    return (select(ItemTerm.item_id).where(ItemTerm.term.in_(terms))
            .group_by(ItemTerm.item_id).having(func.count() >= needed))


def _candidates(sess: Session, query: Query, filters: Filters) -> list[tuple[int, int]]:
    """(id, popularity) of filtered items matching any alternative; weak-only matches capped."""
    strong = [a for a in query.alternatives if a.terms and a.penalty < WEAK_PENALTY]
    weak = [a for a in query.alternatives if a.terms and a.penalty >= WEAK_PENALTY]
    base = select(ServiceItemRow.id, ServiceItemRow.popularity)
    found: dict[int, int] = {}
    if strong:
        parts = [_alternative_select(sorted(a.terms), a.needed) for a in strong]
        ids = parts[0] if len(parts) == 1 else union(*parts)
        found.update(sess.execute(_filtered(base, filters).where(ServiceItemRow.id.in_(ids))).all())
    if weak:
        parts = [_alternative_select(sorted(a.terms), a.needed) for a in weak]
        ids = parts[0] if len(parts) == 1 else union(*parts)
        stmt = (_filtered(base, filters).where(ServiceItemRow.id.in_(ids))
                .order_by(ServiceItemRow.popularity.desc(), ServiceItemRow.id).limit(MAX_WEAK_CANDIDATES))
        for item_id, popularity in sess.execute(stmt):
            found.setdefault(item_id, popularity)
    return list(found.items())


def search(sess: Session, q: str, filters: Filters, *, sort: str = "relevance", page: int = 1,
           per_page: int = 20, cache: DocCache) -> SearchPage:
    """Find, filter, rank and page published items; an empty ``q`` lists by popularity or name."""
    gen = generation(sess)
    offset = (page - 1) * per_page
    query = analyze_query(q) if q.strip() else None
    if query is None or not query.alternatives:
        order = ((ServiceItemRow.sort_key, ServiceItemRow.id) if sort == "name"
                 else (ServiceItemRow.popularity.desc(), ServiceItemRow.id))
        total = sess.scalar(_filtered(select(func.count(ServiceItemRow.id)), filters)) or 0
        rows = sess.scalars(_filtered(select(ServiceItemRow), filters).order_by(*order)
                            .offset(offset).limit(per_page)).all()
        return SearchPage([SearchResult(r, 0.0, []) for r in rows], int(total),
                          query.kind if query else "empty", gen)
    candidates = _candidates(sess, query, filters)
    docs = cache.get_many(sess, (i for i, _ in candidates), gen)
    scored = []
    for item_id, popularity in candidates:
        doc = docs.get(item_id)
        value = score(doc, query, popularity=popularity) if doc is not None else 0.0
        if value > 0:
            scored.append((value, popularity, item_id))
    if sort == "popular":
        scored.sort(key=lambda t: (-t[1], -t[0], t[2]))
    elif sort == "name":
        names = dict(sess.execute(select(ServiceItemRow.id, ServiceItemRow.sort_key)
                                  .where(ServiceItemRow.id.in_([t[2] for t in scored]))).all())
        scored.sort(key=lambda t: (names.get(t[2], ""), t[2]))
    else:
        scored.sort(key=lambda t: (-t[0], t[2]))
    window = scored[offset:offset + per_page]
    rows = {r.id: r for r in sess.scalars(select(ServiceItemRow)
                                          .where(ServiceItemRow.id.in_([t[2] for t in window])))}
    results = [SearchResult(rows[i], value, highlight(rows[i].name, query))
               for value, _, i in window if i in rows]
    return SearchPage(results, len(scored), query.kind, gen)
