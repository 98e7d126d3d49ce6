"""The proofing ports: production adapters against the telecom sandbox, in-process and over real loopback HTTP."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterator
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
import pytest

from services_catalog.errors import DepartmentRejected, DepartmentTimeout, DepartmentUnavailable, MalformedAnswer
from services_catalog.proofing import (
    CarrierCheck,
    CarrierOutcome,
    LivenessCheck,
    LivenessOutcome,
    LivenessSessions,
    Proofing,
    ProofingSandbox,
    SmsGateway,
    SmsOutbox,
    proofing_app,
    sandbox_proofing,
)
from services_catalog.sandbox import PeopleRegistry
from services_catalog.sandbox.citizens import resident_id
from services_catalog.sandbox.registry import add_person
from services_catalog.testing import DEMO_CITIZENS, UNKNOWN_CITIZEN, ManualClock, Script

ZHANG, WANG = DEMO_CITIZENS[0], DEMO_CITIZENS[1]
UNKNOWN_PHONE = "13999999999"
CALLS: dict[str, Callable[[Proofing], object]] = {
    "sms": lambda p: p.sms.send(ZHANG.phone, "验证码 123456", timeout=2.0),
    "carrier": lambda p: p.carrier.check(ZHANG.citizen.name, ZHANG.citizen.id_number, ZHANG.phone, timeout=2.0),
    "liveness": lambda p: p.liveness.check(ZHANG.citizen.name, ZHANG.citizen.id_number, "e", timeout=2.0),
}


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@dataclass
class Gateway:
    """The adapters under test, the sandbox behind them and the script steering it."""

    proofing: Proofing
    sandbox: ProofingSandbox
    script: Script

    def evidence(self, id_number: str) -> str:
        """Ask the sandbox's developer route for a liveness token, as the demo app's face step would."""
        answer = self.proofing.client.post("/liveness/sessions", json={"id_number": id_number})
        assert answer.status_code == 200
        return str(answer.json()["evidence"])


def _ids() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"id-{next(counter)}"


@contextlib.contextmanager
def loopback(sandbox: ProofingSandbox, token: str | None = None) -> Iterator[Proofing]:
    """Serve ``sandbox`` on 127.0.0.1 (a wsgiref server on its own thread) and yield adapters pointed at it."""
    server = make_server("127.0.0.1", 0, sandbox, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    proofing = Proofing.from_config(f"http://127.0.0.1:{server.server_port}", token=token)
    try:
        yield proofing
    finally:
        sandbox.script.release()
        proofing.close()
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["in-process", "loopback"])
def gateway(request: pytest.FixtureRequest) -> Iterator[Gateway]:
    if request.param == "in-process":
        proofing = sandbox_proofing(clock=ManualClock(), new_id=_ids())
        assert proofing.sandbox is not None
        yield Gateway(proofing, proofing.sandbox, proofing.sandbox.script)
        proofing.close()
    else:
        sandbox = ProofingSandbox(Script(), new_id=_ids())
        with loopback(sandbox) as proofing:
            yield Gateway(proofing, sandbox, sandbox.script)


def test_adapters_implement_the_ports(gateway: Gateway) -> None:
    """The SMS, carrier and liveness adapters satisfy their Protocols."""
    assert isinstance(gateway.proofing.sms, SmsGateway)
    assert isinstance(gateway.proofing.carrier, CarrierCheck)
    assert isinstance(gateway.proofing.liveness, LivenessCheck)


# -- SMS and the outbox ----------------------------------------------------------------------------------

def test_sent_messages_land_in_the_outbox(gateway: Gateway) -> None:
    """Each message gets the gateway's id and is kept, readable from the sandbox object and its route."""
    first = gateway.proofing.sms.send(ZHANG.phone, "验证码 111111", timeout=2.0)
    second = gateway.proofing.sms.send(WANG.phone, "验证码 222222", timeout=2.0)
    assert (first.message_id, second.message_id) == ("id-1", "id-2")
    assert [(m.id, m.phone, m.text) for m in gateway.sandbox.outbox.messages()] == [
        ("id-1", ZHANG.phone, "验证码 111111"), ("id-2", WANG.phone, "验证码 222222")]
    listed = gateway.proofing.client.get("/sms/outbox", params={"phone": WANG.phone}).json()["messages"]
    assert [(m["id"], m["text"]) for m in listed] == [("id-2", "验证码 222222")]
    assert gateway.sandbox.outbox.last(ZHANG.phone).text == "验证码 111111"  # type: ignore[union-attr]


