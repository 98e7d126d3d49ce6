"""Public credit in handling over HTTP (issue 20): a commitment (信用承诺) defers a material and it is delivered
later; a commitment not honoured is broken by the sweep and reaches the credit record (durably, through a
platform outage); a restricted subject (失信限制) is refused at submission with the reason, the list and the
repair route; the platform down is ``unknown``, and then no deferral: full materials."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from services_catalog.credit_rules import CreditRule
from services_catalog.examples import example_item
from services_catalog.handling import Satisfier
from services_catalog.items import Material
from services_catalog.sandbox import DEMO_DEPARTMENTS, sandbox_departments
from services_catalog.sandbox.credit import sandbox_credit_platform
from zwt.applications import commitments
from zwt.catalog.repository import save_item
from zwt.db import session
from zwt.docs import SPEC_PATH
from zwt.models import ApplicationCredit, ApplicationRow

from ...applications.files.samples import PDF
from ..applications.conftest import RESIDENCE_FORM, item_code
from ..wallet.conftest import World

ID_CARD, SOCIAL = "居民身份证", "社会保险缴费记录"
COURT = "court_dishonest_debtors"
FORM = {"address": "青岛市崂山区海尔路1号", "reason": "work", "since": "2026-01-05"}
DAY = 86400


@pytest.fixture
def departments():
    """The real adapters over the in-process sandboxes (the police registers the demo people)."""
    deps = sandbox_departments(departments=DEMO_DEPARTMENTS)
    yield deps
    deps.release_all()
    deps.close()


@pytest.fixture
def app(make_app, departments, credit_sandbox):
    """The app on the sandboxes and the steerable credit platform sandbox."""
    return make_app(departments=departments, credit_platform=sandbox_credit_platform(credit_sandbox))


@pytest.fixture
def world(app, client, auth, clock) -> World:
    """Citizens and staff over HTTP."""
    return World(app, client, auth, clock)


@pytest.fixture
def impl_code(world: World) -> str:
    """A back-office item: the ID card from the wallet, the social-security record by upload, deferrable for
    three working days; closed to dishonest judgment debtors."""
    svc = world.app.extensions["zwt"]
    item = example_item(
        impl_code=item_code(7), name="居住证申领", status="published", department_code="civil_affairs",
        accepts_online=True, online_depth=3, promised_time_limit=10, form_fields=RESIDENCE_FORM,
        materials=(Material(ID_CARD, satisfied_by=(Satisfier("license", "id_card", ("holder",)), Satisfier("upload"))),
                   Material(SOCIAL, satisfied_by=(Satisfier("upload"),))),
        credit_rule=CreditRule(deferrable_materials=(SOCIAL,), restricted_lists=(COURT,), commitment_days=3))
    with svc.db.sessions() as sess:
        save_item(sess, item, source="registration", actor="test", action="create", now=world.clock.now())
        sess.commit()
    return item.impl_code


def conforms(body: Any, name: str) -> Any:
    """``body``, checked against components/schemas/``name`` of openapi.yaml (generated requests rarely reach
    these answers)."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    Draft202012Validator({"components": spec["components"], **spec["components"]["schemas"][name]}).validate(body)
    return body


def pre_check(world: World, citizen: Any, impl_code: str) -> dict[str, Any]:
    """The pre-check's answer."""
    response = world.client.post("/api/v1/me/applications/pre-check", json={"impl_code": impl_code},
                                 headers=citizen.headers)
    assert response.status_code == 200, response.json
    conforms(response.json["credit"], "CreditOutcome")
    return dict(response.json)


def apply(world: World, citizen: Any, impl_code: str, **body: Any) -> Any:
    """POST an application with the ID card consented to and ``body`` (materials, commitment)."""
    body.setdefault("materials", {"consent": [ID_CARD]})
    return world.client.post("/api/v1/me/applications", json={"impl_code": impl_code, "form": FORM, **body},
                             headers=citizen.headers)


def defer(world: World, citizen: Any, impl_code: str) -> dict[str, Any]:
    """Apply deferring the social-security record under a signed commitment; the created application."""
    response = apply(world, citizen, impl_code, commitment={"materials": [SOCIAL], "accepted": True})
    assert response.status_code == 201, response.json
    return dict(conforms(response.json, "Application"))


def upload(world: World, citizen: Any) -> str:
    """A PDF in the citizen's materials library; its id."""
    response = world.client.post("/api/v1/me/materials", headers=citizen.headers, content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(PDF), "social.pdf", "application/pdf")})
    assert response.status_code in (200, 201), response.json
    return str(response.json["id"])


def message_kinds(world: World, citizen: Any) -> list[str]:
    """The kinds of the citizen's messages, oldest first."""
    items = world.client.get("/api/v1/me/messages", headers=citizen.headers).json["items"]
    return [m["kind"] for m in reversed(items)]


