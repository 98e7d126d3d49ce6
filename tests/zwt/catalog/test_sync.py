"""Catalog sync from department feeds: incremental, idempotent, resumable, never deleting by omission."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from services_catalog.sandbox import sandbox_departments
from services_catalog.sandbox.common import SandboxCatalog
from services_catalog.testing import FakeDepartment, FakeDepartments
from zwt.catalog.sync import sync_all
from zwt.db import session
from zwt.models import Department, ItemEvent, ServiceItemRow, SyncState

from ..catalog_admin_helpers import register_departments
from .conftest import make_item

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def register(app):
    """The department register the synced items' names come from."""
    register_departments(app)


@pytest.fixture
def feed():
    """A police feed whose content the test edits, with 2-item pages."""
    catalog = SandboxCatalog()
    for n in range(5):
        catalog.put(make_item(100 + n, name=f"户籍业务{n}"), T0 + dt.timedelta(minutes=n))
    return catalog


@pytest.fixture
def departments(feed):
    """Fake departments serving ``feed`` as the police catalog."""
    return FakeDepartments([FakeDepartment("police", "police", catalog=feed, page_size=2)])


def _sync(app, departments, **kwargs):
    with app.app_context():
        return sync_all(session(), departments, now=app.extensions["zwt"].clock.now(), timeout=1.0, **kwargs)


def _count(app, *where):
    with app.app_context():
        return session().scalar(select(func.count()).select_from(ServiceItemRow).where(*where))


def test_first_sync_creates_then_resync_is_a_no_op(app, departments):
    """Items are created once; syncing again changes nothing and writes no audit events."""
    first = _sync(app, departments)[0]
    assert (first.created, first.pages, first.error) == (5, 3, None)
    with app.app_context():
        events = session().scalar(select(func.count()).select_from(ItemEvent))
    again = _sync(app, departments)[0]
    assert again.created == again.updated == 0
    with app.app_context():
        assert session().scalar(select(func.count()).select_from(ItemEvent)) == events
    assert _count(app) == 5


def test_incremental_sync_picks_up_changes_only(app, departments, feed):
    """After the watermark only changed items are fetched and updated (version bumped)."""
    _sync(app, departments)
    changed = dataclasses.replace(make_item(101, name="户籍业务1"), promised_time_limit=5)
    feed.put(changed, T0 + dt.timedelta(hours=1))
    report = _sync(app, departments)[0]
    assert (report.updated, report.created) == (1, 0)
    with app.app_context():
        row = session().scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == changed.impl_code))
        assert row.data["promised_time_limit"] == 5 and row.version == 2


def test_items_missing_from_a_feed_are_kept_until_cancelled(app, departments, feed):
    """An item the feed stops sending stays published; an explicit cancel cancels it."""
    _sync(app, departments)
    gone = make_item(102, name="户籍业务2")
    del feed.items[gone.impl_code]
    _sync(app, departments, full=True)
    assert _count(app, ServiceItemRow.status == "published") == 5
    feed.put(dataclasses.replace(gone, status="cancelled"), T0 + dt.timedelta(hours=2))
    _sync(app, departments)
    assert _count(app, ServiceItemRow.status == "cancelled") == 1


def test_invalid_feed_items_are_rejected_with_reasons(app, departments, feed):
    """A published feed item failing the audit rules is not stored, and the report says why."""
    feed.put(make_item(200, name="户籍业务X", visit_count=2, onsite_reason=""), T0 + dt.timedelta(hours=3))
    report = _sync(app, departments)[0]
    assert report.rejected == 1 and "visit_count" in report.problems[0]
    assert _count(app) == 5


def test_a_failing_department_keeps_its_watermark(app, departments):
    """A department error mid-sync is reported; pages already committed stay and the next run resumes."""
    departments.scripts["police"].then(1).set(fault="5xx")  # first page fine, then failures
    report = _sync(app, departments)[0]
    assert report.error and report.created == 2
    with app.app_context():
        assert session().get(SyncState, "police").cursor is not None
    departments.scripts["police"].heal()
    resumed = _sync(app, departments)[0]
    assert resumed.error is None and resumed.created == 3