def test_a_file_outbox_is_read_by_another_process(tmp_path: Path) -> None:
    """With a path, the outbox is a JSON-lines file a CLI in another process reads (here: another object)."""
    path = tmp_path / "instance" / "sandbox-sms.jsonl"
    proofing = sandbox_proofing(outbox_path=path, clock=ManualClock(start=1000.0), new_id=_ids())
    proofing.sms.send(ZHANG.phone, "验证码 333333", timeout=2.0)
    proofing.close()
    reader = SmsOutbox(path)
    assert [(m.phone, m.text, m.sent_at) for m in reader.messages()] == [(ZHANG.phone, "验证码 333333", 1000.0)]
    assert reader.messages(WANG.phone) == [] and SmsOutbox(tmp_path / "none.jsonl").messages() == []


def test_sms_without_text_is_rejected(gateway: Gateway) -> None:
    """A request the gateway refuses as malformed (400) is our fault: DepartmentRejected, nothing sent."""
    with pytest.raises(DepartmentRejected) as refused:
        gateway.proofing.sms.send(ZHANG.phone, "", timeout=2.0)
    assert refused.value.department == "sms" and gateway.sandbox.outbox.messages() == []


# -- the carrier's three-factor check --------------------------------------------------------------------

@pytest.mark.parametrize(("name", "id_number", "phone", "outcome"), [
    (ZHANG.citizen.name, ZHANG.citizen.id_number, ZHANG.phone, CarrierOutcome.MATCH),
    (UNKNOWN_CITIZEN.name, UNKNOWN_CITIZEN.id_number, ZHANG.phone, CarrierOutcome.MISMATCH),
    (ZHANG.citizen.name, ZHANG.citizen.id_number, WANG.phone, CarrierOutcome.MISMATCH),
    ("张三", ZHANG.citizen.id_number, ZHANG.phone, CarrierOutcome.MISMATCH),
    (ZHANG.citizen.name, ZHANG.citizen.id_number, UNKNOWN_PHONE, CarrierOutcome.NOT_FOUND),
], ids=["owner", "squatter-on-owners-phone", "owner-on-other-phone", "wrong-name", "unknown-phone"])
def test_carrier_answers_from_the_registry(gateway: Gateway, name: str, id_number: str, phone: str,
                                           outcome: CarrierOutcome) -> None:
    """A phone matches only the name and ID number it is registered to; an unregistered phone is not found."""
    assert gateway.proofing.carrier.check(name, id_number, phone, timeout=2.0) is outcome


def test_carrier_outcome_can_be_scripted_per_phone(gateway: Gateway) -> None:
    """set_carrier forces an answer for one phone until it is cleared."""
    ask = (ZHANG.citizen.name, ZHANG.citizen.id_number, ZHANG.phone)
    gateway.sandbox.set_carrier(ZHANG.phone, CarrierOutcome.MISMATCH)
    assert gateway.proofing.carrier.check(*ask, timeout=2.0) is CarrierOutcome.MISMATCH
    gateway.sandbox.set_carrier(ZHANG.phone, None)
    assert gateway.proofing.carrier.check(*ask, timeout=2.0) is CarrierOutcome.MATCH


def test_carrier_check_sees_a_newcomer_without_restart(tmp_path: Path) -> None:
    """The telecom sandbox registers a person's phone to them as soon as the registry file lists them."""
    people = tmp_path / "people.json"
    proofing = sandbox_proofing(registry=PeopleRegistry(people))
    newcomer = ("孙悦", resident_id("370212", dt.date(1999, 7, 4), "217"), "13912345678")
    assert proofing.carrier.check(*newcomer, timeout=2.0) is CarrierOutcome.NOT_FOUND
    add_person(people, name=newcomer[0], id_number=newcomer[1], phone=newcomer[2])
    assert proofing.carrier.check(*newcomer, timeout=2.0) is CarrierOutcome.MATCH
    proofing.close()


# -- liveness --------------------------------------------------------------------------------------------

def test_liveness_passes_a_fresh_token_of_the_person_once(gateway: Gateway) -> None:
    """A token handed out for the person passes once; replayed, it fails."""
    name, number = ZHANG.citizen.name, ZHANG.citizen.id_number
    evidence = gateway.evidence(number)
    assert gateway.proofing.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.PASS
    assert gateway.proofing.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.FAIL


@pytest.mark.parametrize("case", ["someone-elses-token", "wrong-name", "made-up-token", "unknown-person"])
def test_liveness_fails_what_is_not_the_persons_live_face(gateway: Gateway, case: str) -> None:
    """Another person's token, a name that does not match, an invented token or a person without a photo fail."""
    name, number = ZHANG.citizen.name, ZHANG.citizen.id_number
    if case == "someone-elses-token":
        evidence = gateway.evidence(WANG.citizen.id_number)
    elif case == "wrong-name":
        evidence, name = gateway.evidence(number), "张三"
    elif case == "made-up-token":
        evidence = "not-a-token"
    else:
        name, number = UNKNOWN_CITIZEN.name, UNKNOWN_CITIZEN.id_number
        evidence = gateway.evidence(number)
    assert gateway.proofing.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.FAIL


