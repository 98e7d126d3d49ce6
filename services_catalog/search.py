"""Catalog search done in Python so SQLite and PostgreSQL behave alike: index terms, query analysis, ranking.

On write, an item becomes a ``SearchDoc`` (its normalised name, short name, aliases and their synonym
variants, each with per-character pinyin), which the service stores with the item; its short index terms
(``doc_terms``) are derived from it wherever an index is built (``search_index.SearchIndex``). A query
becomes alternatives, each a set of terms that must be present; the candidates are the union over
alternatives of the intersection of the terms' posting lists, and ``ranking.score`` ranks them from
their documents.

Terms (prefix, then value): ``u:`` one character, ``h:`` two adjacent characters of the normalised
text (any script, so 2-character queries work), ``q:`` one pinyin syllable, ``p:`` two adjacent
syllables concatenated, ``i:`` the initials of two adjacent hanzi.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import product
from typing import Any, Iterable, Mapping

from services_catalog.items import ServiceItem
from services_catalog.synonyms import SYNONYM_GROUPS, synonym_variants, synonyms_of
from services_catalog.textnorm import (
    MAX_QUERY_CHARS,
    initials_of,
    is_hanzi,
    joined_pinyin,
    normalize,
    pinyin_of,
    segment_pinyin,
)

__all__ = [
    "SearchText",
    "SearchDoc",
    "Alternative",
    "Query",
    "search_document",
    "document_for",
    "text_terms",
    "doc_terms",
    "index_terms",
    "analyze_query",
    "QUERY_KINDS",
]

QUERY_KINDS = ("hanzi", "pinyin", "initials", "mixed", "empty")
FIELD_NAME, FIELD_NAME_SYNONYM = "name", "name_synonym"
FIELD_ALIAS, FIELD_ALIAS_SYNONYM = "alias", "alias_synonym"
# How much an alternative's match is worth less than the literal query: a synonym or a pinyin
# homophone is nearly as good; a bare initials match (sb also spells 申报) is a weak guess that must
# rank below any character match of a word the initials stand for (社保).
PENALTY_SYNONYM, PENALTY_PINYIN, PENALTY_INITIALS, PENALTY_LOOSE = 1.0, 1.0, 40.0, 10.0
_LETTERS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class SearchText:
    """A normalised text of an item, one pinyin syllable per character ("" for non-hanzi), and its field."""

    text: str
    pinyin: tuple[str, ...]
    field: str

    # Derived forms are cached on the instance: ranking reads them for every candidate.
    @cached_property
    def spelled(self) -> tuple[str, frozenset[int]]:
        """Return the text spelled in pinyin and the offsets where its syllables start."""
        return joined_pinyin(self.text, self.pinyin)

    @cached_property
    def initials(self) -> str:
        """Return the pinyin initials of the text (社会保险 -> shbx)."""
        return initials_of(self.text, self.pinyin)

    @cached_property
    def has_pinyin(self) -> bool:
        """Tell whether any character has a pinyin reading."""
        return any(self.pinyin)

    @cached_property
    def letter_terms(self) -> frozenset[str]:
        """Return only the pinyin terms (q:, p:, i:) of this text; ranking needs no character set."""
        syllables = self.pinyin
        out = {"q:" + s for s in syllables if s}
        for a, b in zip(syllables, syllables[1:]):
            if a and b:
                out.add("p:" + a + b)
                out.add("i:" + a[0] + b[0])
        return frozenset(out)

    @cached_property
    def terms(self) -> frozenset[str]:
        """Return the index terms of this text."""
        return frozenset(text_terms(self))


@dataclass(frozen=True)
class SearchDoc:
    """What search knows about an item: its texts, the name first; stored with the item as JSON."""

    texts: tuple[SearchText, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form for the database."""
        return {"texts": [{"text": t.text, "pinyin": list(t.pinyin), "field": t.field} for t in self.texts]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SearchDoc:
        """Rebuild a document stored by ``to_dict``."""
        return cls(tuple(SearchText(t["text"], tuple(t["pinyin"]), t["field"]) for t in data["texts"]))


@dataclass(frozen=True)
class Alternative:
    """One reading of a query: terms that must all match, and the pattern that ``score`` looks for."""

    terms: frozenset[str]
    mode: str  # "text" (normalised characters), "pinyin" (letters) or "initials" (letters)
    value: str
    penalty: float
    origin: str  # literal, loose, synonym, lexicon, pinyin or initials
    min_match: int = 0  # how many of the terms must be present; 0 means all of them

    @property
    def needed(self) -> int:
        """Return how many of the terms an item must have to match this reading."""
        return self.min_match or len(self.terms)


@dataclass(frozen=True)
class Query:
    """An analysed query: its normalised text, kind and alternatives (an item matching any one is found)."""

    raw: str
    text: str
    kind: str
    alternatives: tuple[Alternative, ...]

    @property
    def terms(self) -> frozenset[str]:
        """Return the terms of the literal reading (empty for an empty query)."""
        return self.alternatives[0].terms if self.alternatives else frozenset()

    def all_terms(self) -> frozenset[str]:
        """Return every term any alternative needs."""
        return frozenset().union(*(a.terms for a in self.alternatives))


def _make_text(normalized: str, field: str) -> SearchText:
    return SearchText(normalized, pinyin_of(normalized), field)


def document_for(name: str, short_name: str = "", aliases: Iterable[str] = ()) -> SearchDoc:
    """Return the search document of a name, short name and aliases, with their synonym variants."""
    texts: list[SearchText] = []
    seen: set[str] = set()

    def add(normalized: str, field: str) -> None:
        if normalized and normalized not in seen:
            seen.add(normalized)
            texts.append(_make_text(normalized, field))

    name_text = normalize(name)
    texts.append(_make_text(name_text, FIELD_NAME))
    seen.add(name_text)
    for variant in synonym_variants(name_text):
        add(variant, FIELD_NAME_SYNONYM)
    for other in (short_name, *aliases):
        other_text = normalize(other)
        add(other_text, FIELD_ALIAS)
        for variant in synonym_variants(other_text, limit=4):
            add(variant, FIELD_ALIAS_SYNONYM)
    return SearchDoc(tuple(texts))


def search_document(item: ServiceItem) -> SearchDoc:
    """Return the search document of a service item (name, short name, aliases)."""
    return document_for(item.name, item.short_name, item.aliases)


def text_terms(text: SearchText) -> set[str]:
    """Return the index terms of one text: characters, bigrams, syllables, syllable pairs, initials pairs."""
    s, syllables = text.text, text.pinyin
    terms = {"u:" + c for c in s}
    terms.update("h:" + s[i:i + 2] for i in range(len(s) - 1))
    for i, syllable in enumerate(syllables):
        if not syllable:
            continue
        terms.add("q:" + syllable)
        following = syllables[i + 1] if i + 1 < len(syllables) else ""
        if following:
            terms.add("p:" + syllable + following)
            terms.add("i:" + syllable[0] + following[0])
    return terms


def doc_terms(doc: SearchDoc) -> set[str]:
    """Return the union of the index terms of every text of a document."""
    return set().union(*(t.terms for t in doc.texts))


def index_terms(item: ServiceItem) -> set[str]:
    """Return the terms an index holds for an item (those of its search document)."""
    return doc_terms(search_document(item))


def _char_terms(s: str) -> frozenset[str]:
    if len(s) == 1:
        return frozenset({"u:" + s})
    return frozenset("h:" + s[i:i + 2] for i in range(len(s) - 1))


def _syllable_terms(syllables: tuple[str, ...]) -> frozenset[str]:
    if len(syllables) == 1:
        return frozenset({"q:" + syllables[0]})
    return frozenset("p:" + a + b for a, b in zip(syllables, syllables[1:]))


@lru_cache(maxsize=1)
def _lexicon_by_letters() -> Mapping[str, tuple[str, ...]]:
    """Return the synonym words each pinyin spelling or initials (2 letters or more) stands for, so
    ``shebao`` and ``sb`` can mean 社保: one look-up per query instead of a pass over the lexicon."""
    out: dict[str, list[str]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            syllables = pinyin_of(word)
            spelled, initials = joined_pinyin(word, syllables)[0], initials_of(word, syllables)
            for letters in (spelled, initials) if len(initials) >= 2 else (spelled,):
                words = out.setdefault(letters, [])
                if word not in words:
                    words.append(word)
    return {letters: tuple(words) for letters, words in out.items()}


def _readings(raw: str) -> tuple[tuple[tuple[str, ...], ...], str]:
    """Split the letters of a pinyin query into syllable readings, honouring the user's spaces."""
    chunks = _LETTERS.findall(unicodedata.normalize("NFKC", raw).lower())
    per_chunk = []
    tail = ""
    for index, chunk in enumerate(chunks):
        readings, chunk_tail = segment_pinyin(chunk)
        if not readings or (chunk_tail and index != len(chunks) - 1):
            return (), ""
        per_chunk.append(readings)
        tail = chunk_tail
    combined = [tuple(s for part in parts for s in part) for parts in product(*per_chunk)]
    return tuple(sorted(combined, key=len)[:3]), tail


def analyze_query(raw: str) -> Query:
    """Return the query's kind and alternatives: literal characters, synonyms, pinyin and initials."""
    text = normalize(raw)[:MAX_QUERY_CHARS]
    if not text:
        return Query(raw, text, "empty", ())
    alternatives = [Alternative(_char_terms(text), "text", text, 0.0, "literal")]
    if any(is_hanzi(c) for c in text):
        kind = "mixed" if any("a" <= c <= "z" for c in text) else "hanzi"
        literal_terms = alternatives[0].terms
        if len(literal_terms) >= 3:
            # Without a word segmenter a query such as 身份证补领 has a bigram across its two words
            # (证补) that 居民身份证丢失补领 lacks; allowing one missing bigram finds it, ranked lower.
            alternatives.append(Alternative(literal_terms, "text", text, PENALTY_LOOSE, "loose",
                                            min_match=len(literal_terms) - 1))
        alternatives += [Alternative(_char_terms(v), "text", v, PENALTY_SYNONYM, "synonym")
                         for v in synonym_variants(text)]
    elif text.isascii() and text.isalpha():
        readings, _unfinished = _readings(raw)
        kind = "pinyin" if readings else "initials"
        alternatives += [Alternative(_syllable_terms(r), "pinyin", text, PENALTY_PINYIN, "pinyin")
                         for r in readings]
        for word in _lexicon_by_letters().get(text, ()):
            alternatives.append(Alternative(_char_terms(word), "text", word, 0.0, "lexicon"))
            alternatives += [Alternative(_char_terms(w), "text", w, PENALTY_SYNONYM, "synonym")
                             for w in synonyms_of(word)]
        if 2 <= len(text) and (kind == "initials" or len(text) <= 4):
            pairs = frozenset("i:" + text[i:i + 2] for i in range(len(text) - 1))
            alternatives.append(Alternative(pairs, "initials", text, PENALTY_INITIALS, "initials"))
    else:
        kind = "mixed"
    unique: dict[tuple[str, str, frozenset[str], int], Alternative] = {}
    for alt in alternatives:
        unique.setdefault((alt.mode, alt.value, alt.terms, alt.needed), alt)
    return Query(raw, text, kind, tuple(unique.values()))
