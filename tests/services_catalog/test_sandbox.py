"""Sandbox departments, their demo data, scripts, the virtual clock, and adapters over real transports."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import socket
import subprocess
import sys
import time
from typing import Iterator

import httpx
import pytest

from services_catalog.adapters import ADAPTERS
from services_catalog.departments import Departments
from services_catalog.errors import DepartmentTimeout, DepartmentUnavailable, MalformedAnswer
from services_catalog.impl_code import is_valid_uscc
from services_catalog.records import IdentityOutcome
from services_catalog.sandbox import SANDBOXES, sandbox_departments, sandbox_wsgi_app
from services_catalog.sandbox.citizens import ISSUERS
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.testing import (
    DEMO_CITIZENS,
    UNKNOWN_CITIZEN,
    DemoCitizen,
    ManualClock,
    Script,
    VirtualTimeDeadlock,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def client_for(kind: str, script: Script | None = None) -> httpx.Client:
    """Return an httpx client talking to a fresh sandbox of ``kind`` in-process."""
    app = sandbox_wsgi_app(kind, script=script)
    return httpx.Client(transport=SandboxTransport(app), base_url="http://sandbox.test")


# -- demo data ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("demo", DEMO_CITIZENS, ids=lambda d: d.citizen.name)
def test_demo_id_numbers_are_valid_qingdao_numbers(demo: DemoCitizen) -> None:
    """Every demo ID number is 18 characters from a Qingdao area code with a correct GB 11643 check digit."""
    number = demo.citizen.id_number
    assert len(number) == 18 and number.startswith("3702")
    assert number[17] == "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], WEIGHTS)) % 11]


def test_demo_citizens_are_distinct_and_unknown_citizen_is_unknown() -> None:
    """Six distinct demo citizens; the stranger's well-formed number belongs to none of them."""
    numbers = {d.citizen.id_number for d in DEMO_CITIZENS}
    assert len(numbers) == 6 and UNKNOWN_CITIZEN.id_number not in numbers


def test_issuer_codes_are_check_valid() -> None:
    """Issuing departments carry check-valid unified social credit codes."""
    assert all(is_valid_uscc(code) for code, _ in ISSUERS.values())


def test_vehicle_licences_look_real() -> None:
    """Vehicle licences carry Qingdao plates (鲁B) and 17-character VINs with a valid check digit."""
    values = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
              **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
    weights = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
    vehicles = [lic for d in DEMO_CITIZENS for lic in d.licenses if lic.license_type == "vehicle_license"]
    assert len(vehicles) == 3
    for lic in vehicles:
        vin = lic.fields["vin"]
        check = sum(values[c] * w for c, w in zip(vin, weights)) % 11
        assert len(vin) == 17 and vin[8] == ("X" if check == 10 else str(check))
        assert lic.fields["plate_number"].startswith("鲁B·")


def test_repr_of_a_citizen_masks_the_id_number() -> None:
    """A citizen's repr never shows the full ID number (it ends up in logs)."""
    citizen = DEMO_CITIZENS[0].citizen
    assert citizen.id_number not in repr(citizen) and citizen.id_number[-4:] in repr(citizen)


# -- each department's own conventions ------------------------------------------------------------------

def test_police_errors_arrive_as_http_200_with_a_code() -> None:
    """The police sandbox reports a server fault as HTTP 200 with an E9xxx code, a bad request as E1xxx."""
    script = Script()
    with client_for("police", script) as client:
        script.then(fault="5xx")
        answer = client.post("/api/identity/verify", json={"idNumber": "x", "name": "y"})
        assert answer.status_code == 200 and answer.json()["code"].startswith("E9")
        bad = client.post("/api/identity/verify", json={})
        assert bad.status_code == 200 and bad.json()["code"] == "E1400"


def test_hrss_errors_carry_status_and_ret() -> None:
    """The social security sandbox answers errors with the real HTTP status and a non-zero ``ret``."""
    with client_for("hrss") as client:
        answer = client.post("/v2/persons/verify", json={"id_number": ""})
        assert answer.status_code == 400 and answer.json()["ret"] != 0


