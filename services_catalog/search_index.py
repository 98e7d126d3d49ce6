"""The one in-memory search index: posting lists, shared documents, matching and ranking.

Tests search it directly; each ``zwt`` worker keeps one as its replica of the published catalog (see
``zwt.catalog.memory_index``), so matching and ranking are written once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import AbstractSet, Generic, Hashable, Iterable, Mapping, TypeVar

from services_catalog.ranking import popularity_bonus, relevance
from services_catalog.search import PENALTY_INITIALS, Query, SearchDoc, analyze_query, doc_terms

__all__ = ["SearchIndex", "candidates_from_postings", "WEAK_PENALTY", "MAX_WEAK_CANDIDATES"]

K = TypeVar("K", bound=Hashable)

# Alternatives this weak (bare pinyin initials) can match a large part of the catalog; only the most
# popular of the items they alone find are ranked, which bounds the cost of a 2-letter query.
WEAK_PENALTY = PENALTY_INITIALS
MAX_WEAK_CANDIDATES = 300


def candidates_from_postings(query: Query, postings: Mapping[str, AbstractSet[K]]) -> set[K]:
    """Return the ids matching any alternative: those holding at least ``alt.needed`` of its terms.

    This is the whole matching algorithm, written against plain posting lists ``term -> ids``.
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


def _analyzed(query: Query | str) -> Query:
    return analyze_query(query) if isinstance(query, str) else query


class SearchIndex(Generic[K]):
    """Posting lists ``term -> ids`` plus each id's document (shared among equal ones) and popularity."""

    def __init__(self) -> None:
        self._postings: dict[str, set[K]] = {}
        self._docs: dict[K, SearchDoc] = {}
        self._popularity: dict[K, int] = {}
        self._bonus: dict[K, float] = {}  # popularity_bonus of each id, computed once
        # One shared document per distinct set of texts, with how many ids use it: a district's copy of a
        # city item has the same texts, so 10,000 demo items hold ~1,200 documents and ``rank`` scores
        # each of them once per query.
        self._shared: dict[SearchDoc, tuple[SearchDoc, int]] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def add(self, key: K, doc: SearchDoc, *, popularity: int = 0) -> None:
        """Index ``doc`` under ``key``, replacing what was indexed for it before."""
        self.remove(key)
        shared, users = self._shared.get(doc, (doc, 0))
        self._shared[shared] = (shared, users + 1)
        postings = self._postings
        for term in doc_terms(shared):
            ids = postings.get(term)
            if ids is None:
                postings[term] = {key}
            else:
                ids.add(key)
        self._docs[key], self._popularity[key], self._bonus[key] = shared, popularity, popularity_bonus(popularity)

    def add_many(self, entries: Iterable[tuple[K, SearchDoc, int]]) -> None:
        """Index many (key, document, popularity) entries."""
        for key, doc, popularity in entries:
            self.add(key, doc, popularity=popularity)

    def remove(self, key: K) -> None:
        """Forget ``key`` (a no-op when it is not indexed)."""
        doc = self._docs.pop(key, None)
        if doc is None:
            return
        del self._popularity[key], self._bonus[key]
        for term in doc_terms(doc):
            ids = self._postings[term]
            ids.discard(key)
            if not ids:
                del self._postings[term]
        shared, users = self._shared[doc]
        if users > 1:
            self._shared[shared] = (shared, users - 1)
        else:
            del self._shared[shared]

    def doc(self, key: K) -> SearchDoc:
        """Return the (shared) document indexed under ``key``."""
        return self._docs[key]

    def popularity(self, key: K) -> int:
        """Return the popularity indexed with ``key``."""
        return self._popularity[key]

    def shared_docs(self) -> int:
        """Return how many distinct documents the indexed ids share."""
        return len(self._shared)

    def terms_of(self, key: K) -> frozenset[str]:
        """Return the terms indexed for ``key``."""
        doc = self._docs.get(key)
        return frozenset(doc_terms(doc)) if doc is not None else frozenset()

    def candidates(self, query: Query | str, *, within: AbstractSet[K] | None = None) -> set[K]:
        """Return the ids matching the query (only those ``within``, when given), before ranking.

        Ids that only a weak reading (bare initials) finds are capped to the ``MAX_WEAK_CANDIDATES``
        most popular.
        """
        analyzed = _analyzed(query)
        strong = tuple(a for a in analyzed.alternatives if a.terms and a.penalty < WEAK_PENALTY)
        weak = tuple(a for a in analyzed.alternatives if a.terms and a.penalty >= WEAK_PENALTY)
        found = candidates_from_postings(replace(analyzed, alternatives=strong), self._postings)
        if within is not None:
            found &= within
        if weak:
            extra = candidates_from_postings(replace(analyzed, alternatives=weak), self._postings) - found
            if within is not None:
                extra &= within
            if len(extra) > MAX_WEAK_CANDIDATES:
                popularity = self._popularity
                extra = set(sorted(extra, key=lambda key: (-popularity[key], str(key)))[:MAX_WEAK_CANDIDATES])
            found |= extra
        return found

    def rank(self, query: Query | str, *, within: AbstractSet[K] | None = None) -> list[tuple[K, float]]:
        """Return every matching id with its score (relevance plus a popularity tie-break), unordered."""
        analyzed = _analyzed(query)
        memo: dict[int, float] = {}  # per shared document: district copies share one relevance per query
        out: list[tuple[K, float]] = []
        docs, bonus = self._docs, self._bonus
        for key in self.candidates(analyzed, within=within):
            doc = docs[key]
            base = memo.get(id(doc))
            if base is None:
                base = memo[id(doc)] = relevance(doc, analyzed)
            if base > 0:
                out.append((key, base + bonus[key]))
        return out

    def search(self, query: Query | str, *, limit: int | None = 20) -> list[tuple[K, float]]:
        """Return (id, score) of the best matches, best first; equal scores in id order for stable paging."""
        ranked = self.rank(query)
        ranked.sort(key=lambda pair: (-pair[1], str(pair[0])))
        return ranked if limit is None else ranked[:limit]
