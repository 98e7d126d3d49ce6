"""Catalog search, the same on SQLite and PostgreSQL.

A query is read as alternatives (``services_catalog.search``); candidates come from each worker's
in-memory replica of the postings (``memory_index``, caught up from the database by catalog generation),
are filtered there and ranked with ``services_catalog.ranking.score``; only the page's rows are read from
the database. Listing without a query is plain SQL (filters, popularity or name order, paging).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services_catalog.ranking import highlight, popularity_bonus, relevance
from services_catalog.search import Query, analyze_query
from services_catalog.search_index import candidates_from_postings

from ..models import ItemTag, ServiceItemRow
from .memory_index import CatalogIndex, Entry
from .repository import generation

__all__ = ["Filters", "SearchResult", "SearchPage", "CatalogIndex", "search", "SORTS", "WEAK_PENALTY",
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


def _passes(entry: Entry, filters: Filters) -> bool:
    """Whether an indexed item passes the filters (the in-memory twin of ``_filtered``)."""
    checks = ((filters.department, entry.department_code), (filters.item_type, entry.item_type),
              (filters.online_depth, entry.online_depth), (filters.handling_type, entry.handling_type),
              (filters.region, entry.region_code), (filters.e_license_exempt, entry.e_license_exempt))
    if any(wanted is not None and wanted != actual for wanted, actual in checks):
        return False
    if filters.zero_visits is not None and filters.zero_visits != (entry.visit_count == 0):
        return False
    return all(value is None or (kind, value) in entry.tags
               for kind, value in (("theme", filters.theme), ("life_event", filters.life_event),
                                   ("persona", filters.persona)))


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


_NO_FILTERS = Filters()


def _candidates(index: CatalogIndex, query: Query, filters: Filters) -> list[int]:
    """Published items matching any alternative and passing the filters; weak-only matches capped."""
    strong = tuple(a for a in query.alternatives if a.terms and a.penalty < WEAK_PENALTY)
    weak = tuple(a for a in query.alternatives if a.terms and a.penalty >= WEAK_PENALTY)
    entries = index.entries
    unfiltered = filters == _NO_FILTERS  # the replica holds published items only
    found = {i for i in candidates_from_postings(replace(query, alternatives=strong), index.postings)
             if i in entries and (unfiltered or _passes(entries[i], filters))}
    if weak:
        extra = [i for i in candidates_from_postings(replace(query, alternatives=weak), index.postings)
                 if i not in found and i in entries and (unfiltered or _passes(entries[i], filters))]
        extra.sort(key=lambda i: (-entries[i].popularity, i))
        found.update(extra[:MAX_WEAK_CANDIDATES])
    return list(found)


def search(sess: Session, q: str, filters: Filters, *, sort: str = "relevance", page: int = 1,
           per_page: int = 20, index: CatalogIndex, gen: int | None = None) -> SearchPage:
    """Find, filter, rank and page published items; an empty ``q`` lists by popularity or name.

    ``gen`` is the catalog generation the caller already read (read here when not given).
    """
    gen = generation(sess) if gen is None else gen
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
    index.refresh(sess, gen)
    entries = index.entries
    scored = []
    memo: dict[int, float] = {}  # per shared document (see CatalogIndex._intern)
    for item_id in _candidates(index, query, filters):
        entry = entries[item_id]
        base = memo.get(id(entry.doc))
        if base is None:
            base = memo[id(entry.doc)] = relevance(entry.doc, query)
        if base > 0:
            scored.append((base + popularity_bonus(entry.popularity), entry.popularity, item_id))
    if sort == "popular":
        scored.sort(key=lambda t: (-t[1], -t[0], t[2]))
    elif sort == "name":
        scored.sort(key=lambda t: (entries[t[2]].sort_key, t[2]))
    else:
        scored.sort(key=lambda t: (-t[0], t[2]))
    window = scored[offset:offset + per_page]
    rows = {r.id: r for r in sess.scalars(select(ServiceItemRow)
                                          .where(ServiceItemRow.id.in_([t[2] for t in window])))}
    spans: dict[str, list[tuple[int, int]]] = {}
    for i in rows:
        if rows[i].name not in spans:
            spans[rows[i].name] = highlight(rows[i].name, query)
    results = [SearchResult(rows[i], value, spans[rows[i].name]) for value, _, i in window if i in rows]
    return SearchPage(results, len(scored), query.kind, gen)
