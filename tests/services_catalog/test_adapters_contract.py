"""One contract for every department adapter (fed by its sandbox over the WSGI transport) and the fakes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Callable, Iterator

import httpx
import pytest

from services_catalog.adapters import ADAPTERS
from services_catalog.errors import DepartmentRejected, DepartmentUnavailable, MalformedAnswer
from services_catalog.ports import CatalogFeed, CitizenRecords, DepartmentAdapter
from services_catalog.records import Citizen, CitizenRecord, IdentityOutcome
from services_catalog.sandbox import SANDBOXES, sandbox_wsgi_app
from services_catalog.sandbox.common import SandboxCatalog, SandboxTransport
from services_catalog.shared_records import SHARED_SOURCES
from services_catalog.testing import DEMO_CITIZENS, UNKNOWN_CITIZEN, FakeDepartment, ManualClock, Script
from services_catalog.sandbox.citizens import demo_record

KINDS = sorted(SANDBOXES)


def shared_source_of(department: object) -> str:
    """The shared-data source a department of this kind holds (adapters by class, fakes by their kind)."""
    kind = getattr(department, "kind", None) or next(k for k, cls in ADAPTERS.items() if isinstance(department, cls))
    return next(s.name for s in SHARED_SOURCES.values() if s.department_kind == kind)


PAGE_SIZE = 2
OPERATIONS: dict[str, Callable[[DepartmentAdapter], object]] = {
    "feed": lambda d: d.fetch_items(None, timeout=1.0),
    "identity": lambda d: d.check_identity(DEMO_CITIZENS[0].citizen, timeout=1.0),
    "records": lambda d: d.records(DEMO_CITIZENS[0].citizen, timeout=1.0),
    "shared": lambda d: d.shared_record(shared_source_of(d), DEMO_CITIZENS[0].citizen, timeout=1.0),  # type: ignore
}


@dataclass
class Subject:
    """A department under contract: the adapter or fake, the script steering it and its catalog."""

    department: DepartmentAdapter
    script: Script
    catalog: SandboxCatalog
    kind: str
    clock: ManualClock


@pytest.fixture(params=[(impl, kind) for impl in ("sandbox", "fake") for kind in KINDS],
                ids=lambda p: f"{p[0]}-{p[1]}")
def subject(request: pytest.FixtureRequest) -> Iterator[Subject]:
    impl, kind = request.param
    clock = ManualClock()
    script = Script(clock)
    code = f"qd-{kind}"
    if impl == "sandbox":
        app = sandbox_wsgi_app(kind, department_code=code, script=script)
        client = httpx.Client(transport=SandboxTransport(app), base_url=f"http://{code}.test")
        yield Subject(ADAPTERS[kind](code, client, page_size=PAGE_SIZE), script, app.catalog, kind, clock)
        client.close()
    else:
        fake = FakeDepartment(code, kind, script, page_size=PAGE_SIZE)
        yield Subject(fake, script, fake.catalog, kind, clock)


def drain(feed: CatalogFeed, cursor: str | None) -> tuple[list[str], str, int]:
    """Page through a feed until it is drained; return impl codes, the final cursor and the page count."""
    codes, pages = [], 0
    while True:
        page = feed.fetch_items(cursor, timeout=1.0)
        codes += [i.impl_code for i in page.items]
        cursor, pages = page.cursor, pages + 1
        if not page.has_more:
            return codes, cursor, pages


def test_subject_implements_the_ports(subject: Subject) -> None:
    """Every adapter and fake satisfies both the catalog-feed and the citizen-records port."""
    assert isinstance(subject.department, CatalogFeed)
    assert isinstance(subject.department, CitizenRecords)


def test_feed_pages_through_every_item_once(subject: Subject) -> None:
    """A full scan yields each catalog item exactly once, in pages of the configured size."""
    codes, _, pages = drain(subject.department, None)
    rows = subject.catalog.changed_since(dt.datetime.min.replace(tzinfo=dt.UTC))
    expected = [item.impl_code for _, item in rows]
    assert codes == expected and len(expected) > PAGE_SIZE
    assert pages == math.ceil(len(expected) / PAGE_SIZE)
    assert subject.script.operations() == ["feed"] * pages


def test_feed_items_are_domain_items_with_aware_times(subject: Subject) -> None:
    """Feed items carry the domain ServiceItem of the department and a timezone-aware change time."""
    page = subject.department.fetch_items(None, timeout=1.0)
    expected = dict(subject.catalog.items)
    for entry in page.items:
        at, item = expected[entry.impl_code]
        assert entry.item == item and entry.updated_at == at and entry.updated_at.tzinfo is not None


def test_incremental_scan_returns_only_what_changed(subject: Subject) -> None:
    """After a drained scan, the stored cursor yields the changed item and at most the boundary item again."""
    codes, cursor, _ = drain(subject.department, None)
    changed_at, item = subject.catalog.items[codes[1]]
    subject.catalog.put(replace(item, name=item.name + "（新）"), changed_at + dt.timedelta(days=30))
    again, _, _ = drain(subject.department, cursor)
    assert again[-1] == codes[1] and set(again) <= {codes[1], codes[-1]}
    first = subject.department.fetch_items(cursor, timeout=1.0).items
    assert any(entry.item.name.endswith("（新）") for entry in first)


@pytest.mark.parametrize("index", range(len(DEMO_CITIZENS)))
def test_records_map_to_the_domain(subject: Subject, index: int) -> None:
    """Each demo citizen's licenses and summaries come back exactly as the department holds them."""
    demo = DEMO_CITIZENS[index]
    record = subject.department.records(demo.citizen, timeout=1.0)
    assert record == demo_record(demo, subject.kind, subject.department.department_code)


