"""Ranking and highlighting of search candidates, computed from their stored ``SearchDoc``."""

from __future__ import annotations

import math
from functools import lru_cache

from services_catalog.search import (
    FIELD_ALIAS_SYNONYM,
    FIELD_NAME,
    FIELD_NAME_SYNONYM,
    Alternative,
    Query,
    SearchDoc,
    SearchText,
)
from services_catalog.textnorm import initials_of, joined_pinyin, normalize_with_map, pinyin_of

__all__ = ["score", "relevance", "popularity_bonus", "highlight", "TIERS"]

# Points for how an alternative meets a text: the whole text, its beginning, a contiguous part, or
# only all its terms somewhere. Name beats short name and aliases; a synonym variant of a text scores
# like the text minus 2. A coverage bonus below 5 prefers short names; popularity adds below 1.
TIERS = {
    FIELD_NAME: {"exact": 100.0, "prefix": 80.0, "contains": 60.0, "terms": 40.0},
    "alias": {"exact": 75.0, "prefix": 55.0, "contains": 45.0, "terms": 30.0},
}
_SYNONYM_FIELD_COST = 2.0
# A weak reading (scattered initials) can cost more than its tier is worth; it still matched.
_FLOOR = 0.5


def _base_field(field: str) -> str:
    return FIELD_NAME if field in (FIELD_NAME, FIELD_NAME_SYNONYM) else "alias"


def _field_cost(text: SearchText) -> float:
    return _SYNONYM_FIELD_COST if text.field in (FIELD_NAME_SYNONYM, FIELD_ALIAS_SYNONYM) else 0.0


def _find(hay: str, needle: str, starts: frozenset[int] | None) -> tuple[str, float] | None:
    """Return how ``needle`` occurs in ``hay`` (only at ``starts`` when given) and its coverage bonus."""
    if not needle or not hay:
        return None
    coverage = 5.0 * min(1.0, len(needle) / len(hay))
    if hay == needle:
        return "exact", coverage
    if hay.startswith(needle):
        return "prefix", coverage
    position = hay.find(needle, 1)
    while position != -1:
        if starts is None or position in starts:
            return "contains", coverage
        position = hay.find(needle, position + 1)
    return None


def _term_count(text: SearchText, alt: Alternative) -> int:
    # Character terms are substrings of the text, so they need no term set; pinyin terms do.
    if alt.mode == "text":
        return sum(term[2:] in text.text for term in alt.terms)
    return len(alt.terms & text.letter_terms)


def _pattern(text: SearchText, alt: Alternative) -> tuple[str, float] | None:
    if alt.mode == "text":
        return _find(text.text, alt.value, None)
    if not text.has_pinyin:
        return None
    if alt.mode == "pinyin":
        spelled, starts = text.spelled
        return _find(spelled, alt.value, starts)
    return _find(text.initials, alt.value, None)


def score(doc: SearchDoc, query: Query, *, popularity: int = 0) -> float:
    """Return the rank of a document for a query (0.0 when it does not match); higher ranks first."""
    base = relevance(doc, query)
    return base + popularity_bonus(popularity) if base > 0 else 0.0


def popularity_bonus(popularity: int) -> float:
    """The tie-break popularity adds to a matching document's relevance: log-scaled, always below one point."""
    return 1.0 - 1.0 / (1.0 + math.log1p(max(popularity, 0)))


