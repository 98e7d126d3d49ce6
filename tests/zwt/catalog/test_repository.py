"""The catalog repository: the bulk insert path writes exactly what ``save_item`` writes."""

from __future__ import annotations

from sqlalchemy import delete, select

from zwt.catalog.repository import insert_new_items, save_item
from zwt.db import session
from zwt.models import ItemTag, ItemTerm, ServiceItemRow

from .conftest import SOCIAL_CARD, make_item

COLUMNS = ("impl_code", "department_code", "region_code", "name", "short_name", "department_name", "themes",
           "sort_key", "item_type", "status", "version", "content_hash", "handling_type", "online_depth",
           "visit_count", "e_license_exempt", "popularity", "source", "data", "search_doc", "published_at")


def _snapshot(impl_code):
    sess = session()
    row = sess.scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code))
    terms = set(sess.scalars(select(ItemTerm.term).where(ItemTerm.item_id == row.id)))
    tags = set(sess.execute(select(ItemTag.kind, ItemTag.value).where(ItemTag.item_id == row.id)).all())
    return {c: getattr(row, c) for c in COLUMNS}, terms, tags


def test_bulk_insert_matches_save_item(app, clock):
    """Row columns, search postings and tags are identical whichever path stored the item."""
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
    assert "h:社保" in bulk[1] and ("life_event", "employment") in bulk[2]