def test_housing_fund_errors_are_plain_text() -> None:
    """The housing fund sandbox answers errors as text bodies, and money as yuan strings."""
    demo = DEMO_CITIZENS[0]
    with client_for("housing_fund") as client:
        answer = client.get("/gjj/nowhere")
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/plain")
        account = client.post("/gjj/grzh", json={"zjhm": demo.citizen.id_number, "xm": demo.citizen.name}).json()
        assert account["zhye"] == "186752.33" and account["zjjcrq"] == "2026/11/10"


@pytest.mark.parametrize("kind", sorted(SANDBOXES))
def test_unknown_route_is_a_client_error(kind: str) -> None:
    """An unknown path is refused in the department's own 4xx convention and is not recorded as a call."""
    script = Script()
    with client_for(kind, script) as client:
        answer = client.get("/nowhere")
    assert answer.status_code == 404 or _client_error(json.loads(answer.text))
    assert script.calls == []


def _client_error(body: dict) -> bool:
    """A 200 answer whose envelope says "client error": hrss's ``code`` E1xxxx, civil affairs' ``RtnCode`` 1xxxxx."""
    return str(body.get("code", "")).startswith("E1") or str(body.get("RtnCode", "")).startswith("1")


# -- scripts ---------------------------------------------------------------------------------------------

def test_one_shot_behaviours_then_the_standing_one() -> None:
    """Queued behaviours apply to the next calls only; heal clears faults but keeps the latency."""
    script = Script(ManualClock(), latency_s=0.1)
    script.set(fault="5xx").then(2, fault="4xx", status=403)
    assert [script.begin("records").fault for _ in range(3)] == ["4xx", "4xx", "5xx"]
    script.heal()
    assert script.begin("records").fault is None and script.behaviour.latency_s == 0.1
    assert script.operations() == ["records"] * 4


def test_script_rejects_unknown_faults() -> None:
    """A typo in a fault name fails loudly instead of silently answering normally."""
    with pytest.raises(ValueError):
        Script().set(fault="timeout")


def test_calls_are_recorded_with_their_virtual_arrival_time() -> None:
    """Each call records its operation, arrival time on the clock and the fault it got."""
    clock = ManualClock()
    deps = sandbox_departments(latency_ms=50, clock=clock)
    police = deps["police"].adapter
    police.check_identity(DEMO_CITIZENS[0].citizen, timeout=1.0)
    deps.scripts["police"].then(fault="malformed")
    with pytest.raises(MalformedAnswer):
        police.records(DEMO_CITIZENS[0].citizen, timeout=1.0)
    assert [(c.operation, c.at, c.fault) for c in deps.scripts["police"].calls] == [
        ("identity", 0.0, None), ("records", pytest.approx(0.05), "malformed")]
    deps.close()


def test_hang_until_released() -> None:
    """A hung call answers as soon as the test releases it, before its maximum."""
    clock = ManualClock()
    deps = sandbox_departments(clock=clock)
    deps.scripts["hrss"].set(fault="hang", hang_max_s=60.0)
    executor = clock.executor()
    future = executor.submit(deps["hrss"].adapter.check_identity, DEMO_CITIZENS[0].citizen, timeout=1.0)
    clock.advance(5.0)
    assert not future.done()
    deps.release_all()
    assert clock.wait_futures([future], None) == {future}
    assert future.result() is IdentityOutcome.MATCH and clock.monotonic() == 5.0
    deps.close()


# -- the virtual clock ---------------------------------------------------------------------------------------

def test_virtual_time_runs_tasks_in_wake_up_order() -> None:
    """Tasks sleeping 0.3, 0.1 and 0.2 finish in time order, and the driver's wait returns at the first."""
    clock = ManualClock()
    order: list[float] = []

    def nap(seconds: float) -> float:
        clock.sleep(seconds)
        order.append(clock.monotonic())
        return seconds

    executor = clock.executor()
    futures = [executor.submit(nap, s) for s in (0.3, 0.1, 0.2)]
    done = clock.wait_futures(futures, 1.0)
    assert [f.result() for f in done] == [0.1] and clock.monotonic() == pytest.approx(0.1)
    clock.advance(1.0)
    assert order == pytest.approx([0.1, 0.2, 0.3]) and clock.monotonic() == pytest.approx(1.1)


