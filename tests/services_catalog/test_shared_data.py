"""Shared department data: each source through its adapter and sandbox (and the fakes), and the parallel
look-up under a deadline in virtual time: ok, pending when slow, failed when faulted."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Iterator

import httpx
import pytest

from services_catalog.aggregator import Aggregator
from services_catalog.adapters import ADAPTERS
from services_catalog.errors import DepartmentRejected
from services_catalog.records import Citizen
from services_catalog.sandbox import DEMO_DEPARTMENTS, SandboxDepartments, sandbox_departments, sandbox_wsgi_app
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.sandbox.registry import PeopleRegistry
from services_catalog.sandbox.shared_demo import demo_shared_record
from services_catalog.shared_data import fetch_shared
from services_catalog.shared_records import SHARED_SOURCES, SharedDataSource, SharedRecord, canonical_bytes
from services_catalog.testing import DEMO_CITIZENS, UNKNOWN_CITIZEN, FakeDepartment, ManualClock, VirtualTimeExecutor
from tests.services_catalog.test_aggregator import make

SOURCES = sorted(SHARED_SOURCES)
ZHANG = DEMO_CITIZENS[0]


def _department(impl: str, source: str) -> Iterator[SharedDataSource]:
    kind = SHARED_SOURCES[source].department_kind
    if impl == "fake":
        yield FakeDepartment(f"qd-{kind}", kind)
        return
    client = httpx.Client(transport=SandboxTransport(sandbox_wsgi_app(kind, department_code=f"qd-{kind}")),
                          base_url="http://dept.test")
    yield ADAPTERS[kind](f"qd-{kind}", client)  # type: ignore[misc]
    client.close()


@pytest.fixture(params=[(impl, source) for impl in ("sandbox", "fake") for source in SOURCES],
                ids=lambda p: f"{p[0]}-{p[1]}")
def holder(request: pytest.FixtureRequest) -> Iterator[tuple[str, SharedDataSource]]:
    """A source and the department (adapter over its sandbox, or the fake) holding it."""
    impl, source = request.param
    for department in _department(impl, source):
        yield source, department


@pytest.mark.parametrize("index", range(len(DEMO_CITIZENS)))
def test_each_source_maps_to_the_domain(holder: tuple[str, SharedDataSource], index: int) -> None:
    """Each demo person's shared record comes back, through the department's wire format, as it holds it."""
    source, department = holder
    demo = DEMO_CITIZENS[index]
    got = department.shared_record(source, demo.citizen, timeout=1.0)
    assert got == demo_shared_record(demo, source, department.department_code)


def test_demo_people_have_realistic_records() -> None:
    """张伟's records: a year of payments on his base, 12 % + 12 % deposits, and his household as its head."""
    ss = demo_shared_record(ZHANG, "social_security_payments", "hrss")
    hf = demo_shared_record(ZHANG, "housing_fund_deposits", "housing_fund")
    hh = demo_shared_record(ZHANG, "household_registration", "police")
    assert ss and hf and hh
    assert len(ss.data["months"]) == 12 and ss.data["months"][-1]["month"] == "2026-10"
    assert ss.data["months"][-1]["amount_fen"] == ZHANG.social_security.last_payment_fen  # type: ignore[union-attr]
    assert ss.data["continuous_months"] <= ss.data["total_months"] == 212
    assert hf.data["employer_rate_pct"] == hf.data["personal_rate_pct"] == 12
    assert sum(d["amount_fen"] for d in hf.data["deposits"]) == 12 * 426_000
    assert hh.data["relation"] == "户主" and hh.data["address"].startswith("山东省青岛市市南区")


@pytest.mark.parametrize("citizen", [UNKNOWN_CITIZEN, Citizen(ZHANG.citizen.id_number, "张三")],
                         ids=["unknown", "wrong-name"])
def test_a_stranger_has_no_record(holder: tuple[str, SharedDataSource], citizen: Citizen) -> None:
    """A department shares nothing about an unknown ID number or a name that does not match."""
    source, department = holder
    assert department.shared_record(source, citizen, timeout=1.0) is None


def test_another_departments_source_is_rejected(holder: tuple[str, SharedDataSource]) -> None:
    """Asking a department for a source it does not hold is the caller's fault (breakers ignore it)."""
    source, department = holder
    other = next(name for name in SOURCES if SHARED_SOURCES[name].department_kind
                 != SHARED_SOURCES[source].department_kind)
    with pytest.raises(DepartmentRejected):
        department.shared_record(other, ZHANG.citizen, timeout=1.0)


def test_digest_is_sha256_of_the_canonical_form_and_ignores_key_order() -> None:
    """Equal records have equal digests whatever their key order or department code; a change changes it."""
    a = SharedRecord("household_registration", "police", {"relation": "户主", "address": "青岛"})
    b = SharedRecord("household_registration", "qd-police", {"address": "青岛", "relation": "户主"})
    assert a.digest == b.digest == hashlib.sha256(canonical_bytes(
        {"source": "household_registration", "data": {"address": "青岛", "relation": "户主"}})).hexdigest()
    assert dataclasses.replace(a, data={"relation": "子", "address": "青岛"}).digest != a.digest


