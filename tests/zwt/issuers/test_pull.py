"""Pull mode: a department's license change feed applied from the watermark, repeats idempotent."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from services_catalog.errors import DepartmentUnavailable
from services_catalog.fakes import FakeDepartment, FakeDepartments
from zwt.issuers.pull import pull_department
from zwt.models import IssuedLicense, IssuerFeedState

from .conftest import record, status, uscc


@dataclass(frozen=True)
class Page:
    """One page of the fake feed."""

    records: list
    cursor: str
    has_more: bool


class FakeFeed:
    """A department's change feed in memory: records by position, the cursor is the next position."""

    def __init__(self, records, *, page_size: int = 2) -> None:
        self.records, self.page_size = list(records), page_size
        self.calls: list[str | None] = []
        self.down = False

    def fetch_licenses(self, since, *, limit, timeout):
        """The page after ``since``."""
        self.calls.append(since)
        if self.down:
            raise DepartmentUnavailable("civil_affairs", "scripted outage")
        start = int(since or 0)
        end = min(start + min(limit, self.page_size), len(self.records))
        return Page(self.records[start:end], str(end), end < len(self.records))


def _pull(app, feed, **kwargs):
    svc = app.extensions["zwt"]
    with app.app_context():
        return pull_department("civil_affairs", feed, svc=svc, **kwargs)


def _state(app):
    with app.extensions["zwt"].db.sessions() as sess:
        count = sess.scalar(select(func.count()).select_from(IssuedLicense))
        cursor = sess.scalar(select(IssuerFeedState.cursor).where(IssuerFeedState.department_code == "civil_affairs"))
        return count, cursor


def test_pull_applies_pages_saves_the_watermark_and_resumes_from_it(world, app):
    """Three records over two pages; the next pull asks from the watermark and finds the revoke added since."""
    citizen = world.citizen(0)
    feed = FakeFeed([record("marriage_certificate", f"MC-{n}") for n in range(3)])
    report = _pull(app, feed)
    assert (report.pages, report.stored, report.refused, report.error) == (2, 3, 0, None)
    assert _state(app) == (3, "3") and feed.calls == [None, "2"]
    assert len([x for x in world.licenses(citizen) if x["license_type"] == "marriage_certificate"]) == 3

    feed.records.append(status("marriage_certificate", "MC-1", "revoke", 2, "撤销"))
    again = _pull(app, feed)
    assert (again.stored, again.unchanged) == (1, 0) and feed.calls[-1] == "3"
    shown = {x["status"] for x in world.licenses(citizen) if x["license_type"] == "marriage_certificate"}
    assert shown == {"valid", "revoked"}


def test_repeated_and_old_records_change_nothing_and_do_not_stall_the_feed(world, app):
    """A feed that repeats a record, and one older than stored, moves on: unchanged, refused stale, cursor saved."""
    first = record("marriage_certificate", "MC-1")
    second = record("marriage_certificate", "MC-1", version=2, op="change", issuer_name="青岛市市北区民政局")
    foreign = record("business_license", "BL-1", organisation=uscc(1))
    feed = FakeFeed([first, second, second, first, foreign], page_size=10)
    report = _pull(app, feed)
    assert (report.stored, report.unchanged, report.refused) == (2, 1, 2)
    problems = " ".join(report.problems)
    assert "stale_version" in problems and "type_not_allowed" in problems
    assert _state(app) == (1, "5")
    assert _pull(app, feed, full=True).unchanged == 2  # from the start again: nothing new


def test_a_failing_feed_keeps_its_watermark(world, app):
    """An outage is reported; the cursor stays where the last good page left it."""
    feed = FakeFeed([record("marriage_certificate", "MC-1")])
    _pull(app, feed)
    feed.down = True
    report = _pull(app, feed)
    assert report.error.startswith("DepartmentUnavailable") and _state(app) == (1, "1")


class FeedDepartment(FakeDepartment):
    """A fake civil-affairs department whose adapter also serves a license feed."""

    def __init__(self, feed: FakeFeed) -> None:
        super().__init__("civil_affairs", "civil_affairs")
        self.feed = feed

    def fetch_licenses(self, since, *, limit, timeout):
        """The feed's page."""
        return self.feed.fetch_licenses(since, limit=limit, timeout=timeout)


def test_the_cli_pulls_every_department_with_a_feed(make_app):
    """``flask issuers pull`` finds the departments whose adapter offers a license feed and pulls them."""
    feed = FakeFeed([record("marriage_certificate", "MC-1"), record("marriage_certificate", "MC-2")])
    app = make_app(departments=FakeDepartments([FeedDepartment(feed)]))
    result = app.test_cli_runner().invoke(args=["issuers", "pull"])
    assert result.exit_code == 0, result.output
    assert "civil_affairs: ok; pages=1 stored=2" in result.output
    bad = app.test_cli_runner().invoke(args=["issuers", "pull", "--department", "police"])
    assert bad.exit_code != 0 and "no license feed" in bad.output


def test_license_feeds_come_from_the_setting(make_app):
    """``ZWT_LICENSE_FEEDS`` names each feed's base URL (the adapter then speaks the contract's feed), ``off`` none;
    unset, the demo's in-process feed sandboxes; a malformed entry stops the start naming the variable."""
    from services_catalog.adapters import LicenseFeedAdapter
    from zwt.config import Config, ConfigError
    from zwt.issuers.pull import feeds_of

    configured = make_app({"ZWT_LICENSE_FEEDS": "natural_resources@https://zrzy.example/api"}).extensions["zwt"]
    [(code, feed)] = feeds_of(configured).items()
    assert code == "natural_resources" and isinstance(feed, LicenseFeedAdapter)
    assert feeds_of(make_app({"ZWT_LICENSE_FEEDS": "off"}).extensions["zwt"]) == {}
    assert sorted(feeds_of(make_app().extensions["zwt"])) == ["education", "natural_resources"]
    with pytest.raises(ConfigError, match="ZWT_LICENSE_FEEDS"):
        Config.from_env({"ZWT_LICENSE_FEEDS": "natural_resources=ftp://x"})
