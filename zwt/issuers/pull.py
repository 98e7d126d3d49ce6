"""Pulling departments' license change feeds: from the saved watermark, page by page, each page's records
applied through the same function as a push and its cursor saved in the same transaction.

A department has a feed when its adapter offers ``fetch_licenses`` (``LicenseFeed``): the contract's
``GET {base}/licenses/changes?since=&limit=``. Records may repeat; applying them is idempotent by
(serial, version). Unlike a push, a refused record does not stop the page (a feed cannot be answered):
it is counted, and the reasons are kept in the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.exc import IntegrityError

from services_catalog.errors import DepartmentError

from ..container import Services
from ..models import IssuerFeedState
from ..wallet_service.keys import allowed_types_for
from .ledger import Line, apply_records, refresh_statistics

__all__ = ["LicenseFeedPage", "LicenseFeed", "PullReport", "feeds_of", "pull_department", "pull_all"]


class LicenseFeedPage(Protocol):
    """One page of a license feed."""

    @property
    def records(self) -> Sequence[Mapping[str, Any]]:
        """The records, in the contract's shape."""

    @property
    def cursor(self) -> str:
        """Where the next page starts."""

    @property
    def has_more(self) -> bool:
        """Whether another page follows at once."""


@runtime_checkable
class LicenseFeed(Protocol):
    """A department's change feed of the licenses it issues."""

    def fetch_licenses(self, since: str | None, *, limit: int, timeout: float) -> LicenseFeedPage:
        """The page after ``since`` (None: from the beginning)."""


@dataclass
class PullReport:
    """Counts of one department's pull."""

    department: str
    pages: int = 0
    stored: int = 0
    unchanged: int = 0
    refused: int = 0
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the CLI."""
        state = f"error: {self.error}" if self.error else "ok"
        return (f"{self.department}: {state}; pages={self.pages} stored={self.stored} unchanged={self.unchanged} "
                f"refused={self.refused}")


def feeds_of(svc: Services) -> dict[str, LicenseFeed]:
    """The configured license feeds (``ZWT_LICENSE_FEEDS``), and the departments whose adapter serves one."""
    feeds = {code: dept.adapter for code, dept in (svc.departments or {}).items()
             if isinstance(dept.adapter, LicenseFeed)}
    feeds.update({code: feed for code, feed in svc.license_feeds.items() if isinstance(feed, LicenseFeed)})
    return feeds


def pull_department(code: str, feed: LicenseFeed, *, svc: Services, full: bool = False, limit: int = 500,
                    max_pages: int = 10_000) -> PullReport:
    """Pull one department's feed from its watermark (from the start with ``full``)."""
    report = PullReport(code)
    allowed = frozenset(allowed_types_for(code, svc))
    sess = svc.db.sessions()
    try:
        state = sess.get(IssuerFeedState, code) or IssuerFeedState(department_code=code, cursor=None)
        sess.add(state)
        cursor = None if full else state.cursor
        try:
            for _ in range(max_pages):
                page = feed.fetch_licenses(cursor, limit=limit, timeout=svc.config.department_timeout_s)
                report.pages += 1
                lines = [Line(n, dict(record) if isinstance(record, Mapping) else record)
                         for n, record in enumerate(page.records, start=1)]
                applied = apply_records(sess, code, lines, allowed=allowed, svc=svc, all_or_nothing=False)
                report.stored += applied.count("stored")
                report.unchanged += applied.count("unchanged")
                report.refused += len(applied.refused)
                report.problems.extend(f"page {report.pages} line {o.line}: {o.reason} ({o.field})"
                                       for o in applied.refused)
                cursor = page.cursor
                state.cursor, state.last_run_at = cursor, svc.clock.now()
                state.last_outcome = report.summary()[:200]
                sess.commit()
                if not page.has_more:
                    break
            refresh_statistics(sess, report.stored)
        except (DepartmentError, IntegrityError) as exc:  # a feed down, or a concurrent writer of a serial
            sess.rollback()
            report.error = f"{type(exc).__name__}: {exc}"[:500]
            state = sess.get(IssuerFeedState, code) or IssuerFeedState(department_code=code, cursor=None)
            state.last_run_at, state.last_outcome = svc.clock.now(), report.summary()[:200]
            sess.add(state)
            sess.commit()
    finally:
        sess.close()
    return report


def pull_all(feeds: Mapping[str, LicenseFeed], *, svc: Services, full: bool = False,
             only: str | None = None) -> list[PullReport]:
    """Pull every feed (or ``only`` one); one department failing does not stop the others."""
    codes = [only] if only else sorted(feeds)
    return [pull_department(code, feeds[code], svc=svc, full=full) for code in codes]
