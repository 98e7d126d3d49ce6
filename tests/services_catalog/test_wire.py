"""Properties of the wire helpers: key casing, yuan amounts, feed cursors and record serialisation round-trip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services_catalog.adapters.cursor import FeedCursor
from services_catalog.adapters.police import snake_keys
from services_catalog.adapters.wire import Reader
from services_catalog.errors import MalformedAnswer
from services_catalog.records import record_from_dict, record_to_dict
from services_catalog.sandbox.citizens import DEMO_CITIZENS, KIND_LICENSE_TYPES, demo_record
from services_catalog.sandbox.housing_fund import _yuan
from services_catalog.sandbox.police import camel_keys

# camelCase cannot mark a word that starts with a digit; the domain has no such keys
snake_key = st.from_regex(r"[a-z]{1,6}(_[a-z][a-z0-9]{0,5}){0,3}", fullmatch=True)
json_tree = st.recursive(st.one_of(st.integers(), st.text(max_size=5), st.booleans()),
                         lambda inner: st.lists(inner, max_size=3) | st.dictionaries(snake_key, inner, max_size=3),
                         max_leaves=12)
aware = st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2100, 1, 1),
                     timezones=st.just(dt.timezone.utc))


@given(json_tree)
def test_camel_then_snake_is_identity(value: object) -> None:
    """The police sandbox's camelCase and the adapter's snake_case undo each other on snake_case keys."""
    assert snake_keys(camel_keys(value)) == value


@given(st.integers(min_value=0, max_value=10**12))
def test_yuan_strings_read_back_as_the_same_fen(fen: int) -> None:
    """An amount written as a yuan decimal string reads back as the same number of fen."""
    assert Reader("d").decimal_fen({"a": _yuan(fen)}, "a", "x") == fen


@pytest.mark.parametrize("text", ["9" * 17 + ".00", "9" * 5000 + ".00"])
def test_amounts_longer_than_any_balance_are_malformed(text: str) -> None:
    """More than 16 digits of yuan is a MalformedAnswer (5,000 digits was a ValueError from int(), found by
    fuzzing the housing fund adapter); 16 digits still read."""
    with pytest.raises(MalformedAnswer, match="not an amount"):
        Reader("d").decimal_fen({"a": text}, "a", "x")
    assert Reader("d").decimal_fen({"a": "9" * 16 + ".99"}, "a", "x") == 10**18 - 1


@given(aware, st.text(max_size=12) | st.sampled_from(["|", "a|b", "||"]), aware)
def test_feed_cursor_round_trips(since: dt.datetime, position: str, high: dt.datetime) -> None:
    """A cursor encodes to a string and decodes to the same watermark, position and high mark, whatever
    page token the department handed out (``|`` included: it once split the cursor into four)."""
    cursor = FeedCursor(since, position, high)
    assert FeedCursor.decode(cursor.encode(), "0") == cursor


@pytest.mark.parametrize(("text", "fmt"), [
    ("9999-12-31T23:59:59-1200", "%Y-%m-%dT%H:%M:%S%z"), ("0001-01-01T00:00:00+1400", "%Y-%m-%dT%H:%M:%S%z"),
    ("0001/01/01 00:00:00", "%Y/%m/%d %H:%M:%S"),  # Beijing time: eight hours before year 1 in UTC
])
def test_times_without_a_utc_equivalent_are_malformed(text: str, fmt: str) -> None:
    """A time at the calendar's edge that has no UTC equivalent is a MalformedAnswer (it was an OverflowError
    as soon as anything converted it, storing it or paging on from it; found by fuzzing the hrss feed)."""
    with pytest.raises(MalformedAnswer, match="not a timestamp"):
        Reader("d").timestamp({"a": text}, "a", "x", fmt)
    assert Reader("d").timestamp({"a": "9999-12-31T23:59:59+0800"}, "a", "x", fmt="%Y-%m-%dT%H:%M:%S%z").year == 9999


def test_records_round_trip_through_their_dict_form() -> None:
    """Every demo record survives record_to_dict / record_from_dict (the cache's serialised form)."""
    for demo in DEMO_CITIZENS:
        for kind in KIND_LICENSE_TYPES:
            record = demo_record(demo, kind, kind)
            assert record_from_dict(record_to_dict(record)) == record
