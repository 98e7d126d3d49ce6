"""Agents (代办) over HTTP: the holder authorises an identity-proofed citizen for one item; the agent applies for
the holder, reads the application and supplies a correction while the authorisation covers it; a revoked,
expired or other-item authorisation is refused; strangers get 404s (audited); no number ever shows."""

from __future__ import annotations

import logging

import pytest

from services_catalog.sandbox.citizens import DEMO_CITIZENS
from zwt.audit import EVENT

from ..contract_helpers import conforms
from .conftest import ID_CARD_MATERIAL
from ..wallet.test_privacy_scan import full_id_numbers, phones

DAY = 86400
GRANTS = "/api/v1/me/agent-authorisations"
FORM = {"address": "市南区", "reason": "family", "since": "2026-01-05"}


class Answers:
    """Every answer a test received, to scan for numbers at the end."""

    def __init__(self, world) -> None:
        self.world, self.bodies = world, []

    def __call__(self, method: str, path: str, headers, **kwargs):
        response = self.world.client.open(path, method=method, headers=headers, **kwargs)
        self.bodies.append(response.get_data(as_text=True))
        return response

    def leaks(self) -> tuple[set[str], set[str]]:
        blob = "\n".join(self.bodies)
        return full_id_numbers(blob), phones(blob)


@pytest.fixture
def http(world) -> Answers:
    """Requests whose answers are kept for the number scan."""
    return Answers(world)


@pytest.fixture
def people(world):
    """The holder (demo citizen 0, stepped up), the agent (demo citizen 1) and a stranger (demo citizen 2)."""
    holder = world.auth.step_up(world.citizen(0))
    return holder, world.citizen(1), world.citizen(2)


@pytest.fixture
def made(civil_item, people, http):
    """Demo citizen 1 applied for the civil item as demo citizen 0's agent: (holder, agent, stranger,
    authorisation id, application id)."""
    holder, agent, stranger = people
    auth_id = _grant(http, holder, civil_item).json["id"]
    return holder, agent, stranger, auth_id, _apply(http, agent, civil_item, auth_id).json["id"]


def _grant(http, holder, impl_code: str, agent_no: int = 1, **extra):
    demo = DEMO_CITIZENS[agent_no].citizen
    body = {"agent_name": demo.name, "agent_id_number": demo.id_number, "impl_code": impl_code, **extra}
    return http("POST", GRANTS, holder.headers, json=body)


def _apply(http, agent, impl_code: str, authorisation_id: str, materials=None):
    """The agent applies, consenting to the holder's ID card for the item's one material unless told otherwise."""
    return http("POST", "/api/v1/me/applications", agent.headers,
                json={"impl_code": impl_code, "form": FORM, "on_behalf_of": authorisation_id,
                      "materials": materials if materials is not None else {"consent": [ID_CARD_MATERIAL]}})


def _masked(index: int) -> str:
    name = DEMO_CITIZENS[index].citizen.name
    return name[0] + "*" * (len(name) - 1)


def _log(world, citizen) -> list[tuple[str, str | None]]:
    items = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    return [(e["event"], e["impl_code"]) for e in reversed(items) if e["event"].startswith("agent_")]


