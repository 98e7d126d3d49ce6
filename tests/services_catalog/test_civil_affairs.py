"""The civil affairs adapter against its sandbox: marriage status (shared data) and idempotent case intake."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from services_catalog.adapters.civil_affairs import CivilAffairsAdapter
from services_catalog.errors import DepartmentRejected
from services_catalog.ports import ApplicationIntake, ApplicationSubmission
from services_catalog.records import Citizen
from services_catalog.sandbox import sandbox_wsgi_app
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.sandbox.issued import records_of


@pytest.fixture
def bureau():
    """The adapter over loopback-free WSGI to the sandbox, and the sandbox."""
    app = sandbox_wsgi_app("civil_affairs", department_code="civil_affairs")
    with httpx.Client(transport=SandboxTransport(app), base_url="http://mz.test") as client:
        yield CivilAffairsAdapter("civil_affairs", client), app


def _expected(demo) -> str:
    kinds = sorted((r["issued_on"], r["license_type"]) for r in records_of(demo.citizen.id_number)
                   if r["license_type"] in ("marriage_certificate", "divorce_certificate"))
    if not kinds:
        return "unmarried"
    return {"marriage_certificate": "married", "divorce_certificate": "divorced"}[kinds[-1][1]]


@pytest.mark.parametrize("index", range(len(DEMO_CITIZENS)))
def test_marriage_status_follows_the_register(bureau, index):
    """Each demo person's status is their newest marriage or divorce registration, else unmarried."""
    adapter, _ = bureau
    demo = DEMO_CITIZENS[index]
    status = adapter.marriage_status(demo.citizen, timeout=1.0)
    assert status.state == _expected(demo)
    assert (status.since is None) == (status.state == "unmarried")
    assert {s.state for s in (adapter.marriage_status(d.citizen, timeout=1.0) for d in DEMO_CITIZENS)} >= {
        "married", "divorced", "unmarried"}


def test_unknown_person_is_refused(bureau):
    """The register names no one it does not know: a 1xxxxx code, the caller's fault."""
    adapter, _ = bureau
    with pytest.raises(DepartmentRejected):
        adapter.marriage_status(Citizen("370202199001011234", "无名"), timeout=1.0)


def test_intake_is_idempotent_by_the_application_id(bureau):
    """The same application id twice opens one case and says it is a repeat."""
    adapter, app = bureau
    assert isinstance(adapter, ApplicationIntake)
    submission = ApplicationSubmission("ap_x1", "item", "张伟", DEMO_CITIZENS[0].citizen.id_number,
                                       {"address": "市南区"}, dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc))
    first = adapter.submit_application(submission, timeout=1.0)
    again = adapter.submit_application(submission, timeout=1.0)
    assert not first.duplicate and again.duplicate and again.reference == first.reference
    assert app.cases == {"ap_x1": first.reference}


def test_its_feed_carries_the_online_items_with_their_forms(bureau):
    """The demo catalog's civil-affairs items that take applications arrive with form fields through the feed."""
    adapter, _ = bureau
    items, cursor = [], None
    while True:
        page = adapter.fetch_items(cursor, timeout=1.0)
        items += [entry.item for entry in page.items]
        cursor = page.cursor
        if not page.has_more:
            break
    online = {i.name for i in items if i.accepts_online and i.form_fields}
    assert {"最低生活保障申请", "八十周岁以上老年人高龄津贴申请", "内地居民结婚登记"} <= online
