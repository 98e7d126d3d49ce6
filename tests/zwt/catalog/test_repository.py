"""The catalog repository: the bulk insert path writes exactly what ``save_item`` writes, and each change
takes exactly one catalog generation."""

from __future__ import annotations

import dataclasses

from sqlalchemy import delete, select

from services_catalog.search import SearchDoc, doc_terms
from zwt.catalog.repository import generation, insert_new_items, load_item, save_item
from zwt.db import session
from zwt.models import ItemTag, ServiceItemRow

from .conftest import SOCIAL_CARD, make_item

COLUMNS = ("impl_code", "department_code", "region_code", "name", "short_name", "department_name", "themes",
           "sort_key", "item_type", "status", "version", "content_hash", "handling_type", "online_depth",
           "visit_count", "e_license_exempt", "popularity", "source", "data", "search_doc", "published_at")


def _snapshot(impl_code):
    sess = session()
    row = sess.scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code))
    tags = set(sess.execute(select(ItemTag.kind, ItemTag.value).where(ItemTag.item_id == row.id)).all())
    return {c: getattr(row, c) for c in COLUMNS}, tags


def test_bulk_insert_matches_save_item(app, clock):
    """Row columns (the search document among them) and tags are identical whichever path stored the item."""
    item = make_item(1, **SOCIAL_CARD, aliases=("社保卡办理",), life_events=("employment",))
    with app.app_context():
        sess = session()
        insert_new_items(sess, [item], source="feed", actor="t", action="sync", now=clock.now(),
                         popularity={item.impl_code: 7})
        sess.commit()
        bulk = _snapshot(item.impl_code)
        sess.execute(delete(ServiceItemRow))
        sess.commit()
        save_item(sess, item, source="feed", actor="t", action="sync", now=clock.now(), popularity=7)
        sess.commit()
        single = _snapshot(item.impl_code)
    assert bulk == single
    assert "h:社保" in doc_terms(SearchDoc.from_dict(bulk[0]["search_doc"]))
    assert ("life_event", "employment") in bulk[1]


def test_each_change_takes_one_generation_and_a_no_op_none(app, clock):
    """A new item and an edit move the generation by one each and stamp the row; saving it unchanged does not."""
    item = make_item(2, **SOCIAL_CARD)
    with app.app_context():
        sess = session()
        start = generation(sess)
        row = save_item(sess, item, source="feed", actor="t", action="sync", now=clock.now()).row
        assert generation(sess) == row.change_seq == start + 1
        assert not save_item(sess, item, source="feed", actor="t", action="sync", now=clock.now()).changed
        assert generation(sess) == start + 1
        renamed = dataclasses.replace(load_item(row), name="社会保障卡补领")
        save_item(sess, renamed, source="feed", actor="t", action="sync", now=clock.now())
        assert generation(sess) == row.change_seq == start + 2
        sess.commit()
