"""The signing push client: what it signs, verified with the same library against the department's public key."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from http_message_signatures import HTTPMessageVerifier, InvalidSignature, MappingKeyResolver

from services_catalog.issuing import (
    COVERED_COMPONENTS,
    JSON,
    JSON_LINES,
    SIGNATURE_ALGORITHM,
    IssuingClient,
    IssuingRefused,
    IssuingUnavailable,
)
from services_catalog.sandbox.issued import DEPARTMENT_RECORDS
from services_catalog.sandbox.issuers import SandboxIssuer
from services_catalog.testing import ManualClock

START = 1_700_000_000.0  # in the past, so the library's "created in the future" check never trips
RECORDS = DEPARTMENT_RECORDS["market_regulation"]


def verifier(issuer: SandboxIssuer, key_id: str | None = None) -> HTTPMessageVerifier:
    keys = {key_id or issuer.key_id: issuer.private_key.public_key()}
    return HTTPMessageVerifier(signature_algorithm=SIGNATURE_ALGORITHM,
                               key_resolver=MappingKeyResolver(public_keys=keys, private_keys={}))


def verify(request: httpx.Request, issuer: SandboxIssuer, body: bytes | None = None) -> Any:
    (result,) = verifier(issuer).verify(request, max_age=None, require_components=COVERED_COMPONENTS,
                                        body=request.content if body is None else body)
    assert result.label == "zwt"
    return result


class Platform:
    """A fake platform push route: keeps what it received and answers a report (or a scripted status)."""

    def __init__(self, status: int = 200, answer: Any = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status, self.answer = status, answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answer is not None:
            return httpx.Response(self.status, json=self.answer)
        lines = request.content.decode("utf-8").split("\n")
        results = [{"line": n, "serial": json.loads(line)["serial"], "version": json.loads(line)["version"],
                    "outcome": "stored"} for n, line in enumerate(lines, start=1)]
        return httpx.Response(self.status, json={"results": results, "totals": {"stored": len(results)}})


@pytest.fixture
def issuer() -> SandboxIssuer:
    return SandboxIssuer("market_regulation", seed=b"test")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def client_for(issuer: SandboxIssuer, clock: ManualClock, platform: Platform) -> IssuingClient:
    http = httpx.Client(transport=httpx.MockTransport(platform), base_url="https://zwt.test")
    return issuer.issuing_client(http, clock)


def test_a_push_is_signed_per_the_contract(issuer: SandboxIssuer, clock: ManualClock) -> None:
    """Label zwt over method, path, content type and digest; created from the clock, keyid, alg; sha-256 digest."""
    platform = Platform()
    report = client_for(issuer, clock, platform).push(RECORDS[0])
    (request,) = platform.requests
    assert report["results"][0] == {"line": 1, "serial": RECORDS[0]["serial"], "version": 1, "outcome": "stored"}
    assert request.method == "POST" and request.url.path == "/api/v1/issuers/market_regulation/licenses"
    assert request.headers["content-type"] == JSON and json.loads(request.content) == RECORDS[0]
    assert request.headers["content-digest"].startswith("sha-256=:")
    result = verify(request, issuer)
    assert result.parameters == {"created": int(START), "keyid": "market_regulation-sandbox-1",
                                 "alg": "ecdsa-p256-sha256"}
    assert list(result.covered_components)[:4] == [f'"{c}"' for c in COVERED_COMPONENTS]
    assert request.headers["signature-input"].startswith('zwt=("@method" "@path" "content-type" "content-digest")')


def test_a_batch_is_json_lines_one_record_a_line(issuer: SandboxIssuer, clock: ManualClock) -> None:
    platform = Platform()
    report = client_for(issuer, clock, platform).push_batch(RECORDS)
    (request,) = platform.requests
    assert request.headers["content-type"] == JSON_LINES
    lines = request.content.decode("utf-8").split("\n")
    assert [json.loads(line) for line in lines] == list(RECORDS)
    assert [r["line"] for r in report["results"]] == list(range(1, len(RECORDS) + 1))
    assert verify(request, issuer).body == request.content


def test_created_follows_the_clock(issuer: SandboxIssuer, clock: ManualClock) -> None:
    platform = Platform()
    client = client_for(issuer, clock, platform)
    client.push(RECORDS[0])
    clock.advance(301.7)
    client.push(RECORDS[1])
    assert [verify(r, issuer).parameters["created"] for r in platform.requests] == [int(START), int(START) + 301]


def test_a_changed_body_fails_verification(issuer: SandboxIssuer, clock: ManualClock) -> None:
    """The digest binds the body: another body (same length, one character changed) no longer verifies."""
    platform = Platform()
    client_for(issuer, clock, platform).push(RECORDS[0])
    (request,) = platform.requests
    tampered = request.content.replace(b'"version":1', b'"version":2')
    assert tampered != request.content
    with pytest.raises(InvalidSignature, match="Content-Digest"):
        verify(request, issuer, body=tampered)


def test_a_changed_covered_header_or_another_key_fails(issuer: SandboxIssuer, clock: ManualClock) -> None:
    platform = Platform()
    client_for(issuer, clock, platform).push(RECORDS[0])
    (request,) = platform.requests
    request.headers["content-type"] = JSON_LINES
    with pytest.raises(InvalidSignature):
        verify(request, issuer)
    request.headers["content-type"] = JSON
    assert verify(request, issuer).label == "zwt"
    stranger = SandboxIssuer("market_regulation", seed=b"another")
    with pytest.raises(InvalidSignature):
        verify(request, stranger)


def test_the_path_is_covered(issuer: SandboxIssuer, clock: ManualClock) -> None:
    """A signature for one department's route does not verify on another's."""
    platform = Platform()
    client_for(issuer, clock, platform).push(RECORDS[0])
    (request,) = platform.requests
    moved = httpx.Request("POST", "https://zwt.test/api/v1/issuers/health/licenses", headers=request.headers,
                          content=request.content)
    with pytest.raises(InvalidSignature):
        verify(moved, issuer)


@pytest.mark.parametrize(("status", "error"), [(401, IssuingRefused), (422, IssuingRefused), (503, IssuingUnavailable)])
def test_a_refused_or_failed_push_raises(issuer: SandboxIssuer, clock: ManualClock, status: int,
                                         error: type[Exception]) -> None:
    problem = {"type": "about:blank", "title": "bad signature", "status": status}
    with pytest.raises(error) as caught:
        client_for(issuer, clock, Platform(status, problem)).push(RECORDS[0])
    if isinstance(caught.value, IssuingRefused):
        assert caught.value.status == status and caught.value.problem == problem


def test_an_unreachable_platform_or_a_non_report_raises_unavailable(issuer: SandboxIssuer,
                                                                    clock: ManualClock) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    down = issuer.issuing_client(httpx.Client(transport=httpx.MockTransport(refuse), base_url="https://z.test"),
                                 clock)
    with pytest.raises(IssuingUnavailable, match="ConnectError"):
        down.push(RECORDS[0])
    with pytest.raises(IssuingUnavailable, match="not a JSON report"):
        client_for(issuer, clock, Platform(200, ["not", "a", "report"])).push(RECORDS[0])


def test_the_client_wants_a_p256_key_and_a_non_empty_batch(issuer: SandboxIssuer, clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="P-256"):
        IssuingClient("https://zwt.test", "health", "k", ec.generate_private_key(ec.SECP384R1()), clock)
    with pytest.raises(ValueError, match="at least one"):
        client_for(issuer, clock, Platform()).push_batch([])
