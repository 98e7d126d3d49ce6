"""A misbehaving department, behind the real fence, on virtual time: the overview still answers in time.

The departments are the sandboxes, reached through the same fenced client a configured department gets
(``Fence.client``), so a dripping or oversized answer meets the production caps. Hangs, 5xx and garbage come
from the sandbox scripts; drips and oversized bodies from a wire that mangles the sandbox's answer. The
existing tests/zwt/catalog/test_overview_api.py covers one hang and one 5xx; this adds the drip, the garbage,
the oversized body, and the breaker opening (and closing again) as the overview reports it.
"""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from services_catalog.adapters import ADAPTERS
from services_catalog.departments import Department
from services_catalog.fence import Fence
from services_catalog.sandbox import SandboxDepartments, sandbox_wsgi_app
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.sandbox.script import Script
from services_catalog.testing import DEMO_CITIZENS, ManualClock

DEADLINE_S, TIMEOUT_S, MAX_BYTES = 1.0, 0.8, 64 * 1024
KINDS = (("police", "police"), ("hrss", "hrss"), ("housing_fund", "housing_fund"))


class Wire(httpx.BaseTransport):
    """The network between the fence and a sandbox: passes answers on, or drips them, or bloats them."""

    def __init__(self, inner: httpx.BaseTransport, clock: ManualClock) -> None:
        self.inner, self.clock, self.mode = inner, clock, ""
        self.dripped = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not self.mode:
            return response
        body = response.read()
        headers = {"content-type": response.headers.get("content-type", "application/json")}
        if self.mode == "oversized":  # valid JSON all the same: only the cap refuses it
            return httpx.Response(response.status_code, headers=headers, content=self._chunks(body + b" " * MAX_BYTES))
        return httpx.Response(response.status_code, headers=headers, content=self._drip(body))

    @staticmethod
    def _chunks(body: bytes) -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start:start + 4096]

    def _drip(self, body: bytes) -> Iterator[bytes]:
        for byte in body:
            self.clock.sleep(0.05)  # a byte every 50 ms: each read is quick, the whole answer is not
            self.dripped += 1
            yield bytes([byte])


@pytest.fixture
def world(make_app, auth):
    """The app over fenced sandboxes on a ManualClock, a demo citizen signed in, and the wires to mangle."""
    clock = ManualClock()
    fence = Fence(resolve=lambda host, port: ["127.0.0.1"], max_bytes=MAX_BYTES, now=clock.monotonic)
    built, clients, apps, wires = [], [], {}, {}
    for code, kind in KINDS:
        app = sandbox_wsgi_app(kind, department_code=code, script=Script(clock, latency_s=0.1))
        wires[code] = Wire(SandboxTransport(app), clock)
        client = fence.client(code, f"http://{code}.sandbox", inner=wires[code])
        built.append(Department(code, kind, ADAPTERS[kind](code, client)))
        clients.append(client)
        apps[code] = app
    departments = SandboxDepartments(built, clients=clients, sandboxes=apps)
    executor = clock.executor()
    app = make_app({"ZWT_OVERVIEW_DEADLINE_S": str(DEADLINE_S), "ZWT_DEPARTMENT_TIMEOUT_S": str(TIMEOUT_S)},
                   departments=departments, department_clock=clock, department_executor=executor)
    known = DEMO_CITIZENS[0].citizen
    citizen = auth.register(name=known.name, id_number=known.id_number)
    yield app, departments, wires, clock, citizen
    departments.release_all()
    clock.advance(1000.0)
    executor.shutdown()
    departments.close()


def _overview(app, citizen) -> dict:
    response = app.test_client().get("/api/v1/me/overview", headers=citizen.headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["elapsed_ms"] <= DEADLINE_S * 1000  # on the virtual clock: the deadline holds whatever hangs
    assert body["sources"]["police"]["state"] == "ok" and body["sources"]["housing_fund"]["state"] == "ok"
    return body


@pytest.mark.parametrize("fault, state, reason", [
    ("hang", "timeout", None),
    ("drip", "timeout", None),
    ("5xx", "error", "unavailable"),
    ("garbage", "error", "malformed"),
    ("oversized", "error", "malformed"),
])
def test_a_misbehaving_department_costs_only_its_own_source(world, fault, state, reason):
    """Hangs, drips, server errors, garbage and oversized answers: that source says so, the rest is served."""
    app, departments, wires, clock, citizen = world
    script = departments.scripts["hrss"]
    if fault == "garbage":
        script.set(fault="malformed", malformed="not_json")
    elif fault in ("drip", "oversized"):
        wires["hrss"].mode = fault
    else:
        script.set(fault=fault)
    source = _overview(app, citizen)["sources"]["hrss"]
    assert source["state"] == state
    if reason:
        assert source["reason"] == reason
    if fault == "drip":  # the fence stops reading once the call's time is spent, not at the answer's end
        clock.advance(TIMEOUT_S * 2)
        assert 0 < wires["hrss"].dripped <= TIMEOUT_S / 0.05 + 1


def test_the_breaker_opens_then_closes_and_the_overview_shows_it(world):
    """Five failures open hrss's breaker: the next overviews do not call it and say ``circuit_open``; after
    the cool-down a probe that succeeds closes it again."""
    app, departments, _, clock, citizen = world
    script = departments.scripts["hrss"]
    script.set(fault="5xx")
    states = []
    for _ in range(5):
        states.append(_overview(app, citizen)["sources"]["hrss"]["state"])
        if states[-1] == "circuit_open":
            break
    assert states[0] == "error" and states[-1] == "circuit_open"
    calls = len(script.calls)
    assert _overview(app, citizen)["sources"]["hrss"]["state"] == "circuit_open"
    assert len(script.calls) == calls  # an open breaker does not call the department at all
    script.heal()
    clock.advance(16.0)  # past the cool-down: the next overview probes
    assert _overview(app, citizen)["sources"]["hrss"]["state"] == "ok"
    assert len(script.calls) > calls
