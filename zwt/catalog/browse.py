"""Citizen use cases of the catalog: search, item detail, departments, themes, life events,
suggestions and favourites."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import undefer

from services_catalog.codes import LIFE_EVENTS, THEMES, Label
from services_catalog.textnorm import normalize

from ..container import Services
from ..db import session
from ..errors import NotFound
from ..lru import LruCache
from ..models import Account, Department, Favorite, ItemTag, ServiceItemRow
from .repository import generation
from .memory_index import page_json, summary_of
from .search import CatalogIndex, Filters, filtered_ids, search

__all__ = ["summary", "search_services", "service_detail", "list_departments", "list_themes", "list_life_events",
           "life_event", "suggest", "list_favorites", "add_favorite", "remove_favorite", "catalog_generation",
           "SearchPageCache"]


def _index(svc: Services) -> CatalogIndex:
    return svc.catalog.index


def summary(row: ServiceItemRow) -> dict[str, Any]:
    """The list form of a stored item outside a search (nothing to highlight)."""
    return {**summary_of(row), "highlight": []}


def catalog_generation(svc: Services | None = None) -> int:
    """The catalog generation (changes whenever any item changes): the basis of list ETags.

    With ``svc``, as this worker last read it (``freshness.GenerationCache``); without, from the database.
    """
    if svc is None:
        return generation(session())
    return svc.catalog.generations.get(session())


SearchPageCache = LruCache[tuple[Any, ...], bytes]
"""Finished search pages (JSON) per process, keyed by catalog generation and query string.

Citizens' queries are heavily repeated (社保, 公积金, ...); any catalog write changes the generation, so a
cached page is never stale.
"""


def _results(svc: Services) -> SearchPageCache:
    return svc.catalog.pages


def cached_search(raw_query: bytes, *, svc: Services, gen: int) -> bytes | None:
    """The page built before for this exact query string at this generation, if it is still cached.

    Keyed by the raw query string, so a repeated request skips even parsing its arguments (only a
    query string that parsed cleanly ever gets a page).
    """
    return _results(svc).get((gen, raw_query))


def warm() -> None:
    """Build this worker's search replica now rather than on its first search (skipped if not migrated)."""
    from flask import current_app
    from sqlalchemy.exc import SQLAlchemyError

    svc = current_app.extensions["zwt"]
    try:
        _index(svc).refresh(session(), catalog_generation(svc))
    except SQLAlchemyError as exc:
        current_app.logger.warning("search replica not built at start: %s", exc)


def _filters(args: dict[str, Any]) -> Filters:
    """The filters among parsed query arguments."""
    return Filters(**{f.name: args[f.name] for f in fields(Filters) if f.name in args})


def search_services(args: dict[str, Any], raw_query: bytes, *, svc: Services, gen: int) -> bytes:
    """Build one page of published items matching the parsed ``args`` as JSON, and cache it."""
    key = (gen, raw_query)
    page = search(session(), args["q"], _filters(args), sort=args["sort"], page=args["page"], per_page=args["per_page"],
                  index=_index(svc), gen=gen)
    body = page_json(((r.summary_json, r.highlight) for r in page.results), total=page.total, page=args["page"],
                     per_page=args["per_page"], query_kind=page.query_kind)
    _results(svc).put(key, body)
    return body


def _published(impl_code: str) -> ServiceItemRow:
    row = session().scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code,
                                                        ServiceItemRow.status == "published"))
    if row is None:
        raise NotFound()
    return row


def service_detail(impl_code: str) -> tuple[dict[str, Any], int]:
    """The full published item and its version (for the ETag)."""
    row = _published(impl_code)
    return {**row.data, "status": row.status, "version": row.version}, row.version


def list_departments() -> list[dict[str, Any]]:
    """Departments with their number of published items."""
    sess = session()
    counts = dict(sess.execute(select(ServiceItemRow.department_code, func.count())
                               .where(ServiceItemRow.status == "published")
                               .group_by(ServiceItemRow.department_code)).all())
    out = [{"code": d.code, "name": d.name, "item_count": int(counts.pop(d.code, 0))}
           for d in sess.scalars(select(Department).order_by(Department.sort_order, Department.code))]
    out.extend({"code": code, "name": code, "item_count": int(n)} for code, n in sorted(counts.items()))
    return out


def _published_tag_counts(kind: str) -> dict[str, int]:
    stmt = (select(ItemTag.value, func.count()).join(ServiceItemRow, ServiceItemRow.id == ItemTag.item_id)
            .where(ItemTag.kind == kind, ServiceItemRow.status == "published").group_by(ItemTag.value))
    return {value: int(n) for value, n in session().execute(stmt)}


