"""Pulling department feeds into the catalog: incremental from the saved watermark, idempotent by
``impl_code`` and content hash, committed page by page so an interrupted sync resumes where it stopped.

A feed that omits an item never deletes it: only an explicit ``cancelled`` status from the feed
cancels an item. A feed speaks for its own department only: an item of another department is refused, and the
department's name is the register's (``registry``), never the feed's. A feed publishes as its department's
system (actor ``sync:<code>``), not as a person: the department's own system carries its own approvals, so
the platform's two-person rule (``ZWT_PUBLISH_REVIEW``) governs the admin API, not feeds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy.orm import Session

from services_catalog.departments import Departments
from services_catalog.errors import DepartmentError
from services_catalog.validation import validate_for_publish

from ..models import SyncState
from .registry import registry_name
from .repository import row_by_impl_code, save_item

__all__ = ["SyncReport", "sync_department", "sync_all"]


@dataclass
class SyncReport:
    """Counts of one department's sync, and the reasons items were refused."""

    department: str
    pages: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    conflicts: int = 0
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the CLI."""
        state = f"error: {self.error}" if self.error else "ok"
        return (f"{self.department}: {state}; pages={self.pages} created={self.created} updated={self.updated} "
                f"unchanged={self.unchanged} rejected={self.rejected} conflicts={self.conflicts}")


def sync_department(sess: Session, departments: Departments, code: str, *, now: dt.datetime,
                    timeout: float, full: bool = False, max_pages: int = 10_000,
                    progress: Callable[[int], None] | None = None) -> SyncReport:
    """Pull one department's feed from its watermark (or from the start with ``full``)."""
    report = SyncReport(code)
    state = sess.get(SyncState, code) or SyncState(department_code=code, cursor=None)
    sess.add(state)
    cursor = None if full else state.cursor
    adapter = departments[code].adapter
    name = registry_name(sess, code)
    try:
        for _ in range(max_pages):
            page = adapter.fetch_items(cursor, timeout=timeout)
            report.pages += 1
            for entry in page.items:
                item = entry.item
                if item.department_code != code or name is None:
                    report.rejected += 1
                    report.problems.append(f"{item.impl_code}: " + (
                        f"department_code {item.department_code!r} is not this feed's department"
                        if item.department_code != code else f"department {code!r} is not in the register"))
                    continue
                item = dataclasses.replace(item, department_name=name)
                problems = validate_for_publish(item) if item.status == "published" else []
                if problems:
                    report.rejected += 1
                    report.problems.append(f"{item.impl_code}: " + "; ".join(
                        f"{p.field} {p.rule}" for p in problems[:3]))
                    continue
                existing = row_by_impl_code(sess, item.impl_code)
                if existing is not None and existing.source != "feed":
                    # Registered and maintained through the admin API: the platform's copy is the one the
                    # department edits, so a feed must not overwrite it (the report names the clash).
                    report.conflicts += 1
                    report.problems.append(f"{item.impl_code}: maintained through registration, feed copy skipped")
                    continue
                result = save_item(sess, item, source="feed", actor=f"sync:{code}", action="sync", now=now)
                if result.created:
                    report.created += 1
                elif result.changed:
                    report.updated += 1
                else:
                    report.unchanged += 1
            cursor = page.cursor
            state.cursor, state.last_run_at = cursor, now
            state.last_outcome = report.summary()[:200]
            sess.commit()
            if progress:
                progress(len(page.items))
            if not page.has_more:
                break
    except DepartmentError as exc:
        sess.rollback()
        report.error = f"{type(exc).__name__}: {exc}"
        state = sess.get(SyncState, code) or SyncState(department_code=code, cursor=None)
        state.last_run_at, state.last_outcome = now, report.summary()[:200]
        sess.add(state)
        sess.commit()
    return report


def sync_all(sess: Session, departments: Departments, *, now: dt.datetime, timeout: float,
             full: bool = False, only: str | None = None,
             progress: Callable[[int], None] | None = None) -> list[SyncReport]:
    """Sync every configured department (or ``only`` one); one department failing does not stop others."""
    codes = [only] if only else list(departments)
    return [sync_department(sess, departments, code, now=now, timeout=timeout, full=full, progress=progress)
            for code in codes]
