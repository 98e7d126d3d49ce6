"""Department calls are fenced: configured origin only, no redirects, checked addresses, capped answers.

Every test runs over a fake transport (httpx.MockTransport) behind the real ``FencedTransport``, a fake resolver
and a virtual monotonic clock: no network, no DNS, no sleeping.
"""

from __future__ import annotations

import json
from typing import Iterator

import httpx
import pytest

from services_catalog.departments import Departments
from services_catalog.errors import DepartmentRejected, DepartmentTimeout, MalformedAnswer
from services_catalog.fence import Fence, parse_networks
from services_catalog.records import Citizen, IdentityOutcome
from services_catalog.sandbox.citizens import DEMO_CITIZENS

CITIZEN: Citizen = DEMO_CITIZENS[0].citizen
MATCH = json.dumps({"code": "0", "msg": "ok", "data": {"verifyResult": "01"}}).encode()
EVERYWHERE = parse_networks(["0.0.0.0/0", "::/0"])


class Department:
    """A fake police system behind the fence: what it answers, what reached it, and a virtual clock."""

    def __init__(self, *, networks: dict[str, tuple] | None = None, resolves: dict[str, list[str]] | None = None,
                 max_bytes: int = 4096) -> None:
        self.seen: list[httpx.Request] = []
        self.answer = lambda request: httpx.Response(200, content=MATCH)
        self.resolves = resolves or {}
        self.looked_up: list[str] = []
        self.now = 100.0
        self.fence = Fence(networks if networks is not None else {"*": EVERYWHERE}, max_bytes=max_bytes,
                           resolve=self._resolve, now=lambda: self.now)

    def _resolve(self, host: str, port: int) -> list[str]:
        self.looked_up.append(host)
        return self.resolves.get(host, [])

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.answer(request)

    def adapter(self, base_url: str = "https://ga.qingdao.gov.cn/api", code: str = "police"):
        """The real police adapter for ``base_url``, on a fenced client whose wire is this fake."""
        client = self.fence.client(code, base_url, inner=httpx.MockTransport(self._handle))
        return Departments.from_config([(code, "police", base_url)],
                                       client_factory=lambda _url: client)[code].adapter


def test_a_configured_department_answers_through_the_fence():
    """The name is resolved once, the connection goes to the checked address, Host and SNI keep the name."""
    dept = Department(networks={"police": parse_networks(["10.12.0.0/16"])},
                      resolves={"ga.qingdao.gov.cn": ["10.12.0.7"]})
    assert dept.adapter().check_identity(CITIZEN, timeout=2.0) is IdentityOutcome.MATCH
    [request] = dept.seen
    assert request.url.host == "10.12.0.7" and request.headers["host"] == "ga.qingdao.gov.cn"
    assert request.extensions["sni_hostname"] == "ga.qingdao.gov.cn"
    assert dept.looked_up == ["ga.qingdao.gov.cn"]


def test_paths_never_leave_the_configured_base_url():
    """An absolute URL in place of a path is refused before anything is sent, and so is another origin."""
    dept = Department(resolves={"ga.qingdao.gov.cn": ["10.12.0.7"]})
    adapter = dept.adapter()
    with pytest.raises(DepartmentRejected, match="relative"):
        adapter._send("GET", "http://169.254.169.254/latest/meta-data/", timeout=1.0)
    client = dept.fence.client("police", "https://ga.qingdao.gov.cn/api", inner=httpx.MockTransport(dept._handle))
    with pytest.raises(httpx.TransportError, match="not the configured base URL"):
        client.get("https://other.example/api/x")
    assert dept.seen == [] and dept.looked_up == []


def test_redirects_are_refused_not_followed():
    """A 302 to the metadata service is one request and a rejection; the Location is never visited."""
    dept = Department(resolves={"ga.qingdao.gov.cn": ["10.12.0.7"]})
    dept.answer = lambda request: httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})
    with pytest.raises(DepartmentRejected, match="redirects are not followed"):
        dept.adapter().check_identity(CITIZEN, timeout=2.0)
    assert [r.url.host for r in dept.seen] == ["10.12.0.7"]


@pytest.mark.parametrize("address", ["169.254.169.254", "169.254.0.1", "100.100.100.200", "fe80::1",
                                     "fd00:ec2::254", "::ffff:169.254.169.254", "0.0.0.0"])