def test_the_agent_applies_for_the_holder_who_sees_it_and_the_agent_supplies_a_correction(
        world, civil_item, civil_staff, people, http):
    """grant → the agent applies → the holder's list names the agent (masked) → correction by the agent."""
    holder, agent, _ = people
    granted = _grant(http, holder, civil_item)
    assert granted.status_code == 201, granted.json
    auth_id = granted.json["id"]
    assert granted.json["agent_name"] == _masked(1) and granted.json["state"] == "active"
    assert granted.json["evidence"] == "holder_consent_in_app" and "agent_id_number" not in granted.json
    received = http("GET", GRANTS, agent.headers).json["items"]
    assert [(a["id"], a["direction"], a["holder_name"], a["state"]) for a in received] == [
        (auth_id, "received", _masked(0), "active")]

    made = _apply(http, agent, civil_item, auth_id)
    assert made.status_code == 201, made.json
    app_id = made.json["id"]
    assert made.json["agent"] == {"authorisation_id": auth_id, "agent_name": _masked(1), "holder_name": _masked(0)}

    mine = http("GET", "/api/v1/me/applications", holder.headers).json["items"]
    assert [(a["id"], a["agent"]["agent_name"]) for a in mine] == [(app_id, _masked(1))]
    assert http("GET", "/api/v1/me/applications", agent.headers).json["items"] == []  # not the agent's own
    seen = http("GET", f"/api/v1/me/applications/{app_id}", holder.headers).json
    assert [(e["move"], e["actor"]) for e in seen["timeline"]] == [("submit", "agent")]
    assert [m["kind"] for m in seen["messages"]] == ["submit"]  # the holder hears of it

    asked = world.staff_move(civil_staff, app_id, move="request_correction", message="请补充邮政编码")
    assert asked.status_code == 200, asked.json
    assert http("GET", f"/api/v1/me/applications/{app_id}", agent.headers).json["state"] == "correction_requested"
    supplied = http("POST", f"/api/v1/me/applications/{app_id}/correction", agent.headers,
                    json={"form": {"postcode": "266100"}})
    assert supplied.status_code == 200, supplied.json
    assert supplied.json["state"] == "pre_check" and supplied.json["form"]["postcode"] == "266100"
    view = http("GET", f"/api/v1/me/applications/{app_id}", holder.headers).json
    assert [(e["move"], e["actor"]) for e in view["timeline"]] == [
        ("submit", "agent"), ("request_correction", "staff"), ("supply_correction", "agent")]
    assert [m["kind"] for m in view["messages"]] == ["submit", "request_correction", "supply_correction"]

    assert _log(world, holder) == [("agent_granted", civil_item), ("agent_applied", civil_item)]
    assert _log(world, agent) == [("agent_granted", civil_item), ("agent_applied", civil_item)]
    assert http.leaks() == (set(), set())
    conforms(granted.json, "AgentAuthorisation")
    conforms(received[0], "AgentAuthorisation")
    conforms(view, "Application")
    conforms(world.client.get("/api/v1/me/access-log", headers=agent.headers).json["items"][0], "AccessLogEntry")


def test_the_agent_consents_to_the_holders_licenses_but_never_uses_the_holders_library(
        world, civil_item, people, http):
    """The pre-check runs first for an agent too: without consent the holder's ID card is not used (422 naming
    the material); with it, the credential is made in the holder's name and logged in the holder's access
    log; library files are the holder's own (422 ``not_for_agent``). The agent sees the material's state only."""
    holder, agent, _ = people
    auth_id = _grant(http, holder, civil_item).json["id"]
    silent = _apply(http, agent, civil_item, auth_id, materials={})
    assert silent.status_code == 422 and silent.json["errors"][0]["field"] == f"materials.{ID_CARD_MATERIAL}"
    assert silent.json["errors"][0]["code"] == "consent_required"
    library = _apply(http, agent, civil_item, auth_id, materials={"uploads": {ID_CARD_MATERIAL: "mat_x"}})
    assert library.status_code == 422
    assert [(e["field"], e["code"]) for e in library.json["errors"]] == [("materials.uploads", "not_for_agent")]
    assert http("GET", "/api/v1/me/applications", holder.headers).json["items"] == []

    made = _apply(http, agent, civil_item, auth_id)
    assert made.status_code == 201, made.json
    held = world.client.get("/api/v1/me/access-log", headers=holder.headers).json["items"]
    assert any(e["event"] == "presented" and e.get("impl_code") == civil_item for e in held)
    acted = world.client.get("/api/v1/me/access-log", headers=agent.headers).json["items"]
    assert not any(e["event"] == "presented" for e in acted)  # the holder's license, the holder's log
    assert http.leaks() == (set(), set())


