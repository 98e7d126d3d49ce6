"""Schemathesis against a live gunicorn server on the suite's backend (SQLite, or PostgreSQL + Redis).

Every documented operation in positive and negative mode, then a stateful run that follows the contract's
``links`` (register -> login -> licenses -> presentation -> QR; item draft -> submit -> publish). No
response may be a server error or break the contract. Example counts are bounded so each backend's run
stays near a minute and a half on a shared 2-core machine. (test_openapi.py runs the same checks in-process.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import checks as sc

from services_catalog.proofing import SmsOutbox
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from zwt.cli import create_staff_account

from .catalog_admin_helpers import register_departments
from .live_nodes import STOP_SECONDS, environment, spawn, wait_until_up
from .test_openapi import _operations

pytestmark = pytest.mark.slow

CHECKS = [sc.not_a_server_error, sc.status_code_conformance, sc.content_type_conformance,
          sc.response_headers_conformance, sc.response_schema_conformance]
EXAMPLES_PER_OPERATION = 6  # per operation and mode: about 900 cases
#: gunicorn's default ``limit_request_line``: a longer request line (a negative case repeating a query parameter
#: dozens of times) is refused by gunicorn itself with an HTML 414 before the app sees it, as nginx would in front
GUNICORN_REQUEST_LINE_LIMIT = 4094
STATEFUL_SCENARIOS, STATEFUL_STEPS = 25, 8
PASSWORD = "Secret2026ok"
#: Operations that end or change the caller's sign-in (or lock the wallet): they run as a spare citizen,
#: signed in afresh for each case, so the main citizen's token keeps working for the rest
SPARE = re.compile(r"^/api/v1/(auth/(logout|refresh)|me/(sessions|password|wallet/lock))")


class Callers:
    """Sign-ins on the live server: a citizen with licenses, a spare citizen, a clerk, a department admin and a
    platform admin (department keys)."""

    def __init__(self, base: str, outbox: Path) -> None:
        self.base, self.outbox = base, outbox
        self.citizen = self._register(0)["access_token"]
        self._register(1)
        self.spare_phone = DEMO_CITIZENS[1].phone
        self.clerk = self._login("live_clerk", "Staff2026ok")["access_token"]
        self.admin = self._login("live_admin", "Staff2026ok")["access_token"]
        self.platform = self._login("live_platform", "Staff2026ok")["access_token"]

    def _register(self, index: int) -> dict[str, Any]:
        demo = DEMO_CITIZENS[index]
        started = httpx.post(self.base + "/api/v1/auth/register", json={
            "name": demo.citizen.name, "id_number": demo.citizen.id_number, "phone": demo.phone,
            "password": PASSWORD})
        assert started.status_code == 202, started.text
        text = SmsOutbox(self.outbox).last(demo.phone)
        assert text is not None
        done = httpx.post(self.base + "/api/v1/auth/register/confirm", json={
            "challenge_id": started.json()["challenge_id"], "code": re.search(r"\d{6}", text.text).group(0)})
        assert done.status_code == 201, done.text
        return dict(done.json())

    def _login(self, username: str, password: str) -> dict[str, Any]:
        response = httpx.post(self.base + "/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def headers_for(self, path: str) -> dict[str, str]:
        """The Authorization header a case of ``path`` is sent with."""
        if SPARE.match(path):
            pair = self._login(self.spare_phone, PASSWORD)
            token = pair["refresh_token"] if path.endswith("/auth/refresh") else pair["access_token"]
        elif path.startswith("/api/v1/admin/issuers/"):
            token = self.platform
        elif path.startswith("/api/v1/admin/"):
            token = self.admin
        elif path.startswith("/api/v1/verifier/"):
            token = self.clerk
        else:
            token = self.citizen
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def live(make_app, database_url, redis_url, tmp_path):
    """A gunicorn server (two workers) on the test database, with its callers signed in."""
    app = make_app()
    register_departments(app)
    with app.app_context():
        create_staff_account(role="clerk", username="live_clerk", display_name="live clerk", password="Staff2026ok",
                             hall_code="370202-hall-01", counter_code="counter-01")
        create_staff_account(role="dept_admin", username="live_admin", display_name="live admin",
                             password="Staff2026ok", department_code="police")
        create_staff_account(role="platform_admin", username="live_platform", display_name="live platform",
                             password="Staff2026ok")
    env = environment(database_url, redis_url, tmp_path, make_app().extensions["zwt"].config.redis_prefix)
    proc, base = spawn(env, tmp_path / "gunicorn.log")
    try:
        wait_until_up(base)
        yield base, Callers(base, tmp_path / "sms.jsonl")
    finally:
        proc.terminate()
        proc.wait(timeout=STOP_SECONDS)
    errors = [line for line in (tmp_path / "gunicorn.log").read_text().splitlines() if '"level": "ERROR"' in line]
    assert not errors, "\n".join(errors[:5])


def _schema(base: str, *modes: schemathesis.GenerationMode) -> Any:
    schema = schemathesis.openapi.from_url(base + "/api/v1/openapi.yaml")
    schema.config.generation.update(modes=list(modes), max_examples=EXAMPLES_PER_OPERATION)
    return schema


def _run(exercise: Callable[[], None], label: str, failures: list[str]) -> None:
    try:
        exercise()
    except Exception as exc:  # noqa: BLE001 - every operation runs; the failures are reported together
        failures.append(f"{label}: {str(exc)[:1500]}")


def test_every_operation_against_a_live_server(live, record_property):
    """Positive and negative cases of every operation: 0 server errors, 0 contract violations."""
    base, callers = live
    schema = _schema(base, schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    cases: list[str] = []
    failures: list[str] = []
    for method, path, mode in _operations():  # negative mode only where there is input to make invalid
        operation = schema[path][method]

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, suppress_health_check=list(HealthCheck), deadline=None,
                  database=None)
        def exercise(case: Any) -> None:
            response = case.call(headers=callers.headers_for(case.operation.path), timeout=30)
            cases.append(case.operation.label)
            if response.status_code == 414:  # the server's limit, not the app's contract: only for long lines
                assert len(response.request.path_url) > GUNICORN_REQUEST_LINE_LIMIT - len("GET  HTTP/1.1"), \
                    response.request.path_url
                return
            case.validate_response(response, checks=CHECKS)

        _run(exercise, f"{mode.value} {operation.label}", failures)
    record_property("schemathesis_cases", len(cases))
    print(f"\nlive schemathesis: {len(cases)} cases over {len(set(cases))} operations")
    assert not failures, "\n\n".join(failures)
    assert len(set(cases)) > 60


def test_stateful_links_against_a_live_server(live, record_property):
    """Scenarios that follow the contract's links break nothing: positive ones, then ones mixing in negative
    cases (schemathesis then also leaves out or spoils the token)."""
    base, callers = live
    steps: list[str] = []
    for modes, scenarios in (((schemathesis.GenerationMode.POSITIVE,), STATEFUL_SCENARIOS),
                             ((schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE),
                              STATEFUL_SCENARIOS // 2)):
        _run_stateful(_schema(base, *modes), callers, scenarios, steps)
    record_property("schemathesis_stateful_steps", len(steps))
    print(f"\nlive stateful schemathesis: {len(steps)} calls over {len(set(steps))} operations")
    assert steps


def _run_stateful(schema: Any, callers: Callers, scenarios: int, steps: list[str]) -> None:
    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": callers.headers_for(case.operation.path), "timeout": 30}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            steps.append(case.operation.label)
            case.validate_response(response, checks=CHECKS)

    # Generate only, as schemathesis' own runner does: a live server's state moves on, so replaying a
    # scenario to shrink it draws differently. For the same reason Hypothesis may stop a run as "flaky"
    # when a link's source is gone; the run then goes on with a new one (a check failure is never caught).
    run = settings(max_examples=scenarios, stateful_step_count=STATEFUL_STEPS, phases=[Phase.generate],
                   suppress_health_check=list(HealthCheck), deadline=None, database=None)
    for _ in range(3):
        try:
            Workflow.run(settings=run)
            return
        except FlakyStrategyDefinition:
            continue
