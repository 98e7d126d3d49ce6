"""Citizen use cases of the catalog: search, item detail, departments, themes, life events,
suggestions and favourites."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services_catalog.codes import LIFE_EVENTS, THEMES
from services_catalog.textnorm import normalize

from ..container import Services
from ..db import session
from ..errors import NotFound
from ..models import Account, Department, Favorite, ItemTag, ServiceItemRow
from .repository import generation
from .search import CatalogIndex, Filters, search

__all__ = ["summary", "search_services", "service_detail", "list_departments", "list_themes", "life_event",
           "suggest", "list_favorites", "add_favorite", "remove_favorite", "catalog_generation"]


def _index(svc: Services) -> CatalogIndex:
    return svc.catalog.index


def summary(row: ServiceItemRow, spans: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """The list form of an item."""
    return {"impl_code": row.impl_code, "name": row.name, "short_name": row.short_name,
            "department_code": row.department_code, "department_name": row.department_name,
            "region_code": row.region_code, "item_type": row.item_type, "handling_type": row.handling_type,
            "online_depth": row.online_depth, "visit_count": row.visit_count,
            "e_license_exempt": row.e_license_exempt, "themes": list(row.themes or []),
            "popularity": row.popularity, "highlight": [list(s) for s in (spans or [])]}


def catalog_generation(svc: Services | None = None) -> int:
    """The catalog generation (changes whenever any item changes): the basis of list ETags.

    With ``svc``, as this worker last read it (``freshness.GenerationCache``); without, from the database.
    """
    if svc is None:
        return generation(session())
    return svc.catalog.generations.get(session())


class ResultCache:
    """Finished search pages per process, keyed by catalog generation and arguments (LRU).

    Citizens' queries are heavily repeated (社保, 公积金, ...); any catalog write changes the generation,
    so a cached page is never stale.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        """A cached page, refreshed as most recently used."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[Any, ...], page: bytes) -> None:
        """Remember a page, forgetting the least recently used beyond ``size``."""
        if self.size <= 0:
            return
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _results(svc: Services) -> ResultCache:
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


def search_services(args: dict[str, Any], raw_query: bytes, *, svc: Services, gen: int) -> bytes:
    """Build one page of published items matching the parsed ``args`` as JSON, and cache it."""
    key = (gen, raw_query)
    filters = Filters(**{k: args[k] for k in ("department", "theme", "life_event", "persona", "item_type",
                                              "online_depth", "zero_visits", "e_license_exempt",
                                              "handling_type", "region") if k in args})
    page = search(session(), args["q"], filters, sort=args["sort"], page=args["page"], per_page=args["per_page"],
                  index=_index(svc), gen=gen)
    body = json.dumps({"items": [summary(r.row, r.highlight) for r in page.results], "total": page.total,
                       "page": args["page"], "per_page": args["per_page"], "query_kind": page.query_kind},
                      ensure_ascii=False, separators=(",", ":")).encode()
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


def list_themes() -> list[dict[str, Any]]:
    """Themes with labels and their number of published items."""
    counts = _published_tag_counts("theme")
    codes = list(THEMES) + sorted(set(counts) - set(THEMES))
    return [{"code": c, "name": THEMES[c].zh if c in THEMES else c, "name_en": THEMES[c].en if c in THEMES else c,
             "item_count": counts.get(c, 0)} for c in codes]


def life_event(code: str) -> dict[str, Any]:
    """A life event (一件事): its items and the materials they need, merged and de-duplicated."""
    if code not in LIFE_EVENTS and not _published_tag_counts("life_event").get(code):
        raise NotFound()
    rows = session().scalars(
        select(ServiceItemRow).where(ServiceItemRow.status == "published", ServiceItemRow.id.in_(
            select(ItemTag.item_id).where(ItemTag.kind == "life_event", ItemTag.value == code)))
        .order_by(ServiceItemRow.popularity.desc(), ServiceItemRow.id)).all()
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
    out = []
    for r in page.results:
        if r.row.name not in seen and len(out) < limit:
            seen.add(r.row.name)
            out.append({"impl_code": r.row.impl_code, "name": r.row.name,
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
    """Forget a saved item (idempotent; an unknown item is a 404)."""
    sess = session()
    row = sess.scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code))
    if row is None:
        raise NotFound()
    fav = sess.get(Favorite, (account.id, row.id))
    if fav is not None:
        sess.delete(fav)
        sess.commit()
