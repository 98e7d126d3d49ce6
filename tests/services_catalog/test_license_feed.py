"""The license change feed: the adapter against the feed sandboxes over httpx's in-process WSGI transport,
and the sandbox issuers' records, changes and keys."""

from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from services_catalog.adapters.license_feed import LicenseFeedAdapter
from services_catalog.errors import DepartmentRejected, DepartmentUnavailable, MalformedAnswer
from services_catalog.ports import LicenseFeed
from services_catalog.sandbox import license_feed_app
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.sandbox.issued import DEPARTMENT_RECORDS
from services_catalog.sandbox.issuers import (FEED_DEPARTMENTS, PUSH_DEPARTMENTS, LicenseFeedSandbox, SandboxIssuer,
                                              sandbox_issuers)
from services_catalog.testing import FakeLicenseFeed, Script

LIMIT = 2


class Feed:
    """A feed department under contract: its issuer, the script steering it and the port implementation, the
    adapter reading the sandbox over HTTP (``client``) or the in-memory fake."""

    def __init__(self, department: str, impl: str) -> None:
        self.issuer = SandboxIssuer(department, seed=b"feed")
        self.script = Script()
        self.client = httpx.Client(transport=SandboxTransport(LicenseFeedSandbox(self.issuer, self.script)),
                                   base_url=f"http://{department}.test")
        self.adapter: LicenseFeed = (LicenseFeedAdapter(department, self.client) if impl == "sandbox" else
                                     FakeLicenseFeed(department, self.issuer, self.script))

    def drain(self, cursor: str | None) -> tuple[list[dict[str, Any]], str, int]:
        """Pull pages until drained; the records, the final cursor (the watermark) and the page count."""
        records: list[dict[str, Any]] = []
        pages = 0
        while True:
            page = self.adapter.fetch_licenses(cursor, limit=LIMIT, timeout=1.0)
            assert len(page.records) <= LIMIT
            records += page.records
            cursor, pages = page.cursor, pages + 1
            if not page.has_more:
                return records, cursor, pages


@pytest.fixture(params=[(impl, dept) for impl in ("sandbox", "fake") for dept in FEED_DEPARTMENTS],
                ids=lambda p: f"{p[0]}-{p[1]}")
def feed(request: pytest.FixtureRequest) -> Iterator[Feed]:
    subject = Feed(request.param[1], request.param[0])
    yield subject
    subject.client.close()


def test_the_adapter_and_the_fake_implement_the_port(feed: Feed) -> None:
    assert isinstance(feed.adapter, LicenseFeed)


def test_a_full_pull_pages_through_every_record_once(feed: Feed) -> None:
    records, _, pages = feed.drain(None)
    assert records == list(DEPARTMENT_RECORDS[feed.issuer.department])
    assert pages == -(-len(records) // LIMIT) and feed.script.operations() == ["licenses"] * pages


def test_the_watermark_resumes_with_only_what_changed(feed: Feed) -> None:
    """After a drained pull the kept cursor yields just the later change, suspension and revocation."""
    first, watermark, _ = feed.drain(None)
    serial = first[0]["serial"]
    assert feed.adapter.fetch_licenses(watermark, limit=LIMIT, timeout=1.0).records == ()
    changed = feed.issuer.change(serial, valid_until="2030-12-31")
    suspended = feed.issuer.suspend(serial, "核查中")
    revoked = feed.issuer.revoke(serial, "注销")
    again, later, _ = feed.drain(watermark)
    assert again == [changed, suspended, revoked]
    assert [r["version"] for r in again] == [2, 3, 4] and later != watermark
    assert changed["op"] == "change" and changed["fields"] == first[0]["fields"]
    assert revoked == {"op": "revoke", "license_type": first[0]["license_type"], "serial": serial, "version": 4,
                       "reason": "注销"}


def test_a_repeated_pull_from_an_old_cursor_repeats_records(feed: Feed) -> None:
    """Records may repeat (applying them is idempotent by serial and version); none goes missing."""
    page = feed.adapter.fetch_licenses(None, limit=1, timeout=1.0)
    assert feed.adapter.fetch_licenses(None, limit=1, timeout=1.0) == page
    rest, _, _ = feed.drain(page.cursor)
    assert list(page.records) + rest == list(DEPARTMENT_RECORDS[feed.issuer.department])


@pytest.mark.parametrize(("fault", "status", "error"), [
    ("5xx", 503, DepartmentUnavailable), ("4xx", 403, DepartmentRejected), ("refuse", 503, DepartmentUnavailable)])
def test_failures_map_to_the_department_errors(feed: Feed, fault: str, status: int, error: type[Exception]) -> None:
    feed.script.set(fault=fault, status=status)
    with pytest.raises(error):
        feed.adapter.fetch_licenses(None, limit=LIMIT, timeout=1.0)


@pytest.mark.parametrize("malformed", ["missing_field", "wrong_type", "not_json"])
def test_a_malformed_page_is_a_malformed_answer(feed: Feed, malformed: str) -> None:
    feed.script.set(fault="malformed", malformed=malformed)
    with pytest.raises(MalformedAnswer):
        feed.adapter.fetch_licenses(None, limit=LIMIT, timeout=1.0)


@pytest.mark.parametrize("query", [{"since": "abc"}, {"limit": "0"}, {"limit": "501"}, {"limit": "x"}])
def test_the_feed_refuses_a_bad_cursor_or_limit_naming_it(feed: Feed, query: dict[str, str]) -> None:
    response = feed.client.get("/licenses/changes", params=query)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == next(iter(query))


def test_a_cursor_the_feed_refuses_is_a_rejection(feed: Feed) -> None:
    with pytest.raises(DepartmentRejected, match="since"):
        feed.adapter.fetch_licenses("abc", limit=LIMIT, timeout=1.0)
    with pytest.raises(DepartmentRejected, match="limit"):
        feed.adapter.fetch_licenses(None, limit=501, timeout=1.0)


def test_an_endless_page_is_malformed() -> None:
    """``has_more`` on an empty page would make the platform pull forever."""
    def endless(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"records": [], "cursor": "7", "has_more": True})

    client = httpx.Client(transport=httpx.MockTransport(endless), base_url="http://e.test")
    adapter = LicenseFeedAdapter("education", client)
    with pytest.raises(MalformedAnswer, match="never end"):
        adapter.fetch_licenses(None, limit=LIMIT, timeout=1.0)