def test_a_person_can_be_set_to_fail_liveness(gateway: Gateway) -> None:
    """set_liveness makes a person fail even with a genuine token, until it is cleared."""
    name, number = ZHANG.citizen.name, ZHANG.citizen.id_number
    gateway.sandbox.set_liveness(number, LivenessOutcome.FAIL)
    assert gateway.proofing.liveness.check(name, number, gateway.evidence(number), timeout=2.0) \
        is LivenessOutcome.FAIL
    gateway.sandbox.set_liveness(number, None)
    assert gateway.proofing.liveness.check(name, number, gateway.evidence(number), timeout=2.0) \
        is LivenessOutcome.PASS


# -- liveness sessions shared through a file -------------------------------------------------------------

def test_a_file_liveness_token_is_redeemed_once_by_another_process(tmp_path: Path) -> None:
    """A token issued by one store (a CLI) is redeemed by another (the server) once; then nowhere again."""
    path = tmp_path / "instance" / "liveness.jsonl"
    issuer, server = LivenessSessions(path), LivenessSessions(path)
    assert server.redeem("tok-1") is None and not path.exists()
    issuer.issue("tok-1", ZHANG.citizen.id_number)
    issuer.issue("tok-2", WANG.citizen.id_number)
    assert server.redeem("tok-1") == ZHANG.citizen.id_number
    assert (server.redeem("tok-1"), issuer.redeem("tok-1"), LivenessSessions(path).redeem("tok-1")) == (None,) * 3
    assert issuer.redeem("tok-2") == WANG.citizen.id_number and server.redeem("tok-2") is None
    assert server.redeem("never-issued") is None


def test_a_damaged_line_in_the_liveness_file_is_skipped(tmp_path: Path) -> None:
    """A half-written or damaged line does not stop the tokens around it from working."""
    path = tmp_path / "liveness.jsonl"
    LivenessSessions(path).issue("before", ZHANG.citizen.id_number)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('{"issued": "half\n[1, 2]\n')
    LivenessSessions(path).issue("after", WANG.citizen.id_number)
    reader = LivenessSessions(path)
    assert (reader.redeem("before"), reader.redeem("after"), reader.redeem("half")) == (
        ZHANG.citizen.id_number, WANG.citizen.id_number, None)