def test_link_local_and_metadata_addresses_are_always_refused(address):
    """Even a department allowed everywhere never reaches them, by name or by literal address."""
    dept = Department(resolves={"ga.qingdao.gov.cn": [address]})
    with pytest.raises(DepartmentRejected, match="link-local or metadata"):
        dept.adapter().check_identity(CITIZEN, timeout=2.0)
    literal = f"[{address}]" if ":" in address else address
    with pytest.raises(DepartmentRejected, match="link-local or metadata"):
        dept.adapter(f"http://{literal}/api").check_identity(CITIZEN, timeout=2.0)
    assert dept.seen == []


def test_a_resolved_address_must_lie_in_the_departments_networks():
    """Outside its networks (or one of several addresses outside) is refused; another department's differ."""
    networks = {"police": parse_networks(["10.12.0.0/16"]), "*": parse_networks(["10.99.0.0/16"])}
    dept = Department(networks=networks, resolves={"ga.qingdao.gov.cn": ["10.13.0.7"],
                                                   "mixed.qingdao.gov.cn": ["10.12.0.7", "203.0.113.9"]})
    with pytest.raises(DepartmentRejected, match="outside the department's networks"):
        dept.adapter().check_identity(CITIZEN, timeout=2.0)
    with pytest.raises(DepartmentRejected, match="203.0.113.9 is outside"):
        dept.adapter("https://mixed.qingdao.gov.cn/api").check_identity(CITIZEN, timeout=2.0)
    with pytest.raises(DepartmentRejected, match="10.12.0.7 is outside"):  # the default networks, not police's
        dept.adapter("http://10.12.0.7/api", code="hrss_police").check_identity(CITIZEN, timeout=2.0)
    assert dept.seen == []


def test_the_default_fence_is_this_machine_only():
    """Without configured networks a department may be on loopback (the sandboxes, the tests), nowhere else."""
    fence = Fence()
    assert [str(n) for n in fence.networks_of("police")] == ["127.0.0.0/8", "::1/128"]
    deps = Departments.from_config([("police", "police", "http://10.0.0.1/api")])
    try:
        with pytest.raises(DepartmentRejected, match="outside the department's networks"):
            deps["police"].adapter.check_identity(CITIZEN, timeout=1.0)
    finally:
        deps.close()


def test_an_oversized_answer_is_cut_off():
    """Past the byte cap the call fails as malformed: a declared length at once, an undeclared one mid-stream."""
    dept = Department(resolves={"ga.qingdao.gov.cn": ["10.12.0.7"]}, max_bytes=4096)
    dept.answer = lambda request: httpx.Response(200, content=b"x" * 5000)
    with pytest.raises(MalformedAnswer, match="over 4096"):
        dept.adapter().check_identity(CITIZEN, timeout=2.0)
    pulled: list[int] = []

    def endless() -> Iterator[bytes]:
        for n in range(10_000):
            pulled.append(n)
            yield b"y" * 1000

    dept.answer = lambda request: httpx.Response(200, content=endless())
    with pytest.raises(MalformedAnswer, match="larger than 4096"):
        dept.adapter().check_identity(CITIZEN, timeout=2.0)
    assert len(pulled) == 5  # read up to the cap, not to the end


def test_a_dripping_answer_is_cut_off_at_the_calls_timeout():
    """Bytes that keep coming, each within the read timeout, still stop once the call's time is spent."""
    dept = Department(resolves={"ga.qingdao.gov.cn": ["10.12.0.7"]})
    pulled: list[int] = []

    def drip() -> Iterator[bytes]:
        for n in range(100):
            pulled.append(n)
            dept.now += 0.5  # one byte every half second on the virtual clock
            yield b" "

    dept.answer = lambda request: httpx.Response(200, content=drip())
    with pytest.raises(DepartmentTimeout):
        dept.adapter().check_identity(CITIZEN, timeout=2.0)
    assert len(pulled) == 5


def test_headers_arriving_after_the_calls_timeout_are_a_timeout():
    """A department that takes longer than the call's time to answer at all times out, whatever it sends."""
    dept = Department(resolves={"ga.qingdao.gov.cn": ["10.12.0.7"]})

    def late(request: httpx.Request) -> httpx.Response:
        dept.now += 2.5
        return httpx.Response(200, content=MATCH)

    dept.answer = late
    with pytest.raises(DepartmentTimeout):
        dept.adapter().check_identity(CITIZEN, timeout=2.0)