def test_the_gunicorn_factory_serves_the_department() -> None:
    app = license_feed_app("education", "demo")
    with httpx.Client(transport=SandboxTransport(app), base_url="http://education.test") as client:
        body = client.get("/licenses/changes").json()
    assert body["records"] == list(DEPARTMENT_RECORDS["education"]) and body["has_more"] is False


def test_every_department_issues_through_one_mode() -> None:
    """Feed and push departments partition the nine standard-interface departments."""
    assert set(FEED_DEPARTMENTS) | set(PUSH_DEPARTMENTS) == set(DEPARTMENT_RECORDS)
    assert not set(FEED_DEPARTMENTS) & set(PUSH_DEPARTMENTS)


def test_keys_derive_from_the_seed_or_are_fresh() -> None:
    def pem(issuer: SandboxIssuer) -> bytes:
        return issuer.public_key_pem().encode("ascii")

    first, second = sandbox_issuers(b"seed"), sandbox_issuers(b"seed")
    assert all(pem(first[d]) == pem(second[d]) for d in first)
    assert len({pem(i) for i in first.values()}) == len(first)
    assert pem(SandboxIssuer("health")) != pem(SandboxIssuer("health"))
    key = serialization.load_pem_public_key(pem(first["health"]))
    assert isinstance(key, ec.EllipticCurvePublicKey)
    assert key.public_numbers() == first["health"].private_key.public_key().public_numbers()


def test_records_are_version_one_issues_and_copies() -> None:
    issuer = SandboxIssuer("civil_affairs")
    records = issuer.records()
    assert records == DEPARTMENT_RECORDS["civil_affairs"]
    assert {(r["op"], r["version"]) for r in records} == {("issue", 1)}
    records[0]["fields"]["spouse_name"] = "改过"
    assert issuer.records() == DEPARTMENT_RECORDS["civil_affairs"]


def test_a_final_op_ends_a_serial_and_an_unknown_serial_is_a_key_error() -> None:
    issuer = SandboxIssuer("health")
    serial = issuer.records()[0]["serial"]
    assert issuer.suspend(serial)["version"] == 2 and issuer.reinstate(serial)["version"] == 3
    assert issuer.expire(serial, "到期")["op"] == "expire"
    with pytest.raises(ValueError, match="final"):
        issuer.change(serial, fields={"gestational_weeks": "40"})
    with pytest.raises(KeyError):
        issuer.revoke("NO-SUCH-SERIAL")
    assert [r["version"] for r in issuer.log() if r["serial"] == serial] == [1, 2, 3, 4]


def test_a_change_carries_the_full_record_with_the_new_values() -> None:
    issuer = SandboxIssuer("healthcare_security")
    first = issuer.records()[2]
    changed = issuer.change(first["serial"], fields={"insured_status": "正常参保"})
    assert changed == {**first, "op": "change", "version": 2, "fields": {**first["fields"], "insured_status": "正常参保"}}
    assert issuer.current(first["serial"]) == changed


def test_a_change_cannot_replace_the_envelope() -> None:
    issuer = SandboxIssuer("education")
    with pytest.raises(ValueError, match="serial"):
        issuer.change(issuer.records()[0]["serial"], serial="OTHER")