def relevance(doc: SearchDoc, query: Query) -> float:
    """Return how well a document's texts meet the query, popularity aside (0.0 when it does not match).

    It depends on the texts only, so items sharing them (the districts' copies of one item) share it.
    """
    best, matched = 0.0, False
    for text in doc.texts:
        tiers = TIERS[_base_field(text.field)]
        field_cost = _field_cost(text)
        for alt in query.alternatives:
            found = _pattern(text, alt)
            if found is not None:
                tier, coverage = found
                best, matched = max(best, tiers[tier] - field_cost - alt.penalty + coverage), True
    # Scattered terms are the weakest tier; building a text's term set is only worth it when nothing
    # contiguous matched well enough (the common case skips it, which keeps ranking ~µs per item).
    if best < TIERS[FIELD_NAME]["terms"]:
        for text in doc.texts:
            tiers = TIERS[_base_field(text.field)]
            field_cost = _field_cost(text)
            for alt in query.alternatives:
                worth = tiers["terms"] - field_cost - alt.penalty
                if alt.terms and (worth > best or not matched) and _term_count(text, alt) >= alt.needed:
                    best, matched = max(best, worth), True
    return max(best, _FLOOR) if matched else 0.0


def _mark_text(norm: str, alt: Alternative, marks: list[bool]) -> None:
    value = alt.value
    if len(value) == 1:
        for i, char in enumerate(norm):
            if char == value:
                marks[i] = True
        return
    pairs = {value[i:i + 2] for i in range(len(value) - 1)}
    for i in range(len(norm) - 1):
        if norm[i:i + 2] in pairs:
            marks[i] = marks[i + 1] = True


def _mark_letters(norm: str, syllables: tuple[str, ...], alt: Alternative, marks: list[bool]) -> None:
    """Mark where the pinyin or initials reading occurs whole; failing that, the syllables and pairs of its
    terms, as the terms tier matched them (gjjtq lights 公积金 and 提取 in 出境定居提取住房公积金)."""
    if alt.mode == "initials":
        spelled, starts = initials_of(norm, syllables), frozenset(range(len(norm)))
        char_spans = [(i, i + 1) for i in range(len(norm))]
    else:
        spelled, starts = joined_pinyin(norm, syllables)
        edges = sorted(starts) + [len(spelled)]
        char_spans = list(zip(edges, edges[1:]))
    whole = False
    position = spelled.find(alt.value)
    while position != -1:
        if position in starts:
            whole = True
            end = position + len(alt.value)
            for i, (low, high) in enumerate(char_spans):
                if low < end and high > position:
                    marks[i] = True
        position = spelled.find(alt.value, position + 1)
    if whole:
        return
    for i, syllable in enumerate(syllables):
        if not syllable:
            continue
        if "q:" + syllable in alt.terms:
            marks[i] = True
        following = syllables[i + 1] if i + 1 < len(syllables) else ""
        if following and ("p:" + syllable + following in alt.terms
                          or "i:" + syllable[0] + following[0] in alt.terms):
            marks[i] = marks[i + 1] = True


@lru_cache(maxsize=8192)
def _name_forms(name: str) -> tuple[str, tuple[int, ...], tuple[str, ...]]:
    """Return a name normalised, where each normalised character came from, and its pinyin (names repeat)."""
    norm, origin = normalize_with_map(name)
    return norm, origin, pinyin_of(norm)


def highlight(name: str, query: Query) -> list[tuple[int, int]]:
    """Return the (start, end) spans of ``name`` (original indices, end exclusive) that the query matched.

    Character readings are tried first, then pinyin, then initials, so a query for 社保 does not also
    light up 申报 just because both spell ``sb``.
    """
    norm, origin, syllables = _name_forms(name)
    if not norm:
        return []
    marks = [False] * len(norm)
    for modes in (("text",), ("pinyin",), ("initials",)):
        for alt in query.alternatives:
            if alt.mode in modes:
                if alt.mode == "text":
                    _mark_text(norm, alt, marks)
                else:
                    _mark_letters(norm, syllables, alt, marks)
        if any(marks):
            break
    spans: list[tuple[int, int]] = []
    for i, marked in enumerate(marks):
        if not marked:
            continue
        start = origin[i]
        # Extend the last span only across adjacent original characters, so removed punctuation
        # between two matched parts is not highlighted.
        if spans and marks[i - 1] and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], start + 1)
        elif spans and spans[-1][1] > start:
            continue  # one original character folded into several normalised ones
        else:
            spans.append((start, start + 1))
    return spans
