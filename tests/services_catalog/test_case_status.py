"""Status by polling, for every department system that takes applications: each adapter asks its sandbox in
that department's own wire format, in batches, and reads back the platform's states and decisions."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from services_catalog.adapters import ADAPTERS
from services_catalog.adapters.civil_affairs import QUERY_BATCH
from services_catalog.adapters.police import STATUS_BATCH
from services_catalog.errors import DepartmentUnavailable, MalformedAnswer
from services_catalog.ports import CASE_STATES, ApplicationIntake, ApplicationStatus, ApplicationSubmission, CaseStatus
from services_catalog.sandbox import sandbox_wsgi_app
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.testing import ManualClock, Script

BATCHES = {"police": STATUS_BATCH, "civil_affairs": QUERY_BATCH}


@pytest.fixture(params=sorted(BATCHES))
def system(request):
    """(kind, adapter, sandbox) of a department system that takes applications."""
    kind = request.param
    app = sandbox_wsgi_app(kind, department_code=kind, script=Script(ManualClock()))
    with httpx.Client(transport=SandboxTransport(app), base_url=f"http://{kind}.test") as client:
        yield kind, ADAPTERS[kind](kind, client), app


def _submit(adapter, application_id: str) -> None:
    adapter.submit_application(ApplicationSubmission(application_id, "item", "张伟", "x", {"a": "b"},
                                                     dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)), timeout=1.0)


def test_it_reports_each_state_and_a_decision_in_the_platforms_words(system):
    """Every case state goes over the wire and back; a decision keeps its outcome, reason and legal basis."""
    _, adapter, app = system
    assert isinstance(adapter, ApplicationIntake) and isinstance(adapter, ApplicationStatus)
    ids = [f"ap_{state}" for state in CASE_STATES]
    for application_id in ids:
        _submit(adapter, application_id)
    moved = {state: CaseStatus(f"ap_{state}", state, message=f"{state} 说明") for state in CASE_STATES}
    moved["decided"] = CaseStatus("ap_decided", "decided", "经审查准予", "approved", "符合条件", "第九条",
                                  license_fields={"address": "市南区"})
    moved["concluded"] = CaseStatus("ap_concluded", "concluded", "已办结", "denied", "不符合", "第十条", "express")
    for status in moved.values():
        app.move_case(status)
    found = {s.application_id: s for s in adapter.application_statuses(ids, timeout=1.0)}
    assert found == {f"ap_{state}": status for state, status in moved.items()}


def test_a_case_not_yet_moved_is_in_pre_check_and_unknown_ids_are_left_out(system):
    _, adapter, _ = system
    _submit(adapter, "ap_known")
    assert adapter.application_statuses(["ap_unknown", "ap_known"], timeout=1.0) == [
        CaseStatus("ap_known", "pre_check")]


def test_a_long_list_is_asked_in_the_departments_batches(system):
    """More ids than the department takes in one request go in several requests."""
    kind, adapter, app = system
    ids = [f"ap_{n}" for n in range(BATCHES[kind] + 1)]
    for application_id in ids:
        _submit(adapter, application_id)
    before = app.script.operations().count("status")
    assert len(adapter.application_statuses(ids, timeout=1.0)) == len(ids)
    assert app.script.operations().count("status") - before == 2


@pytest.mark.parametrize("fault,error", [("5xx", DepartmentUnavailable), ("malformed", MalformedAnswer)])
def test_failures_are_department_errors(system, fault, error):
    """An outage or a broken answer is a ``DepartmentError`` the aggregator counts against the breaker."""
    _, adapter, app = system
    _submit(adapter, "ap_x")
    app.script.set(fault=fault, malformed="not_json")
    with pytest.raises(error):
        adapter.application_statuses(["ap_x"], timeout=1.0)