def test_driver_timeout_fires_after_tasks_due_at_the_same_time() -> None:
    """At equal virtual times the task answers first, so a result due exactly at the deadline is seen."""
    clock = ManualClock()
    executor = clock.executor()
    future: cf.Future[None] = executor.submit(clock.sleep, 0.5)
    assert clock.wait_futures([future], 0.5) == {future}


def test_waiting_forever_with_nothing_to_wake_is_a_deadlock() -> None:
    """A driver waiting without timeout while every task waits without timeout raises instead of hanging."""
    clock = ManualClock()
    with pytest.raises(VirtualTimeDeadlock):
        clock.wait_event(clock.event(), None)


def test_wall_time_moves_with_virtual_time() -> None:
    """now() and monotonic() move together."""
    clock = ManualClock(start=1000.0)
    clock.advance(2.5)
    assert (clock.now(), clock.monotonic()) == (1002.5, 2.5)


# -- adapters over other transports ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(ADAPTERS))
@pytest.mark.parametrize(("status", "error"), [(502, DepartmentUnavailable), (504, DepartmentUnavailable)])
def test_gateway_errors_map_for_every_adapter(kind: str, status: int, error: type[Exception]) -> None:
    """A gateway's own 5xx page (not the department's format) still maps to DepartmentUnavailable."""
    transport = httpx.MockTransport(lambda request: httpx.Response(status, text="<html>Bad Gateway</html>"))
    with httpx.Client(transport=transport, base_url="http://gw.test") as client:
        with pytest.raises(error):
            ADAPTERS[kind]("d", client).check_identity(DEMO_CITIZENS[0].citizen, timeout=1.0)


@pytest.mark.parametrize("kind", sorted(ADAPTERS))
def test_an_answer_nested_past_the_parser_stack_is_malformed(kind: str) -> None:
    """A body of 100,000 ``[`` is a MalformedAnswer (json recurses: it was a RecursionError, found by fuzzing)."""
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"[" * 100_000))
    with httpx.Client(transport=transport, base_url="http://gw.test") as client:
        with pytest.raises(MalformedAnswer, match="nests too deeply"):
            ADAPTERS[kind]("d", client).check_identity(DEMO_CITIZENS[0].citizen, timeout=1.0)


@pytest.mark.parametrize("kind", sorted(ADAPTERS))
def test_transport_timeout_maps_to_department_timeout(kind: str) -> None:
    """An httpx timeout becomes DepartmentTimeout."""
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    with httpx.Client(transport=httpx.MockTransport(slow), base_url="http://gw.test") as client:
        with pytest.raises(DepartmentTimeout):
            ADAPTERS[kind]("d", client).records(DEMO_CITIZENS[0].citizen, timeout=0.5)


def test_from_config_rejects_unknown_kinds() -> None:
    """A config entry naming an adapter kind that does not exist fails at start-up."""
    with pytest.raises(ValueError, match="unknown adapter kind"):
        Departments.from_config([("tax", "tax_bureau", "http://tax.test")])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gunicorn_police() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
         "services_catalog.sandbox:police_app()"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # the master listens before it boots the worker
            if "Booting worker" in line:
                break
        url = f"http://127.0.0.1:{port}"
        # The worker still has to import the app after saying it boots: on a loaded 2-core machine that takes
        # seconds, which the adapter's own timeouts must not be spent on. Any answer means it is serving.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
def test_sandbox_served_by_gunicorn_over_real_http(gunicorn_police: str) -> None:
    """The police sandbox runs under gunicorn and the config switch points the real adapter at it."""
    deps = Departments.from_config([("police", "police", gunicorn_police)])
    try:
        adapter = deps["police"].adapter
        assert adapter.check_identity(DEMO_CITIZENS[0].citizen, timeout=5.0) is IdentityOutcome.MATCH
        assert adapter.fetch_items(None, timeout=10.0).items
    finally:
        deps.close()