# -- the parallel look-up in virtual time -------------------------------------------------------------------

LATENCY_MS = {"police": 50, "hrss": 50, "housing_fund": 50, "civil_affairs": 50}


@pytest.fixture
def departments(clock: ManualClock) -> Iterator[SandboxDepartments]:
    """The sandboxes answering in 50 ms each, on the virtual clock (conftest.py)."""
    deps = sandbox_departments(latency_ms=LATENCY_MS, clock=clock, departments=DEMO_DEPARTMENTS)
    yield deps
    deps.close()


@pytest.fixture
def agg(departments: SandboxDepartments, clock: ManualClock, executor: VirtualTimeExecutor) -> Aggregator:
    """An aggregator whose own deadlines are long: each test sets the look-up's deadline."""
    return make(departments, clock, executor, deadline_s=5.0, per_source_timeout_s=5.0)


def test_all_sources_in_parallel_take_the_slowest_department(agg: Aggregator, clock: ManualClock,
                                                             departments: SandboxDepartments) -> None:
    """Three sources answering in 50 ms each are all ok after 50 ms, not 150 ms, each with its fetch time."""
    start = clock.monotonic()
    results = fetch_shared(agg, departments, ZHANG.citizen, SOURCES, deadline_s=1.0)
    assert clock.monotonic() - start == pytest.approx(0.05)
    assert {name: r.state for name, r in results.items()} == dict.fromkeys(SOURCES, "ok")
    for name, result in results.items():
        assert result.record == demo_shared_record(ZHANG, name, result.department_code or "")
        assert result.fetched_at == clock.now()


def test_a_slow_department_is_pending_at_the_deadline(agg: Aggregator, clock: ManualClock,
                                                      departments: SandboxDepartments) -> None:
    """A department slower than the deadline is pending (not failed) once the deadline passes; the rest are ok."""
    departments.scripts["hrss"].set(latency_s=3.0)
    start = clock.monotonic()
    results = fetch_shared(agg, departments, ZHANG.citizen, SOURCES, deadline_s=0.5)
    assert clock.monotonic() - start == pytest.approx(0.5)
    assert results["social_security_payments"].state == "pending"
    assert results["social_security_payments"].record is None
    assert results["housing_fund_deposits"].state == results["household_registration"].state == "ok"


@pytest.mark.parametrize("fault", ["5xx", "4xx", "malformed", "refuse"])
def test_a_faulted_department_is_failed(agg: Aggregator, departments: SandboxDepartments, fault: str) -> None:
    """A department answering with an error (or not at all, at once) is failed with the reason."""
    departments.scripts["police"].set(fault=fault)
    results = fetch_shared(agg, departments, ZHANG.citizen, SOURCES, deadline_s=1.0)
    assert results["household_registration"].state == "failed"
    assert results["household_registration"].reason in {"unavailable", "rejected", "malformed"}
    assert results["social_security_payments"].state == "ok"


def test_a_person_a_department_does_not_know_is_ok_without_record(agg: Aggregator,
                                                                  departments: SandboxDepartments) -> None:
    """刘洋's household is registered in another city: the police answer, with nothing to share."""
    liu = DEMO_CITIZENS[3]
    results = fetch_shared(agg, departments, liu.citizen, ["household_registration"], deadline_s=1.0)
    assert results["household_registration"].state == "ok" and results["household_registration"].record is None


def test_a_source_without_its_department_is_failed(agg: Aggregator, departments: SandboxDepartments) -> None:
    """A source whose kind of department is not deployed fails by name, without a call."""
    only_police = {code: d for code, d in departments.items() if d.kind == "police"}
    results = fetch_shared(agg, only_police, ZHANG.citizen, SOURCES, deadline_s=1.0)
    assert results["social_security_payments"].reason == "no_department"
    assert results["household_registration"].state == "ok"
    assert departments.scripts["hrss"].operations() == []


def test_a_changed_record_has_a_new_digest(agg: Aggregator, departments: SandboxDepartments) -> None:
    """When a month's payment arrives, the record's digest changes; asking again without change keeps it."""
    first = fetch_shared(agg, departments, ZHANG.citizen, ["social_security_payments"], deadline_s=1.0)
    again = fetch_shared(agg, departments, ZHANG.citizen, ["social_security_payments"], deadline_s=1.0)
    ss = ZHANG.social_security
    assert ss is not None
    paid = dataclasses.replace(ZHANG, social_security=dataclasses.replace(
        ss, contribution_months=ss.contribution_months + 1, last_payment_month="2026-11"))
    departments.sandboxes["hrss"].registry = PeopleRegistry.fixed([paid])
    later = fetch_shared(agg, departments, ZHANG.citizen, ["social_security_payments"], deadline_s=1.0)
    digests = [r["social_security_payments"].record.digest for r in (first, again, later)]  # type: ignore[union-attr]
    assert digests[0] == digests[1] != digests[2]