def _labelled_counts(kind: str, labels: Mapping[str, Label]) -> list[dict[str, Any]]:
    """Every labelled code of a tag kind, then any other code in use, with names and published item counts."""
    counts = _published_tag_counts(kind)
    codes = list(labels) + sorted(set(counts) - set(labels))
    return [{"code": c, "name": labels[c].zh if c in labels else c, "name_en": labels[c].en if c in labels else c,
             "item_count": counts.get(c, 0)} for c in codes]


def list_themes() -> list[dict[str, Any]]:
    """Themes with labels and their number of published items."""
    return _labelled_counts("theme", THEMES)


def list_life_events() -> list[dict[str, Any]]:
    """Life events (一件事) with labels and their number of published items."""
    return _labelled_counts("life_event", LIFE_EVENTS)


def life_event(code: str, args: dict[str, Any], *, svc: Services) -> dict[str, Any]:
    """A life event (一件事): its items passing the filters in the parsed ``args`` and the materials they
    need, merged and de-duplicated."""
    if code not in LIFE_EVENTS and not _published_tag_counts("life_event").get(code):
        raise NotFound()
    sess = session()
    ids = filtered_ids(sess, replace(_filters(args), life_event=code), index=_index(svc), gen=catalog_generation(svc))
    found = {r.id: r for r in sess.scalars(select(ServiceItemRow).options(undefer(ServiceItemRow.data)).where(
        ServiceItemRow.id.in_(ids), ServiceItemRow.status == "published"))} if ids else {}
    rows = [found[i] for i in ids if i in found]  # most popular first
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        for m in row.data.get("materials", []):
            key = (normalize(m["name"]), m.get("e_license_type") or "")
            entry = merged.setdefault(key, {
                "name": m["name"], "e_license_type": m.get("e_license_type"),
                "exempt_with_e_license": bool(m.get("exempt_with_e_license")), "required": False, "items": []})
            entry["required"] = entry["required"] or m.get("necessity") == "required"
            entry["exempt_with_e_license"] = entry["exempt_with_e_license"] and bool(m.get("exempt_with_e_license"))
            if row.impl_code not in entry["items"]:
                entry["items"].append(row.impl_code)
    label = LIFE_EVENTS.get(code)
    return {"code": code, "name": label.zh if label else code, "name_en": label.en if label else code,
            "items": [summary(r) for r in rows], "materials": list(merged.values())}


def suggest(q: str, limit: int, *, svc: Services) -> dict[str, Any]:
    """Distinct item names to complete a query with, best first (district copies of a name appear once)."""
    page = search(session(), q, Filters(), page=1, per_page=limit * 5, index=_index(svc),
                  gen=catalog_generation(svc))
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for r in page.results:
        name = r.summary["name"]
        if name not in seen and len(out) < limit:
            seen.add(name)
            out.append({"impl_code": r.summary["impl_code"], "name": name,
                        "highlight": [list(s) for s in r.highlight]})
    return {"query_kind": page.query_kind, "suggestions": out}


def list_favorites(account: Account) -> list[dict[str, Any]]:
    """The citizen's saved items that are still published, newest first."""
    rows = session().scalars(
        select(ServiceItemRow).join(Favorite, Favorite.item_id == ServiceItemRow.id)
        .where(Favorite.account_id == account.id, ServiceItemRow.status == "published")
        .order_by(Favorite.created_at.desc(), ServiceItemRow.id)).all()
    return [summary(r) for r in rows]


def add_favorite(account: Account, impl_code: str, *, svc: Services) -> None:
    """Save an item (idempotent)."""
    row = _published(impl_code)
    sess = session()
    insert = pg_insert if sess.get_bind().dialect.name == "postgresql" else sqlite_insert
    sess.execute(insert(Favorite).values(account_id=account.id, item_id=row.id, created_at=svc.clock.now())
                 .on_conflict_do_nothing())
    sess.commit()


def remove_favorite(account: Account, impl_code: str) -> None:
    """Forget a saved item (idempotent; an unknown item is a 404, and so is an unpublished one not saved: a draft
    of a department must answer like a missing one). An item saved while published can always be forgotten."""
    sess = session()
    row = sess.scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code))
    fav = sess.get(Favorite, (account.id, row.id)) if row is not None else None
    if fav is None and (row is None or row.status != "published"):
        raise NotFound()
    if fav is not None:
        sess.delete(fav)
        sess.commit()
