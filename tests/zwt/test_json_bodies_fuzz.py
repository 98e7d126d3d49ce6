"""JSON bodies at depth and width on representative routes: never a 500, always a clean answer.

tests/zwt/test_hardening.py pins the depth limit with bare arrays before login; the contract tests
(tests/zwt/test_openapi.py) send bodies shaped by the schemas. Here real, signed-in bodies carry, somewhere
inside, nesting around the limit (objects and arrays mixed), very wide objects and arrays, long strings,
numbers past any range (1e400, integers of 5,000 digits) and edge texts, and the answer must be 2xx or a
clean 4xx (problem+json; a 422 naming its fields).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mutations import JSON_VALUES, assert_refused_cleanly, examples, mutants

from .catalog_admin_helpers import BASE, item_doc, register_departments

HUGE = "@@huge@@"  # replaced, once serialised, by an integer of 5,000 digits (json.dumps refuses to write it)


def _nested(depth: int, kinds: str) -> str:
    """A marker for ``depth`` levels of objects and arrays (``kinds`` cycles "o" and "a"), written as text."""
    return f"@@deep:{depth}:{kinds}@@"


def _nested_text(match: re.Match[str]) -> str:
    depth, kinds = int(match.group(1)), match.group(2)
    levels = [kinds[level % len(kinds)] for level in range(depth)]
    return "".join('{"k":' if k == "o" else "[" for k in levels) + "0" + "".join(
        "}" if k == "o" else "]" for k in reversed(levels))


SHAPES = st.one_of(
    st.builds(_nested, st.sampled_from([1, 100, 390, 399, 400, 401, 1_000, 3_000]),
              st.text(alphabet="oa", min_size=1, max_size=3)),
    st.sampled_from([1_000, 30_000]).map(lambda n: list(range(n))),
    st.sampled_from([1_000, 30_000]).map(lambda n: {f"k{i}": i for i in range(n)}),
    st.sampled_from([10_000, 300_000, 1_100_000]).map(lambda n: "长" * n),
    st.sampled_from([1e308, -0.0, float("inf"), float("nan"), 2**64, -(2**63) - 1, HUGE]),
    JSON_VALUES,
)


def _body(value: Any) -> str:
    """The body as JSON text (lone surrogates escaped, as a client would), markers written out."""
    text = json.dumps(value).replace(f'"{HUGE}"', "9" * 5_000)
    return re.sub(r'"@@deep:(\d+):([oa]+)@@"', _nested_text, text)


@pytest.fixture
def routes(app, auth) -> list[tuple[str, dict[str, str], Any]]:
    """(path, headers, a valid body) of representative JSON routes: public, staff and catalog admin."""
    register_departments(app)
    admin = auth.staff("dept_admin", "police_admin", department_code="police")
    clerk = auth.staff("clerk", "clerk1", hall_code="370202-hall-01", counter_code="counter-01")
    return [
        ("/api/v1/auth/login", {}, {"username": "13800000001", "password": "Secret2026ok"}),
        ("/api/v1/auth/register", {}, {"name": "李雷", "id_number": "11010519491231002X", "phone": "13800000001",
                                       "password": "abc12345x"}),
        (BASE, admin, item_doc(0)),
        (f"{BASE}/validate", admin, item_doc(1)),
        (f"{BASE}/import", admin, [item_doc(2), item_doc(3)]),
        ("/api/v1/verifier/verify", clerk, {"qd1": "QD1:ABC", "impl_code": "11370200MB0000001X4370200001"}),
    ]


def test_bodies_deep_wide_and_huge_somewhere_inside_are_answered_cleanly(client, routes):
    """A real body with a deep, wide, long or out-of-range value put anywhere in it: 2xx or a clean 4xx."""

    @settings(max_examples=examples(60), deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        path, headers, body = data.draw(st.sampled_from(routes))
        mutant = data.draw(mutants(body, SHAPES, max_changes=2))
        response = client.post(path, data=_body(mutant), content_type="application/json", headers=headers)
        assert_refused_cleanly(response)

    check()
