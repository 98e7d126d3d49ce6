"""Each worker's in-memory replica of the published catalog: the search index, the filter facets and the
name order, caught up incrementally from the database by catalog generation.

The database stays the source of truth (each row's ``search_doc``, columns and tags); the replica turns a
query's candidate look-up and every filter into set operations, identically on SQLite and PostgreSQL, so
search and plain listing filter one way (``facets_of`` below). A cold worker builds it on its first
search (~1-3 s for 10,000 items; ``zwt.gunicorn_conf`` does it at start); later requests apply only the
rows whose ``change_seq`` is newer than the replica. It also holds each item's list form, so a page of
results costs no database round trip.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any, Hashable, Iterable

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from services_catalog.search import SearchDoc
from services_catalog.search_index import SearchIndex

from ..models import ItemTag, ServiceItemRow

__all__ = ["Entry", "CatalogIndex", "COLUMN_FACETS", "TAG_FACETS", "SUMMARY_COLUMNS", "facets_of", "summary_of",
           "summary_json", "page_json"]

Facet = tuple[str, Hashable]

#: Filters that ask for a column's exact value: filter name -> column of ``service_items``.
COLUMN_FACETS = {"department": "department_code", "item_type": "item_type", "online_depth": "online_depth",
                 "handling_type": "handling_type", "region": "region_code", "e_license_exempt": "e_license_exempt"}
#: Filters that ask for a tag of that kind (``item_tags``).
TAG_FACETS = ("theme", "life_event", "persona")

#: The columns of an item's list form (``summary_of``), in the order the API shows them.
SUMMARY_COLUMNS = ("impl_code", "name", "short_name", "department_code", "department_name", "region_code",
                   "item_type", "handling_type", "online_depth", "visit_count", "e_license_exempt", "themes",
                   "popularity")
_COLUMNS = tuple(getattr(ServiceItemRow, column) for column in sorted(
    {"id", "status", "sort_key", "search_doc", *SUMMARY_COLUMNS, *COLUMN_FACETS.values()}))


def summary_of(row: Any) -> dict[str, Any]:
    """Return the list form of a stored item (an ORM row or a row of its columns), highlight aside."""
    out = {column: getattr(row, column) for column in SUMMARY_COLUMNS}
    out["themes"] = list(out["themes"] or [])
    return out


def facets_of(row: Row[Any], tags: Iterable[tuple[str, str]]) -> frozenset[Facet]:
    """Return every (filter, value) an item answers to: the one place a filter's meaning is written."""
    out: set[Facet] = {(name, getattr(row, column)) for name, column in COLUMN_FACETS.items()}
    out.add(("zero_visits", row.visit_count == 0))
    out.update((kind, value) for kind, value in tags if kind in TAG_FACETS)
    return frozenset(out)


def summary_json(summary: dict[str, Any]) -> str:
    """Return the JSON of a list form without its closing brace, so a page appends the highlight to it."""
    return json.dumps(summary, ensure_ascii=False, separators=(",", ":"))[:-1]


def page_json(items: Iterable[tuple[str, list[tuple[int, int]]]], **rest: Any) -> bytes:
    """Return a result page as JSON: ``{"items": [...], **rest}`` from ``summary_json`` texts and highlights.

    Each item's JSON is made once when the replica takes it in, so a page joins strings instead of
    encoding twenty dictionaries (0.3 ms of an uncached search, about as much as the search itself).
    """
    encoded = ",".join(prefix + ',"highlight":[' + ",".join(f"[{a},{b}]" for a, b in spans) + "]}"
                       for prefix, spans in items)
    return ('{"items":[' + encoded + "]," + json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[1:]).encode()


@dataclass(frozen=True)
class Entry:
    """What the replica holds about one published item besides its search document."""

    sort_key: str
    facets: frozenset[Facet]
    summary: dict[str, Any]  # shared by every page showing the item: never changed in place
    summary_json: str  # ``summary_json(summary)``


class CatalogIndex:
    """The published items' search index, facets ``(filter, value) -> ids`` and orders, valid up to
    ``generation``."""

    def __init__(self) -> None:
        self.generation = -1
        self.search = SearchIndex[int]()
        self.entries: dict[int, Entry] = {}
        self._facets: dict[Facet, set[int]] = {}
        self._orders: dict[str, list[int]] = {}  # "popular" / "name" -> every id in that order
        self._lock = threading.Lock()

    def matching(self, facets: Iterable[Facet]) -> set[int] | None:
        """Return the ids answering to every facet (None: no facet asked, every item)."""
        sets = sorted((self._facets.get(facet, set()) for facet in facets), key=len)
        if not sets:
            return None
        out = set(sets[0])
        for ids in sets[1:]:
            out &= ids
        return out

    def ordered(self, sort: str, ids: set[int] | None = None) -> list[int]:
        """Return ``ids`` (or every item) most popular first, or by name for ``sort="name"``; ties by id."""
        with self._lock:
            order = self._orders.get(sort)
            if order is None:
                if sort == "name":
                    entries = self.entries
                    order = sorted(entries, key=lambda i: (entries[i].sort_key, i))
                else:
                    popularity = self.search.popularity
                    order = sorted(self.entries, key=lambda i: (-popularity(i), i))
                self._orders[sort] = order
        return order if ids is None else [i for i in order if i in ids]

    def refresh(self, sess: Session, generation: int) -> None:
        """Apply every item change stamped after the generation this replica holds."""
        if generation == self.generation:
            return
        with self._lock:
            if generation == self.generation:
                return
            # Core statements on the session's connection: the ORM's per-row machinery costs far more.
            conn = sess.connection()
            since = self.generation
            changed = conn.execute(select(*_COLUMNS).where(ServiceItemRow.change_seq > since)).fetchall()
            for row in changed:
                self._drop(row.id)
            tags: dict[int, list[tuple[str, str]]] = {}
            for item_id, kind, value in conn.execute(
                    select(ItemTag.item_id, ItemTag.kind, ItemTag.value)
                    .join(ServiceItemRow, ServiceItemRow.id == ItemTag.item_id)
                    .where(ServiceItemRow.change_seq > since, ServiceItemRow.status == "published")):
                tags.setdefault(item_id, []).append((kind, value))
            for row in changed:
                if row.status == "published":
                    self._add(row, tags.get(row.id, ()))
            self._orders.clear()
            self.generation = generation

    def _add(self, row: Row[Any], tags: Iterable[tuple[str, str]]) -> None:
        summary = summary_of(row)
        entry = Entry(row.sort_key, facets_of(row, tags), summary, summary_json(summary))
        self.entries[row.id] = entry
        self.search.add(row.id, SearchDoc.from_dict(row.search_doc), popularity=row.popularity)
        for facet in entry.facets:
            ids = self._facets.get(facet)
            if ids is None:
                self._facets[facet] = {row.id}
            else:
                ids.add(row.id)

    def _drop(self, item_id: int) -> None:
        entry = self.entries.pop(item_id, None)
        if entry is None:
            return
        self.search.remove(item_id)
        for facet in entry.facets:
            ids = self._facets.get(facet)
            if ids is not None:
                ids.discard(item_id)
                if not ids:
                    del self._facets[facet]