@pytest.mark.parametrize("citizen", [UNKNOWN_CITIZEN, Citizen(DEMO_CITIZENS[0].citizen.id_number, "张三")],
                         ids=["unknown", "wrong-name"])
def test_records_of_a_stranger_are_empty(subject: Subject, citizen: Citizen) -> None:
    """A department reveals nothing for an unknown ID number or a name that does not match."""
    empty = CitizenRecord(subject.department.department_code)
    assert subject.department.records(citizen, timeout=1.0) == empty


@pytest.mark.parametrize(("citizen", "outcome"), [
    (DEMO_CITIZENS[1].citizen, IdentityOutcome.MATCH),
    (Citizen(DEMO_CITIZENS[1].citizen.id_number, "王方"), IdentityOutcome.MISMATCH),
    (UNKNOWN_CITIZEN, IdentityOutcome.NOT_FOUND),
], ids=["match", "mismatch", "not-found"])
def test_identity_check(subject: Subject, citizen: Citizen, outcome: IdentityOutcome) -> None:
    """The real-name check tells match, mismatch and not found apart."""
    assert subject.department.check_identity(citizen, timeout=1.0) is outcome
    assert subject.script.operations() == ["identity"]


@pytest.mark.parametrize("kind", ["missing_field", "wrong_type", "bad_date", "not_json"])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_malformed_answer_is_rejected(subject: Subject, operation: str, kind: str) -> None:
    """A malformed answer (missing field, wrong type, bad date, broken JSON) raises MalformedAnswer."""
    subject.script.then(fault="malformed", malformed=kind)
    with pytest.raises(MalformedAnswer) as caught:
        OPERATIONS[operation](subject.department)
    assert caught.value.department == subject.department.department_code and caught.value.detail


@pytest.mark.parametrize("status", [400, 403, 429])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_client_error_is_rejected(subject: Subject, operation: str, status: int) -> None:
    """A 4xx (or the department's equivalent) raises DepartmentRejected, which breakers ignore."""
    subject.script.then(fault="4xx", status=status)
    with pytest.raises(DepartmentRejected) as caught:
        OPERATIONS[operation](subject.department)
    assert not caught.value.trips_breaker


@pytest.mark.parametrize("status", [500, 502, 503])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_server_error_is_unavailable(subject: Subject, operation: str, status: int) -> None:
    """A 5xx (or the department's equivalent) raises DepartmentUnavailable."""
    subject.script.then(fault="5xx", status=status)
    with pytest.raises(DepartmentUnavailable) as caught:
        OPERATIONS[operation](subject.department)
    assert caught.value.trips_breaker and caught.value.retryable


def test_refused_connection_is_unavailable(subject: Subject) -> None:
    """A refused connection raises DepartmentUnavailable and the next call works again."""
    subject.script.then(fault="refuse")
    with pytest.raises(DepartmentUnavailable):
        OPERATIONS["records"](subject.department)
    assert OPERATIONS["identity"](subject.department) is IdentityOutcome.MATCH


def test_latency_runs_on_the_injected_clock(subject: Subject) -> None:
    """Scripted latency passes in virtual time: the call returns 0.25 virtual seconds later, instantly."""
    subject.script.set(latency_s=0.25)
    OPERATIONS["identity"](subject.department)
    assert subject.clock.monotonic() == pytest.approx(0.25)


def test_hang_ends_at_its_maximum(subject: Subject) -> None:
    """A hung call answers normally once its maximum hang time has passed."""
    subject.script.set(fault="hang", hang_max_s=30.0)
    assert OPERATIONS["identity"](subject.department) is IdentityOutcome.MATCH
    assert subject.clock.monotonic() == pytest.approx(30.0)