def test_a_revoked_authorisation_stops_the_agent_at_once(world, civil_item, made, http):
    """Revoked by the holder: no new application, and the one made before is no longer the agent's to see."""
    holder, agent, _, auth_id, app_id = made
    revoked = http("DELETE", f"{GRANTS}/{auth_id}", holder.headers)
    assert revoked.status_code == 200, revoked.json
    assert (revoked.json["state"], revoked.json["revoked_by"]) == ("revoked", "holder")
    assert http("DELETE", f"{GRANTS}/{auth_id}", holder.headers).json["revoked_at"] == revoked.json["revoked_at"]

    again = _apply(http, agent, civil_item, auth_id)
    assert again.status_code == 403 and again.json["code"] == "agent_not_authorised"
    assert again.json["errors"][0]["field"] == "on_behalf_of"
    assert again.json["errors"][0]["code"] == "authorisation_revoked"
    assert http("GET", f"/api/v1/me/applications/{app_id}", agent.headers).status_code == 404
    assert http("POST", f"/api/v1/me/applications/{app_id}/withdraw", agent.headers).status_code == 404
    assert http("GET", f"/api/v1/me/applications/{app_id}", holder.headers).json["state"] == "submitted"
    assert http("POST", f"/api/v1/me/applications/{app_id}/withdraw", holder.headers).status_code == 200
    assert [s for s, _ in _log(world, agent)] == ["agent_granted", "agent_applied", "agent_revoked"]
    assert http.leaks() == (set(), set())


def test_the_agent_may_decline_and_withdraw_while_covered(world, made, http):
    """The agent withdraws what they applied for; then declines, which ends the authorisation for both."""
    holder, agent, _, auth_id, app_id = made
    withdrawn = http("POST", f"/api/v1/me/applications/{app_id}/withdraw", agent.headers)
    assert withdrawn.status_code == 200 and withdrawn.json["state"] == "withdrawn"
    declined = http("DELETE", f"{GRANTS}/{auth_id}", agent.headers)
    assert declined.status_code == 200 and declined.json["revoked_by"] == "agent"
    granted = http("GET", GRANTS, holder.headers).json["items"]
    assert [(a["direction"], a["state"], a["agent_name"]) for a in granted] == [("granted", "revoked", _masked(1))]
    assert [s for s, _ in _log(world, holder)] == ["agent_granted", "agent_applied", "agent_declined"]


def test_an_expired_authorisation_and_one_for_another_item_are_refused(world, civil_item, people, http, clock):
    """Past its validity the authorisation covers nothing; nor does it ever cover another item."""
    holder, agent, _ = people
    other_item = world.publish(4, department="civil_affairs", name="低保申请", result=None)
    auth_id = _grant(http, holder, civil_item, valid_days=2).json["id"]
    assert _grant(http, holder, other_item, valid_days=0).json["errors"][0]["field"] == "valid_days"
    assert _grant(http, holder, other_item, valid_days=366).status_code == 422

    other = _apply(http, agent, other_item, auth_id)
    assert other.status_code == 403 and other.json["errors"][0]["code"] == "other_item"
    app_id = _apply(http, agent, civil_item, auth_id).json["id"]
    twice = _grant(http, holder, civil_item)
    assert twice.status_code == 409 and twice.json["authorisation_id"] == auth_id

    clock.advance(2 * DAY)
    late = _apply(http, agent, civil_item, auth_id)
    assert late.status_code == 403 and late.json["errors"][0]["code"] == "authorisation_expired"
    assert http("GET", f"/api/v1/me/applications/{app_id}", agent.headers).status_code == 404
    assert [a["state"] for a in http("GET", GRANTS, holder.headers).json["items"]] == ["expired"]
    assert _grant(http, holder, civil_item).status_code == 201  # a new one once the old has run out


