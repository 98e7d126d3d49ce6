"""The worker's search replica: one document shared among items with the same texts and let go of, a facet
for every filter, and pages joined from each item's JSON."""

from __future__ import annotations

import dataclasses
import json

from zwt.catalog.browse import _index
from zwt.catalog.memory_index import COLUMN_FACETS, TAG_FACETS, page_json, summary_json
from zwt.catalog.repository import generation, load_item, row_by_impl_code, save_item
from zwt.catalog.search import Filters
from zwt.db import session

from .conftest import make_item


def test_district_copies_share_one_document_until_both_leave(app, seed, clock):
    """Two items named alike (a city item and a district's copy) hold one document; it goes when both do."""
    codes = seed(make_item(1, name="住房公积金提取"), make_item(2, name="住房公积金提取", region_code="370203"),
                 make_item(3, name="出生登记"))
    with app.app_context():
        index = _index(app.extensions["zwt"])
        index.refresh(session(), generation(session()))
        ids = {row_by_impl_code(session(), code).id: code for code in codes}
        docs = [index.search.doc(i) for i in ids]
        assert docs[0] is docs[1] and docs[0] is not docs[2]
        assert index.search.shared_docs() == 2
        for code in codes[:2]:
            row = row_by_impl_code(session(), code)
            save_item(session(), dataclasses.replace(load_item(row), status="suspended"), source="registration",
                      actor="t", action="suspend", now=clock.now())
            session().commit()
            index.refresh(session(), generation(session()))
            assert index.search.shared_docs() == (2 if code == codes[0] else 1)
        assert [index.search.doc(i) for i in index.entries] == [docs[2]]


def test_a_page_joined_from_item_json_is_the_json_of_the_page():
    """Items encoded once and joined with their highlights read back as the page's plain JSON."""
    first, second = {"name": "社保卡\"申领\"", "themes": ["a"], "n": 1}, {"name": "出生", "themes": [], "n": 2}
    body = page_json([(summary_json(first), [(0, 2), (3, 5)]), (summary_json(second), [])],
                     total=2, page=1, query_kind="hanzi")
    assert json.loads(body) == {"items": [{**first, "highlight": [[0, 2], [3, 5]]}, {**second, "highlight": []}],
                                "total": 2, "page": 1, "query_kind": "hanzi"}


def test_every_filter_is_a_facet_of_the_replica():
    """A filter the replica cannot answer would silently match nothing: each one has its facet."""
    assert {f.name for f in dataclasses.fields(Filters)} == {*COLUMN_FACETS, *TAG_FACETS, "zero_visits"}
