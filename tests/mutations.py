"""Hypothesis strategies for outside input: random JSON and CBOR values, and mutants of a real document.

A mutant is a real document (a department answer, a trust bundle's payload, a log batch) with one to a few
changes at random places: a value replaced by any value, a key or element dropped, one added. Parsers meet
the shapes they are written for, one fault at a time, and so reach far deeper than fully random input.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from hypothesis import strategies as st

__all__ = ["examples", "assert_refused_cleanly", "EDGE_TEXTS", "CBOR_EDGE_TEXTS", "JSON_VALUES", "CBOR_KEYS",
           "CBOR_VALUES", "mutants"]


def examples(count: int) -> int:
    """``count`` examples, times ``ZWT_FUZZ_SCALE`` (default 1): the suite keeps to the counts it can afford
    in CI, and a longer hunt is ``ZWT_FUZZ_SCALE=50 pytest tests/...``."""
    return count * max(1, int(os.environ.get("ZWT_FUZZ_SCALE") or 1))


#: Texts parsers of this project give meaning to, at and past their edges: dates and times in the formats
#: departments use (out of range too), amounts, codes, huge digit strings, controls and lone surrogates.
_EDGES = [
    "", " ", "\x00", "长期", "0", "-1", "01", "1.00", "0.00",
    "20240101", "20240230", "99991231", "00000101", "20240101000000", "99991231235959",
    "2024-01-01", "9999-12-31", "0001-01-01", "2024-01-01T00:00:00+0800", "9999-12-31T23:59:59-1200",
    "0001-01-01T00:00:00+1400", "2024/01/01", "9999/12/31 23:59:59", "0001/01/01 00:00:00",
    "2024-02", "9999-12", "E1001", "E2001", "1", "01", "02", "03", "ID_CARD", "DRIVING_LICENSE", "match", "a|b",
]
_HUGE_NUMBERS = st.integers(4290, 4400).flatmap(lambda n: st.sampled_from(["9" * n, "9" * n + ".00"]))
#: ... as CBOR can carry them (CBOR text is UTF-8: no lone surrogates)
CBOR_EDGE_TEXTS = st.sampled_from(_EDGES) | _HUGE_NUMBERS
EDGE_TEXTS = CBOR_EDGE_TEXTS | st.just("\ud800")
_SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
            | st.floats() | st.text(max_size=20) | EDGE_TEXTS)


_KEYS = st.text(max_size=8) | EDGE_TEXTS
#: Any JSON value (NaN and infinities included: Python's json module reads and writes them).
JSON_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_KEYS, inner, max_size=5), max_leaves=20
)
_CBOR_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
                 | st.binary(max_size=40) | CBOR_EDGE_TEXTS)
#: Keys of CBOR maps: small integers (COSE and CWT labels, license field keys) or short texts.
CBOR_KEYS = st.integers(-70000, 70000) | st.text(max_size=5) | CBOR_EDGE_TEXTS
#: Any CBOR value of the kinds QD1 structures are built from (maps keyed by small integers or text).
CBOR_VALUES = st.recursive(
    _CBOR_SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(CBOR_KEYS, inner, max_size=5),
    max_leaves=30,
)


def _mutate(draw: st.DrawFn, node: Any, values: st.SearchStrategy[Any], keys: st.SearchStrategy[Any]) -> Any:
    """``node`` with one change somewhere at or under it."""
    container = isinstance(node, (dict, list)) and len(node) > 0
    if container and draw(st.booleans()):  # go down one level
        if isinstance(node, dict):
            key = draw(st.sampled_from(sorted(node, key=repr)))
        else:
            key = draw(st.integers(0, len(node) - 1))
        node[key] = _mutate(draw, node[key], values, keys)
        return node
    action = draw(st.sampled_from(["replace", "drop", "add"] if isinstance(node, (dict, list)) else ["replace"]))
    if action == "replace" or (action == "drop" and not node):
        return draw(values)
    if isinstance(node, dict):
        if action == "drop":
            del node[draw(st.sampled_from(sorted(node, key=repr)))]
        else:
            node[draw(keys)] = draw(values)
    elif action == "drop":
        del node[draw(st.integers(0, len(node) - 1))]
    else:
        node.insert(draw(st.integers(0, len(node))), draw(values))
    return node


@st.composite
def mutants(draw: st.DrawFn, document: Any, values: st.SearchStrategy[Any] = JSON_VALUES,
            keys: st.SearchStrategy[Any] = _KEYS, max_changes: int = 3) -> Any:
    """A deep copy of ``document`` (dicts and lists) with one to ``max_changes`` random changes; ``keys`` are
    those an added map entry may have (hashable values)."""
    result = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, max_changes))):
        result = _mutate(draw, result, values, keys)
    return result


def assert_refused_cleanly(response: Any) -> None:
    """An HTTP answer to hostile input: below 500, and a 4xx is problem+json with its code, naming each field
    at fault when it is a 422."""
    answer = response.get_data(as_text=True)[:500]
    assert response.status_code < 500, answer
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json", answer
        body = response.get_json()
        assert body["status"] == response.status_code and body["code"], answer
        if response.status_code == 422:
            assert body.get("errors") and all(error["field"] for error in body["errors"]), answer
