"""An in-memory term index: the reference implementation that the database search must match."""

from __future__ import annotations

from collections import Counter
from typing import Generic, Hashable, Iterable, Mapping, TypeVar

from services_catalog.ranking import popularity_bonus, relevance
from services_catalog.search import Query, SearchDoc, analyze_query, doc_terms

__all__ = ["SearchIndex", "candidates_from_postings"]

K = TypeVar("K", bound=Hashable)


def candidates_from_postings(query: Query, postings: Mapping[str, set[K]]) -> set[K]:
    """Return the ids matching any alternative: those holding at least ``alt.needed`` of its terms.

    This is the whole matching algorithm, written against plain posting lists so the database can
    do the same per alternative: ``SELECT item_id FROM item_terms WHERE term IN (:terms)
    GROUP BY item_id HAVING COUNT(*) >= :needed`` (one row per item and term), then a union.
    """
    found: set[K] = set()
    for alt in query.alternatives:
        lists = [postings.get(term) or set() for term in alt.terms]
        if not lists:
            continue
        if alt.needed >= len(lists):
            ordered = sorted(lists, key=len)  # smallest first keeps the intersection cheap
            matched = set(ordered[0])
            for ids in ordered[1:]:
                matched &= ids
                if not matched:
                    break
        else:
            counts = Counter(key for ids in lists for key in ids)
            matched = {key for key, count in counts.items() if count >= alt.needed}
        found |= matched
    return found


class SearchIndex(Generic[K]):
    """Posting lists ``term -> ids`` plus each id's document and popularity, searched like the database."""

    def __init__(self) -> None:
        self._postings: dict[str, set[K]] = {}
        self._docs: dict[K, SearchDoc] = {}
        self._terms: dict[K, set[str]] = {}
        self._popularity: dict[K, int] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, key: K, doc: SearchDoc, *, popularity: int = 0) -> None:
        """Index ``doc`` under ``key``, replacing what was indexed for it before."""
        self.remove(key)
        terms = doc_terms(doc)
        for term in terms:
            self._postings.setdefault(term, set()).add(key)
        self._docs[key], self._terms[key], self._popularity[key] = doc, terms, popularity

    def add_many(self, entries: Iterable[tuple[K, SearchDoc, int]]) -> None:
        """Index many (key, document, popularity) entries."""
        for key, doc, popularity in entries:
            self.add(key, doc, popularity=popularity)

    def remove(self, key: K) -> None:
        """Forget ``key`` (a no-op when it is not indexed)."""
        for term in self._terms.pop(key, set()):
            ids = self._postings[term]
            ids.discard(key)
            if not ids:
                del self._postings[term]
        self._docs.pop(key, None)
        self._popularity.pop(key, None)

    def terms_of(self, key: K) -> frozenset[str]:
        """Return the terms stored for ``key``, as the database would hold them."""
        return frozenset(self._terms.get(key, ()))

    def candidates(self, query: Query | str) -> set[K]:
        """Return the ids matching the query, before ranking."""
        analyzed = analyze_query(query) if isinstance(query, str) else query
        return candidates_from_postings(analyzed, self._postings)

    def search(self, query: Query | str, *, limit: int | None = 20) -> list[tuple[K, float]]:
        """Return (id, score) of the best matches, best first; equal scores in id order for stable paging."""
        analyzed = analyze_query(query) if isinstance(query, str) else query
        # Items with the same texts (a district's copy of a city item) share one relevance per query.
        memo: dict[SearchDoc, float] = {}
        ranked: list[tuple[K, float]] = []
        for key in self.candidates(analyzed):
            doc = self._docs[key]
            base = memo.get(doc)
            if base is None:
                base = memo[doc] = relevance(doc, analyzed)
            ranked.append((key, base + popularity_bonus(self._popularity[key]) if base > 0 else 0.0))
        ranked.sort(key=lambda pair: (-pair[1], str(pair[0])))
        return ranked if limit is None else ranked[:limit]
