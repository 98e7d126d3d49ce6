"""The service catalog as stored: items (the full document plus filter columns and search document), tags,
favourites, an audit trail of item changes, and per-department sync watermarks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["Department", "ServiceItemRow", "ItemTag", "Favorite", "ItemEvent", "SyncState",
           "CatalogState"]


class Department(Base):
    """A department (or district body) items belong to; ``code`` is the catalog's department slug."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    adapter_kind: Mapped[str | None] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(Integer, default=100)


class ServiceItemRow(Base):
    """One service item: the domain document in ``data`` plus the columns filters and sorting use."""

    __tablename__ = "service_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    impl_code: Mapped[str] = mapped_column(String(80), unique=True)
    department_code: Mapped[str] = mapped_column(String(40), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    # Copies of document fields that result lists show, so a page of hits never parses ``data``.
    short_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    department_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    sort_key: Mapped[str] = mapped_column(String(400))  # pinyin of the name, for "sort by name"
    item_type: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    handling_type: Mapped[str] = mapped_column(String(16))
    online_depth: Mapped[int] = mapped_column(SmallInteger)
    visit_count: Mapped[int] = mapped_column(SmallInteger)
    e_license_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    popularity: Mapped[int] = mapped_column(Integer, default=0)
    # The catalog generation of the last change: search indexes in each worker catch up by it.
    change_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    source: Mapped[str] = mapped_column(String(16))  # feed | registration
    data: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    # What search knows of the item (``services_catalog.search.SearchDoc``); each worker's replica indexes it.
    search_doc: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_service_items_status_popularity", "status", "popularity"),)


class ItemTag(Base):
    """A filterable label of an item: theme, life event, persona or audience."""

    __tablename__ = "item_tags"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class Favorite(Base):
    """A citizen's saved item."""

    __tablename__ = "favorites"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ItemEvent(Base):
    """Audit trail of an item: who did what, from which status to which, at which version."""

    __tablename__ = "item_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(60))  # account subject, or "sync:<department>"
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class SyncState(Base):
    """Where the last sync of a department's feed stopped (the watermark the next one resumes from)."""

    __tablename__ = "sync_state"

    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(200))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_outcome: Mapped[str] = mapped_column(String(200), default="")


class CatalogState(Base):
    """A single-row generation counter, bumped on every catalog write, so caches on every node can tell
    that the catalog changed with one cheap read."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
