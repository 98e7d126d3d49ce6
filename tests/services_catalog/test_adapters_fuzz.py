"""Properties of the department adapters under hostile answers: whatever a department system sends back
(its real answer with a few values changed, any JSON, any bytes, any status, nesting past the parser's
stack), an adapter returns domain values or raises a ``DepartmentError``, never another exception.

The answers are the sandboxes' own (tests/services_catalog/test_adapters_contract.py runs the adapters
against them unchanged), mutated in flight by a transport between the adapter and the sandbox.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services_catalog.adapters import ADAPTERS, CreditPlatformAdapter
from services_catalog.credit import BrokenCommitment
from services_catalog.errors import DepartmentError
from services_catalog.ports import DepartmentAdapter
from services_catalog.sandbox import SANDBOXES, sandbox_wsgi_app
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.shared_records import SHARED_SOURCES
from services_catalog.sandbox.credit import CreditSandbox
from services_catalog.testing import DEMO_CITIZENS
from tests.mutations import JSON_VALUES, examples, mutants

KINDS = sorted(SANDBOXES)


def shared_source_of(department: object) -> str:
    """The shared-data source a department of this kind holds (adapters by class, fakes by their kind)."""
    kind = getattr(department, "kind", None) or next(k for k, cls in ADAPTERS.items() if isinstance(department, cls))
    return next(s.name for s in SHARED_SOURCES.values() if s.department_kind == kind)


STATUSES = st.sampled_from([200, 200, 200, 201, 204, 301, 400, 404, 429, 500, 502, 503])
OPERATIONS: dict[str, Callable[[DepartmentAdapter], Any]] = {
    "feed": lambda d: d.fetch_items(d.fetch_items(None, timeout=1.0).cursor, timeout=1.0),
    "identity": lambda d: d.check_identity(DEMO_CITIZENS[1].citizen, timeout=1.0),
    "records": lambda d: d.records(DEMO_CITIZENS[0].citizen, timeout=1.0),
    "shared": lambda d: d.shared_record(shared_source_of(d), DEMO_CITIZENS[0].citizen, timeout=1.0),  # type: ignore
}


class Hostile(httpx.BaseTransport):
    """Hands each request to the sandbox, then answers with what ``tamper`` makes of the real answer."""

    def __init__(self, inner: httpx.BaseTransport, tamper: Callable[[int, bytes], tuple[int, bytes]]) -> None:
        self.inner, self.tamper = inner, tamper

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """The sandbox's answer, tampered with."""
        real = self.inner.handle_request(request)
        status, body = self.tamper(real.status_code, real.read())
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})


def _tamper(data: st.DataObject) -> Callable[[int, bytes], tuple[int, bytes]]:
    def tamper(status: int, body: bytes) -> tuple[int, bytes]:
        how = data.draw(st.sampled_from(["mutant", "mutant", "mutant", "json", "bytes", "cut", "deep", "status"]))
        if how == "mutant" and body:
            return status, json.dumps(data.draw(mutants(json.loads(body)))).encode()
        if how == "json":
            return status, json.dumps(data.draw(JSON_VALUES)).encode()
        if how == "bytes":
            return status, data.draw(st.binary(max_size=64))
        if how == "cut":
            return status, body[:data.draw(st.integers(0, max(len(body) - 1, 0)))]
        if how == "deep":
            return status, data.draw(st.sampled_from([b"[", b'{"a":', b'{"data":['])) * 100_000
        return data.draw(STATUSES), body
    return tamper


@pytest.fixture(scope="module", params=KINDS)
def sandbox(request: pytest.FixtureRequest) -> tuple[str, httpx.BaseTransport]:
    """A department kind and its sandbox, shared by the module's examples (they only read it)."""
    kind = request.param
    return kind, SandboxTransport(sandbox_wsgi_app(kind, department_code=f"qd-{kind}"))


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_hostile_answers_give_domain_values_or_department_errors(
        sandbox: tuple[str, httpx.BaseTransport], operation: str) -> None:
    """Any answer to any call: a result, or a DepartmentError naming the department."""
    kind, inner = sandbox

    @settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        with httpx.Client(transport=Hostile(inner, _tamper(data)), base_url=f"http://qd-{kind}.test") as client:
            department = ADAPTERS[kind](f"qd-{kind}", client, page_size=2)
            try:
                result = OPERATIONS[operation](department)
            except DepartmentError as exc:
                assert exc.department == f"qd-{kind}"
                return
        if operation == "feed":  # the times are storable: they convert to UTC and back
            for entry in result.items:
                assert entry.updated_at.tzinfo is not None
                entry.updated_at.astimezone(dt.timezone.utc)

    check()


CREDIT_OPERATIONS: dict[str, Callable[[CreditPlatformAdapter], Any]] = {
    "credit_record": lambda p: p.credit_record(DEMO_CITIZENS[3].citizen, timeout=1.0),
    "standing": lambda p: p.standing(DEMO_CITIZENS[5].citizen, (), timeout=1.0),
    "record_broken_commitment": lambda p: p.record_broken_commitment(DEMO_CITIZENS[0].citizen, BrokenCommitment(
        "cmt-fuzz", "11370200MB0000001X4370200001", "居住证签注", ("社保缴费证明",), dt.date(2026, 12, 1), "公安局"),
        timeout=1.0),
}


@pytest.mark.parametrize("operation", sorted(CREDIT_OPERATIONS))
def test_hostile_credit_platform_answers_give_domain_values_or_department_errors(operation: str) -> None:
    """The credit platform's adapter holds to the same property, on each of its calls."""
    inner = SandboxTransport(CreditSandbox())

    @settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        with httpx.Client(transport=Hostile(inner, _tamper(data)), base_url="http://credit.test") as client:
            try:
                CREDIT_OPERATIONS[operation](CreditPlatformAdapter(client))
            except DepartmentError as exc:
                assert exc.department == "credit"

    check()