def test_racing_redeemers_of_one_file_token_let_exactly_one_win(tmp_path: Path) -> None:
    """Stores that share only the file (each with its own lock, as separate processes) never both redeem a token."""
    path = tmp_path / "liveness.jsonl"
    tokens = [f"tok-{i}" for i in range(20)]
    for token in tokens:
        LivenessSessions(path).issue(token, ZHANG.citizen.id_number)
    stores = [LivenessSessions(path) for _ in range(6)]
    barrier = threading.Barrier(len(stores))
    wins: list[list[str]] = [[] for _ in stores]

    def redeem_all(index: int) -> None:
        barrier.wait()
        wins[index].extend(t for t in tokens if stores[index].redeem(t) is not None)

    threads = [threading.Thread(target=redeem_all, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(t for won in wins for t in won) == sorted(tokens)


def test_a_liveness_token_handed_out_by_one_sandbox_passes_at_another_once(tmp_path: Path) -> None:
    """sandbox_proofing and proofing_app share tokens through liveness_path, as a CLI and a server process do."""
    path = tmp_path / "liveness.jsonl"
    name, number = ZHANG.citizen.name, ZHANG.citizen.id_number
    cli = sandbox_proofing(liveness_path=path)
    assert cli.sandbox is not None
    evidence = cli.sandbox.start_liveness(number)
    with loopback(proofing_app(liveness_path=str(path))) as server:
        assert server.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.PASS
        assert server.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.FAIL
    assert cli.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.FAIL
    cli.close()


def test_without_a_path_liveness_tokens_stay_in_their_process() -> None:
    """The default keeps tokens in memory: another sandbox cannot redeem them, its own sandbox can."""
    name, number = ZHANG.citizen.name, ZHANG.citizen.id_number
    first, second = sandbox_proofing(), sandbox_proofing()
    assert first.sandbox is not None
    evidence = first.sandbox.start_liveness(number)
    assert second.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.FAIL
    assert first.liveness.check(name, number, evidence, timeout=2.0) is LivenessOutcome.PASS
    assert first.sandbox.sessions.path is None
    first.close()
    second.close()


# -- scripted faults map to the department error family --------------------------------------------------

@pytest.mark.parametrize("operation", sorted(CALLS))
@pytest.mark.parametrize(("fault", "error"), [
    ({"fault": "5xx"}, DepartmentUnavailable),
    ({"fault": "4xx", "status": 403}, DepartmentRejected),
    ({"fault": "malformed", "malformed": "missing_field"}, MalformedAnswer),
    ({"fault": "malformed", "malformed": "wrong_type"}, MalformedAnswer),
    ({"fault": "malformed", "malformed": "not_json"}, MalformedAnswer),
], ids=["5xx", "4xx", "missing-field", "wrong-type", "not-json"])
def test_faults_map_to_department_errors(gateway: Gateway, operation: str, fault: dict[str, Any],
                                         error: type[Exception]) -> None:
    """Every scripted fault of every operation raises the matching department error, named by the port."""
    gateway.script.then(**fault)
    with pytest.raises(error) as raised:
        CALLS[operation](gateway.proofing)
    assert raised.value.department == operation  # type: ignore[attr-defined]
    CALLS[operation](gateway.proofing)  # one-shot: the next call answers


def test_calls_are_recorded_but_developer_routes_are_not(gateway: Gateway) -> None:
    """The script records each contract call; reading the outbox or starting a liveness session is not one."""
    for operation in ("sms", "carrier", "liveness"):
        CALLS[operation](gateway.proofing)
    gateway.evidence(ZHANG.citizen.id_number)
    gateway.proofing.client.get("/sms/outbox")
    assert gateway.script.operations() == ["sms", "carrier", "liveness"]


def test_refused_connection_is_unavailable() -> None:
    """A sandbox scripted to refuse connections surfaces as DepartmentUnavailable."""
    proofing = sandbox_proofing()
    assert proofing.sandbox is not None
    proofing.sandbox.script.then(fault="refuse")
    with pytest.raises(DepartmentUnavailable):
        CALLS["sms"](proofing)
    proofing.close()


def test_nothing_listening_is_unavailable() -> None:
    """A gateway address where nothing listens is DepartmentUnavailable, not a crash."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proofing = Proofing.from_config(f"http://127.0.0.1:{port}")
    with pytest.raises(DepartmentUnavailable):
        CALLS["carrier"](proofing)
    proofing.close()


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_transport_timeout_is_department_timeout(operation: str) -> None:
    """An httpx timeout becomes DepartmentTimeout."""
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    proofing = Proofing.over(httpx.Client(transport=httpx.MockTransport(slow), base_url="http://gw.test"))
    with pytest.raises(DepartmentTimeout):
        CALLS[operation](proofing)
    proofing.close()


def test_a_hung_gateway_times_out_over_loopback() -> None:
    """Over real HTTP, a gateway that hangs past the call's timeout is DepartmentTimeout; released, it answers."""
    sandbox = ProofingSandbox(Script())
    with loopback(sandbox) as proofing:
        sandbox.script.then(fault="hang", hang_max_s=30.0)
        with pytest.raises(DepartmentTimeout):
            proofing.carrier.check(ZHANG.citizen.name, ZHANG.citizen.id_number, ZHANG.phone, timeout=0.05)
        sandbox.script.release()
        assert CALLS["carrier"](proofing) is CarrierOutcome.MATCH


@pytest.mark.parametrize("body", [{"outcome": "maybe"}, {"outcome": None}, []],
                         ids=["unknown-outcome", "null-outcome", "not-an-object"])
def test_answers_off_the_contract_are_malformed(body: Any) -> None:
    """An outcome outside the contract, a null or a non-object body is MalformedAnswer."""
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    proofing = Proofing.over(httpx.Client(transport=transport, base_url="http://gw.test"))
    for operation in ("carrier", "liveness"):
        with pytest.raises(MalformedAnswer):
            CALLS[operation](proofing)
    proofing.close()


# -- the bearer token ------------------------------------------------------------------------------------

def test_bearer_token_is_sent_and_required() -> None:
    """from_config sends the configured bearer token; without it the gateway answers 401, DepartmentRejected."""
    sandbox = proofing_app(token="s3cret")
    with loopback(sandbox, token="s3cret") as proofing:
        assert CALLS["carrier"](proofing) is CarrierOutcome.MATCH
    with loopback(sandbox) as proofing:
        with pytest.raises(DepartmentRejected, match="401"):
            CALLS["sms"](proofing)
    assert sandbox.outbox.messages() == []


def test_the_sandbox_logs_a_text_with_the_phone_masked(caplog):
    """A developer reads codes in the log too, but the log never holds the full phone number."""
    import logging

    from services_catalog.proofing import sandbox_proofing

    proofing = sandbox_proofing()
    with caplog.at_level(logging.INFO, logger="services_catalog.proofing.sandbox"):
        proofing.sms.send("13912345678", "验证码 123456", timeout=2)
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "139****5678" in logged and "123456" in logged and "13912345678" not in logged
    proofing.close()
