"""Storing service items: idempotent upsert by ``impl_code`` that keeps the search document, tags, the audit
trail and the catalog generation in step, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, undefer

from services_catalog.items import ServiceItem, content_hash, effective_personas, item_from_dict, item_to_dict
from services_catalog.search import search_document
from services_catalog.textnorm import normalize, pinyin_of

from ..db import mark_changed
from ..lru import LruCache
from ..models import CatalogState, ItemEvent, ItemTag, ServiceItemRow

__all__ = ["CHANGED_MARK", "SaveResult", "save_item", "insert_new_items", "load_item", "published_item",
           "row_by_impl_code", "bump_catalog_generation", "generation", "record_event", "TAG_KINDS"]

TAG_KINDS = ("theme", "life_event", "persona", "audience")


@dataclass(frozen=True)
class SaveResult:
    """What ``save_item`` did: the row, and whether anything changed (unchanged re-syncs are no-ops)."""

    row: ServiceItemRow
    created: bool
    changed: bool


def row_by_impl_code(sess: Session, impl_code: str, *, with_data: bool = False) -> ServiceItemRow | None:
    """The stored row of an item, or None; ``with_data`` loads its (deferred) ``data`` in the same query, for a
    caller that will ``load_item`` it."""
    stmt = select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code)
    return sess.scalar(stmt.options(undefer(ServiceItemRow.data)) if with_data else stmt)


def published_item(sess: Session, impl_code: str,
                   cache: LruCache[tuple[str, int, int], ServiceItem]) -> ServiceItem | None:
    """The published item ``impl_code``, or None. Reads the row's status and change stamp only; the document
    is read and parsed once per change (``cache`` keyed on the stamp, which every change moves)."""
    found = sess.execute(select(ServiceItemRow.id, ServiceItemRow.status, ServiceItemRow.change_seq,
                                ServiceItemRow.version).where(ServiceItemRow.impl_code == impl_code)).first()
    if found is None or found.status != "published":
        return None
    key = (impl_code, found.change_seq, found.version)
    item = cache.get(key)
    if item is None:
        data = dict(sess.scalar(select(ServiceItemRow.data).where(ServiceItemRow.id == found.id)) or {})
        data["status"], data["version"] = found.status, found.version
        item = item_from_dict(data)
        cache.put(key, item)
    return item


def load_item(row: ServiceItemRow) -> ServiceItem:
    """The domain item of a stored row (its status and version are the row's)."""
    data = dict(row.data)
    data["status"], data["version"] = row.status, row.version
    return item_from_dict(data)


def _sort_key(name: str) -> str:
    norm = normalize(name)
    return " ".join(p or c for c, p in zip(norm, pinyin_of(norm)))[:400]


def _tags(item: ServiceItem) -> set[tuple[str, str]]:
    tags = {("theme", t) for t in item.themes} | {("life_event", e) for e in item.life_events}
    tags |= {("persona", p) for p in effective_personas(item)} | {("audience", a) for a in item.audiences}
    return {(k, v[:60]) for k, v in tags}


#: Set in ``Session.info`` by a transaction that changed the catalog (see ``freshness.GenerationCache``).
CHANGED_MARK = "zwt.catalog_changed"


def bump_catalog_generation(sess: Session) -> int:
    """Mark the catalog changed so every node's caches refresh; return the new generation.

    The UPDATE locks the single state row until commit, so concurrent writers take generations in
    commit order: a reader that sees generation G sees every row stamped with a change_seq <= G.
    """
    mark_changed(sess, CHANGED_MARK)
    new = sess.scalar(update(CatalogState).where(CatalogState.id == 1)
                      .values(generation=CatalogState.generation + 1).returning(CatalogState.generation))
    if new is None:
        sess.add(CatalogState(id=1, generation=1))
        sess.flush()
        return 1
    return int(new)


_GENERATION = select(CatalogState.generation).where(CatalogState.id == 1)  # built once: read on every search


def generation(sess: Session) -> int:
    """The current catalog generation (0 for an empty catalog)."""
    return int(sess.scalar(_GENERATION) or 0)


def record_event(sess: Session, row: ServiceItemRow, *, actor: str, action: str, from_status: str | None,
                 now: dt.datetime, note: str = "") -> None:
    """Append one audit event for an item."""
    sess.add(ItemEvent(item_id=row.id, at=now, actor=actor, action=action, from_status=from_status,
                       to_status=row.status, version=row.version, note=note))


def _write_derived(sess: Session, row: ServiceItemRow, item: ServiceItem, *, replace: bool) -> None:
    """Store what is derived from the item's content: its search document and its tags."""
    row.search_doc = search_document(item).to_dict()
    if replace:
        sess.execute(delete(ItemTag).where(ItemTag.item_id == row.id))
    tags = sorted(_tags(item))
    if tags:
        sess.execute(insert(ItemTag), [{"kind": k, "value": v, "item_id": row.id} for k, v in tags])


def _columns(item: ServiceItem, *, status: str, digest: str, now: dt.datetime) -> dict[str, Any]:
    """The stored columns of an item (everything but identity, version, source and popularity)."""
    return dict(
        department_code=item.department_code, region_code=item.region_code, name=item.name,
        short_name=item.short_name[:100], department_name=item.department_name[:120], themes=list(item.themes),
        sort_key=_sort_key(item.name), item_type=item.item_type, status=status, content_hash=digest,
        handling_type=item.handling_type, online_depth=item.online_depth, visit_count=item.visit_count,
        e_license_exempt=any(m.exempt_with_e_license for m in item.materials), data=item_to_dict(item),
        updated_at=now,
    )


def insert_new_items(sess: Session, items: Sequence[ServiceItem], *, source: str, actor: str, action: str,
                     now: dt.datetime, popularity: Mapping[str, int] | None = None) -> int:
    """Insert items known to be new in a few bulk statements (demo loads, first syncs); same rows as
    ``save_item`` would write, without a round trip per item."""
    if not items:
        return 0
    seq = bump_catalog_generation(sess)
    rows = [dict(impl_code=item.impl_code, change_seq=seq, version=item.version or 1, source=source, created_at=now,
                 popularity=(popularity or {}).get(item.impl_code, 0), search_doc=search_document(item).to_dict(),
                 published_at=now if item.status == "published" else None,
                 **_columns(item, status=item.status, digest=content_hash(item), now=now))
            for item in items]
    ids = list(sess.scalars(insert(ServiceItemRow).returning(ServiceItemRow.id, sort_by_parameter_order=True),
                            rows))
    tags = [{"kind": k, "value": v, "item_id": i} for i, item in zip(ids, items) for k, v in sorted(_tags(item))]
    if tags:
        sess.execute(insert(ItemTag), tags)
    sess.execute(insert(ItemEvent), [dict(item_id=i, at=now, actor=actor, action=action, from_status=None,
                                          to_status=item.status, version=item.version or 1, note="")
                                     for i, item in zip(ids, items)])
    return len(ids)


def save_item(sess: Session, item: ServiceItem, *, source: str, actor: str, action: str, now: dt.datetime,
              status: str | None = None, version: int | None = None, popularity: int | None = None) -> SaveResult:
    """Insert or update the item with ``item.impl_code``; an identical document and status is a no-op.

    ``status``/``version`` default to the item's own; callers own the transaction (nothing commits here).
    Every change takes a new catalog generation and stamps the row with it, so callers never bump it.
    """
    status = status or item.status
    digest = content_hash(item)
    row = row_by_impl_code(sess, item.impl_code)
    if row is not None and row.content_hash == digest and row.status == status and (
            version is None or version == row.version):
        return SaveResult(row, created=False, changed=False)
    columns = _columns(item, status=status, digest=digest, now=now)
    columns["change_seq"] = bump_catalog_generation(sess)
    created = row is None
    if row is None:
        row = ServiceItemRow(impl_code=item.impl_code, version=version or item.version or 1, source=source,
                             popularity=popularity or 0, created_at=now, search_doc={}, **columns)
        sess.add(row)
        sess.flush()
        from_status = None
    else:
        from_status = row.status
        content_changed = row.content_hash != digest
        for key, value in columns.items():
            setattr(row, key, value)
        row.version = version if version is not None else row.version + 1
        if popularity is not None:
            row.popularity = popularity
    if status == "published" and row.published_at is None:
        row.published_at = now
    if created or content_changed:
        _write_derived(sess, row, item, replace=not created)
    record_event(sess, row, actor=actor, action=action, from_status=from_status, now=now)
    return SaveResult(row, created=created, changed=True)