def sweep(world: World) -> tuple[int, int]:
    """One round of the worker's commitment sweep."""
    return commitments.run_once(world.app)


def test_a_commitment_defers_a_material_which_is_delivered_later(world: World, impl_code: str) -> None:
    """Pre-check offers the commitment with its due day; the application owes the record by then (what is due),
    and delivering it from the library fulfils the commitment. The department sees only the outcome."""
    citizen = world.citizen(0)
    credit = pre_check(world, citizen, impl_code)["credit"]
    assert credit["verdict"] == "commitment_allowed" and credit["standing"] == "good"
    assert credit["deferrable"] == [SOCIAL] and credit["full_materials"] is False and credit["refused_by"] == []
    assert credit["commitment"] == {"days": 3, "due": "2026-12-01"}  # Thursday 26 November + 3 working days

    created = defer(world, citizen, impl_code)
    owed = created["credit"]["commitment"]
    assert (owed["state"], owed["outstanding"], owed["due"]) == ("owed", [SOCIAL], "2026-12-01")
    assert {"action": "deliver_owed_materials", "materials": [SOCIAL], "due": "2026-12-01"} in created["due"]
    assert created == world.client.get(f"/api/v1/me/applications/{created['id']}", headers=citizen.headers).json
    assert [m["kind"] for m in created["messages"]] == ["commitment_signed", "submit"]  # the answer read nothing back
    staff = world.admin("civil_affairs")
    seen = world.client.get(f"/api/v1/admin/applications/{created['id']}", headers=staff).json["credit"]
    assert set(seen) == {"verdict", "standing", "reason", "checked_at", "commitment"}
    assert (seen["verdict"], seen["standing"]) == ("commitment_allowed", "good")

    world.clock.advance(2 * DAY)
    url = f"/api/v1/me/applications/{created['id']}/owed-materials"
    wrong = world.client.post(url, json={"materials": [ID_CARD]}, headers=citizen.headers)
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "materials[0]"
    delivered = world.client.post(url, json={"uploads": {SOCIAL: upload(world, citizen)}}, headers=citizen.headers)
    assert delivered.status_code == 200, delivered.json
    conforms(delivered.json, "Application")
    done = delivered.json["credit"]["commitment"]
    assert (done["state"], done["delivered"], done["outstanding"]) == ("fulfilled", [SOCIAL], [])
    assert not [d for d in delivered.json["due"] if d["action"] == "deliver_owed_materials"]
    again = world.client.post(url, json={}, headers=citizen.headers)
    assert again.status_code == 409 and again.json["code"] == "nothing_owed"
    kinds = message_kinds(world, citizen)
    assert kinds.index("commitment_signed") < kinds.index("commitment_fulfilled") == len(kinds) - 1
    world.clock.advance(10 * DAY)
    assert sweep(world) == (0, 0)  # a fulfilled commitment never breaks
    other = world.citizen(1)
    assert world.client.post(url, json={}, headers=other.headers).status_code == 404


def test_a_commitment_not_honoured_is_recorded_on_the_platform_despite_an_outage(
        world: World, impl_code: str, credit_sandbox: Any) -> None:
    """Past its due day the sweep breaks the commitment; the platform is down, so the report waits and is retried;
    once taken it is in the citizen's credit record (once, however often the sweep runs)."""
    citizen = world.citizen(0)
    created = defer(world, citizen, impl_code)
    world.clock.advance(6 * DAY)  # Wednesday 2 December in China: the due day has passed
    late = world.client.post(f"/api/v1/me/applications/{created['id']}/owed-materials", json={},
                             headers=citizen.headers)
    assert late.status_code == 409 and late.json["code"] == "commitment_overdue"

    credit_sandbox.script.set(fault="5xx")
    worker = world.app.test_cli_runner().invoke(args=["worker", "--once"])  # the worker's round sweeps too
    assert worker.exit_code == 0 and "commitments broken 1, reported 0" in worker.output
    detail = world.client.get(f"/api/v1/me/applications/{created['id']}", headers=citizen.headers).json
    assert detail["credit"]["commitment"]["state"] == "broken" and detail["credit"]["commitment"]["reported"] is False
    assert message_kinds(world, citizen)[-1] == "commitment_broken"
    with world.app.app_context():
        row = session().scalar(select(ApplicationCredit))
        assert row.report_state == "pending" and row.report_attempts == 1 and row.next_report_at is not None

    credit_sandbox.script.heal()
    tried = credit_sandbox.script.operations().count("record_broken_commitment")
    assert sweep(world) == (0, 0)  # not due again before its backoff
    world.clock.advance(3600)
    result = world.app.test_cli_runner().invoke(args=["credit", "sweep-commitments"])
    assert result.exit_code == 0 and "reported 1" in result.output
    record = world.client.get("/api/v1/me/credit", headers=citizen.headers).json
    assert len(record["broken_commitments"]) == 1
    assert SOCIAL in record["broken_commitments"][0]["title"]
    world.clock.advance(DAY)
    assert sweep(world) == (0, 0)
    assert credit_sandbox.script.operations().count("record_broken_commitment") == tried + 1
    detail = world.client.get(f"/api/v1/me/applications/{created['id']}", headers=citizen.headers).json
    assert conforms(detail, "Application")["credit"]["commitment"]["reported"] is True