def test_the_agent_is_named_like_at_a_service_hall_and_nobody_learns_who_has_an_account(
        world, civil_item, people, http, auth):
    """No account, another name, an unproofed account: the same 422; one's own number; a throttle; levels."""
    holder, _, _ = people
    unknown = http("POST", GRANTS, holder.headers, json={
        "agent_name": "孙悦", "agent_id_number": DEMO_CITIZENS[5].citizen.id_number, "impl_code": civil_item})
    wrong_name = http("POST", GRANTS, holder.headers, json={
        "agent_name": "孙悦", "agent_id_number": DEMO_CITIZENS[1].citizen.id_number, "impl_code": civil_item})
    unproofed = auth.register(name="周敏")  # an ID number the police do not know: level 0
    low = http("POST", GRANTS, holder.headers, json={
        "agent_name": "周敏", "agent_id_number": unproofed.id_number, "impl_code": civil_item})
    assert unknown.status_code == wrong_name.status_code == low.status_code == 422
    same = [{k: v for k, v in answer.json.items() if k != "request_id"} for answer in (unknown, wrong_name, low)]
    assert same[0] == same[1] == same[2]
    assert unknown.json["errors"][0] == {"field": "agent_id_number", "code": "no_eligible_agent",
                                         "message": unknown.json["errors"][0]["message"]}
    self_grant = _grant(http, holder, civil_item, agent_no=0)
    assert self_grant.json["errors"][0]["code"] == "agent_is_holder"
    assert _grant(http, holder, "11370200MB0000001X4370200999").json["errors"][0]["field"] == "impl_code"
    bad = http("POST", GRANTS, holder.headers,
               json={"agent_name": "张伟", "agent_id_number": "370202198503120317", "impl_code": civil_item})
    assert bad.json["errors"][0]["field"] == "agent_id_number"

    for _ in range(3):  # five misses in the window, then the throttle answers
        wrong_name = http("POST", GRANTS, holder.headers, json={
            "agent_name": "孙悦", "agent_id_number": DEMO_CITIZENS[1].citizen.id_number, "impl_code": civil_item})
    assert wrong_name.status_code == 429 and wrong_name.json["code"] == "too_many_identity_checks"

    low_holder = world.client.post(GRANTS, headers=auth.step_up(unproofed).headers, json={
        "agent_name": DEMO_CITIZENS[1].citizen.name, "agent_id_number": DEMO_CITIZENS[1].citizen.id_number,
        "impl_code": civil_item})
    assert low_holder.status_code == 403 and low_holder.json["code"] == "proofing_level_too_low"
    password_only = auth.login(holder.phone, holder.password).json["access_token"]
    unproven = http("POST", GRANTS, {"Authorization": f"Bearer {password_only}"}, json={})
    assert unproven.status_code == 401 and unproven.json["code"] == "step_up_required"
    assert http.leaks() == (set(), set())


class _Audit(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "event", None) == EVENT:
            self.kinds.append(getattr(record, "object", ""))


def test_a_stranger_cannot_read_revoke_or_use_an_authorisation(world, civil_item, made, http):
    """Another citizen's authorisation and the application made under it answer 404, audited."""
    _, agent, stranger, auth_id, app_id = made
    audit = _Audit()
    logging.getLogger("zwt.audit").addHandler(audit)
    try:
        assert http("DELETE", f"{GRANTS}/{auth_id}", stranger.headers).status_code == 404
        assert http("GET", f"/api/v1/me/applications/{app_id}", stranger.headers).status_code == 404
        used = _apply(http, stranger, civil_item, auth_id)
        assert used.status_code == 422 and used.json["errors"][0]["code"] == "unknown_authorisation"
    finally:
        logging.getLogger("zwt.audit").removeHandler(audit)
    assert audit.kinds == ["agent_authorisation", "application", "agent_authorisation"]
    assert http("GET", GRANTS, stranger.headers).json["items"] == []
    assert http("GET", GRANTS, agent.headers).json["items"][0]["state"] == "active"
