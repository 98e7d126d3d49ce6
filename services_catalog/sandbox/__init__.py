"""Sandbox department systems: small WSGI apps with demo data and scriptable latency, faults and hangs.

In-process: ``sandbox_departments()`` wires the real adapters to the sandboxes through httpx's WSGI
transport. As separate processes: ``gunicorn 'services_catalog.sandbox:police_app()'`` (likewise
``hrss_app()`` and ``housing_fund_app()``), then point ``Departments.from_config`` at their URLs.

The departments issuing through the standard interface (#21) are in :mod:`.issuers`: the push ones sign
with :class:`~services_catalog.issuing.IssuingClient`, the feed ones serve
``gunicorn 'services_catalog.sandbox:license_feed_app("natural_resources", "seed")'``. The public credit
platform is :mod:`.credit` (``sandbox_credit_platform()``, ``gunicorn 'services_catalog.sandbox:credit_app()'``).
"""

from __future__ import annotations

from typing import Iterable, Mapping

import httpx

from ..adapters import ADAPTERS, LicenseFeedAdapter
from ..clock import WaitingClock
from ..departments import Department, Departments
from .catalog import demo_catalog
from .civil_affairs import CivilAffairsSandbox
from .common import DepartmentSandbox, SandboxTransport
from .credit import CreditSandbox, credit_app, sandbox_credit_platform
from .housing_fund import HousingFundSandbox
from .issuers import DEMO_SEED, FEED_DEPARTMENTS, LicenseFeedSandbox, SandboxIssuer
from .hrss import HrssSandbox
from .police import PoliceSandbox
from .registry import PeopleRegistry
from .script import Behaviour, Call, Script

__all__ = [
    "SANDBOXES",
    "DEFAULT_DEPARTMENTS",
    "DEMO_DEPARTMENTS",
    "SandboxDepartments",
    "sandbox_departments",
    "sandbox_wsgi_app",
    "police_app",
    "hrss_app",
    "housing_fund_app",
    "license_feed_app",
    "CreditSandbox",
    "credit_app",
    "sandbox_credit_platform",
    "sandbox_license_feeds",
    "Behaviour",
    "Call",
    "Script",
    "PeopleRegistry",
]

#: adapter kind -> the sandbox of that kind of department system
SANDBOXES: Mapping[str, type[DepartmentSandbox]] = {
    "police": PoliceSandbox,
    "hrss": HrssSandbox,
    "housing_fund": HousingFundSandbox,
    "civil_affairs": CivilAffairsSandbox,
}
#: (department code, kind) of the three systems holding a citizen's licenses and records: the overview's sources
DEFAULT_DEPARTMENTS: tuple[tuple[str, str], ...] = (("police", "police"), ("hrss", "hrss"),
                                                    ("housing_fund", "housing_fund"))
#: the demo deployment's (the app's embedded default): those three, and civil affairs, which holds no licenses
#: (its certificates come through the standard issuing interface) but shares marriage status and takes
#: applications
DEMO_DEPARTMENTS: tuple[tuple[str, str], ...] = DEFAULT_DEPARTMENTS + (("civil_affairs", "civil_affairs"),)


class SandboxDepartments(Departments):
    """Departments backed by in-process sandboxes; ``scripts[code]`` steers each one at runtime."""

    def __init__(self, departments: Iterable[Department], *, clients: Iterable[httpx.Client],
                 sandboxes: Mapping[str, DepartmentSandbox]) -> None:
        super().__init__(departments, clients=clients)
        self.sandboxes = dict(sandboxes)
        self.scripts = {code: app.script for code, app in sandboxes.items()}

    def release_all(self) -> None:
        """Let every hung sandbox call answer (tests call this on teardown)."""
        for script in self.scripts.values():
            script.release()


def sandbox_wsgi_app(
    kind: str, *, department_code: str | None = None, script: Script | None = None,
    registry: PeopleRegistry | None = None,
) -> DepartmentSandbox:
    """Return the sandbox WSGI app of a department ``kind`` with its demo catalog and the registry's people."""
    return SANDBOXES[kind](script, catalog=demo_catalog(department_code or kind, kind), registry=registry)


def police_app(registry_path: str | None = None) -> DepartmentSandbox:
    """The police sandbox for gunicorn (``'services_catalog.sandbox:police_app("people.json")'``)."""
    return sandbox_wsgi_app("police", registry=PeopleRegistry(registry_path))


def hrss_app(registry_path: str | None = None) -> DepartmentSandbox:
    """The social security sandbox for gunicorn."""
    return sandbox_wsgi_app("hrss", registry=PeopleRegistry(registry_path))


def housing_fund_app(registry_path: str | None = None) -> DepartmentSandbox:
    """The housing fund sandbox for gunicorn."""
    return sandbox_wsgi_app("housing_fund", registry=PeopleRegistry(registry_path))


def license_feed_app(department: str, seed: str | None = None) -> LicenseFeedSandbox:
    """The change feed of a standard-interface department for gunicorn; its key derives from ``seed``."""
    return LicenseFeedSandbox(SandboxIssuer(department, seed=None if seed is None else seed.encode("utf-8")))


def sandbox_license_feeds(issuers: Iterable[SandboxIssuer] | None = None,
                          ) -> tuple[dict[str, LicenseFeedAdapter], list[httpx.Client]]:
    """Change feeds served in-process: the real adapter talking to each issuer's :class:`LicenseFeedSandbox`
    through the WSGI transport (default: the feed departments of the demo, keys from ``DEMO_SEED``); the
    clients are the caller's to close."""
    if issuers is None:
        issuers = [SandboxIssuer(code, seed=DEMO_SEED + b"|" + code.encode()) for code in FEED_DEPARTMENTS]
    feeds, clients = {}, []
    for issuer in issuers:
        client = httpx.Client(transport=SandboxTransport(LicenseFeedSandbox(issuer)),
                              base_url=f"http://{issuer.department}.sandbox")
        feeds[issuer.department] = LicenseFeedAdapter(issuer.department, client)
        clients.append(client)
    return feeds, clients


def sandbox_departments(
    *,
    latency_ms: float | Mapping[str, float] | None = None,
    clock: WaitingClock | None = None,
    departments: Iterable[tuple[str, str]] = DEFAULT_DEPARTMENTS,
    page_size: int = 50,
    registry_path: str | None = None,
) -> SandboxDepartments:
    """Wire real adapters to in-process sandboxes; ``latency_ms`` is one figure or one per department code.

    Sandbox latencies and hangs run on ``clock`` (a ManualClock in tests, the real clock otherwise). The
    sandboxes know the demo citizens plus the people in the JSON file at ``registry_path`` (see
    :mod:`services_catalog.sandbox.registry`), re-read whenever it changes.
    """
    built, clients, apps = [], [], {}
    registry = PeopleRegistry(registry_path)
    for code, kind in departments:
        ms = latency_ms.get(code, 0.0) if isinstance(latency_ms, Mapping) else (latency_ms or 0.0)
        app = sandbox_wsgi_app(kind, department_code=code, script=Script(clock, latency_s=ms / 1000.0),
                               registry=registry)
        client = httpx.Client(transport=SandboxTransport(app), base_url=f"http://{code}.sandbox")
        built.append(Department(code, kind, ADAPTERS[kind](code, client, page_size=page_size)))
        clients.append(client)
        apps[code] = app
    return SandboxDepartments(built, clients=clients, sandboxes=apps)
