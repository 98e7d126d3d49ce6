"""In-memory departments that implement the ports, follow a Script and record their calls."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from .adapters.cursor import FeedCursor
from .clock import WaitingClock
from .departments import Department, Departments
from .errors import DepartmentRejected, DepartmentUnavailable, MalformedAnswer
from .ports import FeedItem, FeedPage, LicenseFeedPage
from .records import Citizen, CitizenRecord, IdentityOutcome
from .sandbox.catalog import demo_catalog
from .sandbox.citizens import DemoCitizen, demo_record
from .sandbox.common import SandboxCatalog
from .sandbox.issuers import FeedRequestRefused, SandboxIssuer
from .sandbox.registry import PeopleRegistry
from .sandbox.script import Script
from .sandbox.shared_demo import demo_shared_record
from .shared_records import SHARED_SOURCES, SharedRecord

__all__ = ["FakeDepartment", "FakeDepartments", "fake_departments", "FakeLicenseFeed"]


def _begin(script: Script, operation: str, code: str) -> None:
    """Record the call and raise what its scripted fault would become after an adapter mapped it."""
    behaviour = script.begin(operation)
    if behaviour.fault in ("5xx", "refuse"):
        raise DepartmentUnavailable(code, f"scripted {behaviour.fault}")
    if behaviour.fault == "4xx":
        raise DepartmentRejected(code, f"scripted HTTP {behaviour.status}")
    if behaviour.fault == "malformed":
        raise MalformedAnswer(code, f"scripted {behaviour.malformed}")


class FakeDepartment:
    """A department in memory: same data and scripted faults as its sandbox, no HTTP, no wire format."""

    def __init__(self, department_code: str, kind: str, script: Script | None = None, *,
                 catalog: SandboxCatalog | None = None, citizens: Sequence[DemoCitizen] | None = None,
                 registry: PeopleRegistry | None = None, page_size: int = 50) -> None:
        self.department_code = department_code
        self.kind = kind
        self.script = script or Script()
        self.catalog = catalog or demo_catalog(department_code, kind)
        #: who this department knows: ``citizens`` exactly, else the registry (demo people plus its file)
        self.registry = PeopleRegistry.fixed(citizens) if citizens is not None else registry or PeopleRegistry()
        self.page_size = page_size

    def _begin(self, operation: str) -> None:
        _begin(self.script, operation, self.department_code)

    def fetch_items(self, since: str | None, *, timeout: float) -> FeedPage:
        """Return the page after cursor ``since`` from the in-memory catalog."""
        self._begin("feed")
        cursor = FeedCursor.decode(since, "0")
        offset = int(cursor.position)
        rows = self.catalog.changed_since(cursor.since)
        page = rows[offset:offset + self.page_size]
        items = tuple(FeedItem(item, at) for at, item in page)
        seen = [at for at, _ in page]
        if page and offset + len(page) < len(rows):
            return FeedPage(items, cursor.next(str(offset + len(page)), seen).encode(), True)
        return FeedPage(items, cursor.drained(seen, "0").encode(), False)

    def check_identity(self, citizen: Citizen, *, timeout: float) -> IdentityOutcome:
        """Compare name and ID number with the demo citizens."""
        self._begin("identity")
        found = self.registry.find(citizen.id_number)
        if found is None:
            return IdentityOutcome.NOT_FOUND
        return IdentityOutcome.MATCH if found.citizen.name == citizen.name else IdentityOutcome.MISMATCH

    def records(self, citizen: Citizen, *, timeout: float) -> CitizenRecord:
        """Return what this kind of department holds about a citizen whose name matches."""
        self._begin("records")
        found = self.registry.find(citizen.id_number)
        if found is None or found.citizen.name != citizen.name:
            return CitizenRecord(self.department_code)
        return demo_record(found, self.kind, self.department_code)

    def shared_record(self, source: str, citizen: Citizen, *, timeout: float) -> SharedRecord | None:
        """Return the shared record of ``source`` its sandbox would serve (rejected when another kind holds it)."""
        self._begin("shared")
        if source not in SHARED_SOURCES or SHARED_SOURCES[source].department_kind != self.kind:
            raise DepartmentRejected(self.department_code, f"holds no shared source {source!r}")
        found = self.registry.find(citizen.id_number)
        if found is None or found.citizen.name != citizen.name:
            return None
        return demo_shared_record(found, source, self.department_code)


class FakeLicenseFeed:
    """A department's license change feed in memory: its issuer's log, the sandbox's cursors and limits, the
    script's faults, no HTTP."""

    def __init__(self, department_code: str, issuer: SandboxIssuer, script: Script | None = None) -> None:
        self.department_code = department_code
        self.issuer = issuer
        self.script = script or Script()

    def fetch_licenses(self, since: str | None, *, limit: int, timeout: float) -> LicenseFeedPage:
        """Return up to ``limit`` records of the log after cursor ``since``."""
        _begin(self.script, "licenses", self.department_code)
        try:
            records, cursor, more = self.issuer.changes(since, limit)
        except FeedRequestRefused as exc:
            raise DepartmentRejected(self.department_code, f"{exc.parameter}: {exc}") from exc
        return LicenseFeedPage(records, cursor, more)


class FakeDepartments(Departments):
    """Fake departments by code; ``scripts[code]`` steers each and records its calls."""

    def __init__(self, fakes: Iterable[FakeDepartment]) -> None:
        fakes = list(fakes)
        super().__init__(Department(f.department_code, f.kind, f) for f in fakes)
        self.fakes: Mapping[str, FakeDepartment] = {f.department_code: f for f in fakes}
        self.scripts: Mapping[str, Script] = {f.department_code: f.script for f in fakes}

    def release_all(self) -> None:
        """Let every hung fake call answer."""
        for script in self.scripts.values():
            script.release()


def fake_departments(
    *,
    latency_ms: float | Mapping[str, float] | None = None,
    clock: WaitingClock | None = None,
    departments: Iterable[tuple[str, str]] = (("police", "police"), ("hrss", "hrss"),
                                              ("housing_fund", "housing_fund")),
    page_size: int = 50,
    registry_path: str | None = None,
) -> FakeDepartments:
    """Build fakes the way ``sandbox_departments`` builds sandboxes, with the same knobs."""
    fakes = []
    registry = PeopleRegistry(registry_path)
    for code, kind in departments:
        ms = latency_ms.get(code, 0.0) if isinstance(latency_ms, Mapping) else (latency_ms or 0.0)
        fakes.append(FakeDepartment(code, kind, Script(clock, latency_s=ms / 1000.0), registry=registry,
                                    page_size=page_size))
    return FakeDepartments(fakes)
