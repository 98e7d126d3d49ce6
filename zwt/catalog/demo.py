"""The demo catalog for ``make run``: Qingdao's departments and ~10,000 items built from real item names."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from services_catalog.demo_catalog import ATTRIBUTION, demo_items, demo_popularity
from services_catalog.demo_departments import DEPARTMENTS

from ..models import Department, ServiceItemRow
from .registry import registry_names
from .repository import insert_new_items

__all__ = ["load_departments", "load_demo_catalog", "ATTRIBUTION"]

ADAPTER_KINDS = {"police": "police", "hrss": "hrss", "housing_fund": "housing_fund"}


def load_departments(sess: Session) -> int:
    """Insert the demo departments that are missing; return how many were added."""
    known = set(sess.scalars(select(Department.code)))
    added = 0
    for order, dept in enumerate(DEPARTMENTS.values()):
        if dept.code not in known:
            sess.add(Department(code=dept.code, name=dept.city_name, adapter_kind=ADAPTER_KINDS.get(dept.code),
                                sort_order=order))
            added += 1
    return added


def load_demo_catalog(sess: Session, *, now: dt.datetime, count: int = 10_000, batch: int = 500,
                      progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Load the demo items (idempotent, committed in batches); return (created, unchanged)."""
    load_departments(sess)
    sess.commit()
    built = demo_items(count=count)
    names = registry_names(sess, {item.department_code for item in built})  # shown under the register's names
    items = [dataclasses.replace(item, department_name=names.get(item.department_code, item.department_name))
             for item in built]
    popularity = demo_popularity(items)
    existing = set(sess.scalars(select(ServiceItemRow.impl_code)))
    fresh = [item for item in items if item.impl_code not in existing]
    for start in range(0, len(fresh), batch):
        chunk = fresh[start:start + batch]
        # Departments with a system of their own (an adapter) publish through their feed, so their items
        # are the feed's to update; the others maintain theirs through registration.
        for source in ("feed", "registration"):
            part = [item for item in chunk if (item.department_code in ADAPTER_KINDS) == (source == "feed")]
            if part:
                insert_new_items(sess, part, source=source, actor="demo", action="import", now=now,
                                 popularity=popularity)
        sess.commit()
        if progress:
            progress(len(chunk))
    return len(fresh), len(items) - len(fresh)