def test_a_restricted_subject_is_refused_at_submission_with_the_reason(world: World, impl_code: str) -> None:
    """赵磊 is a dishonest judgment debtor: pre-check flags it, submission is a 403 with the reason, the list and
    how to repair credit; nothing is written but the look-ups in his access log."""
    citizen = world.citizen(5)
    credit = pre_check(world, citizen, impl_code)["credit"]
    assert credit["verdict"] == "refused" and credit["refused_by"][0]["list"] == COURT
    refused = apply(world, citizen, impl_code, materials=None)
    assert refused.status_code == 403 and refused.json["code"] == "credit_restricted"
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    listing = refused.json["credit"]["refused_by"][0]
    assert listing["list"] == COURT and listing["list_name"] == "失信被执行人名单" and listing["reason"]
    assert listing["repair"]["apply_at"] and listing["repair"]["steps"]
    with world.app.app_context():
        assert session().scalar(select(func.count()).select_from(ApplicationRow)) == 0
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert [e["verdict"] for e in log if e["event"] == "credit_checked"] == ["refused", "refused"]


def test_the_platform_down_is_unknown_and_then_every_material_is_needed(
        world: World, impl_code: str, credit_sandbox: Any) -> None:
    """Pre-check says ``unknown`` with full materials; a commitment is refused naming the field; without the
    deferred material the submission is refused naming it; with every material it goes through."""
    citizen = world.citizen(0)
    credit_sandbox.script.set(fault="refuse")
    credit = pre_check(world, citizen, impl_code)["credit"]
    assert (credit["verdict"], credit["standing"], credit["reason"]) == ("unknown", "unknown", "platform_unavailable")
    assert credit["full_materials"] is True and credit["deferrable"] == [] and credit["commitment"] is None
    deferral = apply(world, citizen, impl_code, commitment={"materials": [SOCIAL], "accepted": True})
    assert deferral.status_code == 422 and deferral.json["errors"][0]["field"] == "commitment"
    assert deferral.json["errors"][0]["code"] == "commitment_not_allowed"
    short = apply(world, citizen, impl_code)
    assert short.status_code == 422 and short.json["errors"][0]["field"] == f"materials.{SOCIAL}"
    everything = {"consent": [ID_CARD], "uploads": {SOCIAL: upload(world, citizen)}}
    full = apply(world, citizen, impl_code, materials=everything)
    assert full.status_code == 201, full.json
    assert full.json["credit"]["standing"] == "unknown" and full.json["credit"]["commitment"] is None


@pytest.mark.parametrize("commitment, field, code", [
    ({"materials": [SOCIAL], "accepted": False}, "commitment.accepted", "commitment_not_accepted"),
    ({"materials": [ID_CARD], "accepted": True}, "commitment.materials[0]", "not_deferrable"),
    ({"materials": [], "accepted": True}, "commitment.materials", None),
])
def test_a_commitment_out_of_bounds_names_the_field(world: World, impl_code: str, commitment: dict[str, Any],
                                                    field: str, code: str | None) -> None:
    """Unsigned, a material the item does not let be deferred, or nothing named: 422 naming the field."""
    answer = apply(world, world.citizen(0), impl_code, commitment=commitment)
    assert answer.status_code == 422 and answer.json["errors"][0]["field"] == field
    if code is not None:
        assert answer.json["errors"][0]["code"] == code


def test_a_withdrawn_application_owes_nothing(world: World, impl_code: str) -> None:
    """A commitment of an application withdrawn before its due day lapses instead of breaking."""
    citizen = world.citizen(0)
    created = defer(world, citizen, impl_code)
    withdrawn = world.client.post(f"/api/v1/me/applications/{created['id']}/withdraw", headers=citizen.headers)
    assert withdrawn.status_code == 200, withdrawn.json
    world.clock.advance(7 * DAY)
    assert sweep(world) == (0, 0)
    with world.app.app_context():
        assert session().scalar(select(ApplicationCredit.state)) == "lapsed"
    assert dt.date.fromisoformat(created["credit"]["commitment"]["due"]) == dt.date(2026, 12, 1)
