"""Catalog search and listing, the same on SQLite and PostgreSQL.

Both run on the worker's replica (``memory_index.CatalogIndex``, caught up to the catalog generation
first): filters are set intersections over its facets, a query is read as alternatives
(``services_catalog.search``) and matched and ranked by the replica's ``SearchIndex``, and the page is
built from the list forms the replica holds. Without a query, items are listed by popularity or name.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Hashable

from sqlalchemy.orm import Session

from services_catalog.ranking import highlight
from services_catalog.search import analyze_query

from .memory_index import CatalogIndex
from .repository import generation

__all__ = ["Filters", "SearchResult", "SearchPage", "CatalogIndex", "search", "filtered_ids", "SORTS"]

SORTS = ("relevance", "popular", "name")


@dataclass(frozen=True)
class Filters:
    """Narrowing a search or a list: every field set must hold (see ``memory_index.facets_of``)."""

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

    def facets(self) -> list[tuple[str, Hashable]]:
        """Return the (filter, value) pairs an item must answer to."""
        return [(f.name, value) for f in fields(self) if (value := getattr(self, f.name)) is not None]


@dataclass(frozen=True)
class SearchResult:
    """One hit: the item's list form (``memory_index.summary_of``, and its JSON), its score and the name's
    highlight spans."""

    summary: dict[str, Any]
    summary_json: str
    score: float
    highlight: list[tuple[int, int]]


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, the total number of matches and how the query was read."""

    results: list[SearchResult]
    total: int
    query_kind: str
    generation: int = 0


def filtered_ids(sess: Session, filters: Filters, *, index: CatalogIndex, gen: int) -> list[int]:
    """Every published item passing the filters, most popular first (the replica caught up to ``gen``)."""
    index.refresh(sess, gen)
    return index.ordered("popular", index.matching(filters.facets()))


def search(sess: Session, q: str, filters: Filters, *, sort: str = "relevance", page: int = 1,
           per_page: int = 20, index: CatalogIndex, gen: int | None = None) -> SearchPage:
    """Find, filter, rank and page published items; an empty ``q`` lists by popularity or name.

    ``gen`` is the catalog generation the caller already read (read here when not given).
    """
    gen = generation(sess) if gen is None else gen
    index.refresh(sess, gen)
    offset = (page - 1) * per_page
    within = index.matching(filters.facets())
    query = analyze_query(q) if q.strip() else None
    entries = index.entries
    if query is None or not query.alternatives:
        ordered = index.ordered("name" if sort == "name" else "popular", within)
        return SearchPage([SearchResult(entries[i].summary, entries[i].summary_json, 0.0, [])
                           for i in ordered[offset:offset + per_page]], len(ordered), query.kind if query else "empty",
                          gen)
    scored = index.search.rank(query, within=within)
    if sort == "popular":
        popularity = index.search.popularity
        scored.sort(key=lambda t: (-popularity(t[0]), -t[1], t[0]))
    elif sort == "name":
        scored.sort(key=lambda t: (entries[t[0]].sort_key, t[0]))
    else:
        scored.sort(key=lambda t: (-t[1], t[0]))
    results = []
    spans: dict[str, list[tuple[int, int]]] = {}  # district copies share a name
    for item_id, value in scored[offset:offset + per_page]:
        entry = entries[item_id]
        name = entry.summary["name"]
        if name not in spans:
            spans[name] = highlight(name, query)
        results.append(SearchResult(entry.summary, entry.summary_json, value, spans[name]))
    return SearchPage(results, len(scored), query.kind, gen)