def test_sync_through_the_real_police_adapter_is_lossless(app):
    """Items that crossed the police wire format hash the same on a second sync (nothing lost in mapping)."""
    real = sandbox_departments(departments=[("police", "police")], page_size=100)
    first = _sync(app, real)[0]
    second = _sync(app, real, full=True)[0]
    assert first.error is None and first.created > 500
    assert second.unchanged == first.created and second.updated == 0
    real.close()


def test_sync_command_prints_a_report(app):
    """The CLI syncs every configured department and prints one line each."""
    result = app.test_cli_runner().invoke(args=["sync-catalog", "--department", "housing_fund"])
    assert result.exit_code == 0, result.output
    assert "housing_fund: ok" in result.output
    bad = app.test_cli_runner().invoke(args=["sync-catalog", "--department", "nope"])
    assert bad.exit_code != 0 and "unknown department" in bad.output


def test_a_feed_never_overwrites_an_item_maintained_through_registration(app, departments, feed, clock):
    """An item a department registered through the admin API keeps its edits; the feed's copy is
    skipped and reported as a conflict, the other feed items sync as usual."""
    from zwt.catalog.repository import save_item

    registered = make_item(101, name="户籍业务1（窗口登记版）")
    with app.app_context():
        save_item(session(), registered, source="registration", actor="admin", action="create", now=clock.now())
        session().commit()
    report = _sync(app, departments)[0]
    assert (report.created, report.conflicts) == (4, 1)
    assert "maintained through registration" in report.problems[0] and "conflicts=1" in report.summary()
    with app.app_context():
        row = session().scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == registered.impl_code))
        assert row.name == "户籍业务1（窗口登记版）" and row.source == "registration"


@pytest.mark.slow
def test_syncing_the_demo_catalog_finds_its_feed_items_already_there(app, clock):
    """`make run` loads the demo catalog with the feed departments' items marked as theirs, so a later
    sync of the sandbox feeds meets no registration conflicts and leaves the loaded items unchanged."""
    from zwt.catalog.demo import load_demo_catalog

    with app.app_context():
        load_demo_catalog(session(), now=clock.now(), count=1_500)
        feed_items = session().scalar(select(func.count()).select_from(ServiceItemRow)
                                      .where(ServiceItemRow.source == "feed"))
    real = sandbox_departments(departments=[("housing_fund", "housing_fund")], page_size=100)
    report = _sync(app, real)[0]
    real.close()
    assert report.error is None and report.conflicts == 0
    assert feed_items > 0 and report.unchanged > 0  # the loaded ones; the feed also has items beyond them


def test_a_feed_speaks_only_for_its_own_department_under_the_registers_name(app, feed, departments):
    """A police feed item claiming the housing fund is rejected; the police items are stored under the
    register's name whatever name the feed sent."""
    feed.put(make_item(200, department_code="housing_fund", department_name="青岛市住房公积金管理中心"), T0)
    feed.put(make_item(201, department_name="青岛市住房公积金管理中心"), T0)
    report = _sync(app, departments)[0]
    assert (report.created, report.rejected) == (6, 1)
    assert "not this feed's department" in report.problems[0]
    with app.app_context():
        names = set(session().scalars(select(ServiceItemRow.department_name)))
    assert names == {"青岛市公安局"}


def test_a_department_outside_the_register_syncs_nothing(app, departments):
    """Without a register entry the department's name is unknown, so its items are refused and reported."""
    with app.app_context():
        session().execute(delete(Department))
        session().commit()
    report = _sync(app, departments)[0]
    assert (report.created, report.rejected) == (0, 5)
    assert "not in the register" in report.problems[0]
