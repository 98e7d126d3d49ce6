"""Status by polling: a department that moves a case without calling back is caught up by the worker's poll,
through the same moves (timeline, messages) as its signed callback; a status applied once changes nothing."""

from __future__ import annotations

from services_catalog.ports import CaseStatus


def _delivered(world, citizen=None) -> tuple[object, str]:
    citizen = citizen or world.citizen(0)
    app_id = world.apply(citizen, world.publish(1)).json["id"]
    assert world.drain() == 1
    return citizen, app_id


def test_a_decision_without_a_callback_comes_in_by_polling(world, police):
    """The police decide in their own system and never call back: the poll brings the decision in."""
    citizen, app_id = _delivered(world)
    assert world.poll() == 0  # the case is in pre-check there too
    police.move_case(CaseStatus(app_id, "decided", message="经审查，不符合申领条件", outcome="denied",
                                reason="居住未满半年", legal_basis="《居住证暂行条例》第九条"))
    assert world.poll() == 2  # accept, then decide: the department's steps it skipped telling us about
    view = world.detail(citizen, app_id)
    assert view["state"] == "decided"
    assert view["decision"] == {"outcome": "denied", "reason": "居住未满半年", "legal_basis": "《居住证暂行条例》第九条"}
    steps = [(e["move"], e["actor"]) for e in view["timeline"]]
    assert steps == [("submit", "applicant"), ("begin_pre_check", "system"), ("accept", "department"),
                     ("decide", "department")]
    assert view["timeline"][-1]["message"] == "经审查，不符合申领条件"
    decided = [m for m in view["messages"] if m["kind"] == "decide"]
    assert len(decided) == 1 and "不予" in decided[0]["body"] and "不符合申领条件" in decided[0]["body"]
    assert world.poll() == 0  # applied once: nothing changes
    assert len(world.detail(citizen, app_id)["timeline"]) == 4


def test_a_correction_is_polled_once_and_not_again_after_the_citizen_supplies_it(world, police):
    """The department still shows its request after the citizen answered: that is no new request."""
    citizen, app_id = _delivered(world)
    police.move_case(CaseStatus(app_id, "correction_requested", message="请补充居住起始日期证明"))
    assert world.poll() == 1
    assert world.detail(citizen, app_id)["state"] == "correction_requested"
    supplied = world.client.post(f"/api/v1/me/applications/{app_id}/correction", headers=citizen.headers,
                                 json={"form": {"since": "2026-01-01"}})
    assert supplied.status_code == 200, supplied.json
    assert world.poll() == 0
    assert world.detail(citizen, app_id)["state"] == "pre_check"


def test_an_unreachable_department_leaves_the_application_alone_until_it_answers(world, police):
    """A failed poll changes nothing and is logged; the next poll after the department returns applies it."""
    citizen, app_id = _delivered(world)
    police.move_case(CaseStatus(app_id, "accepted"))
    police.script.set(fault="5xx")
    assert world.poll() == 0
    assert world.detail(citizen, app_id)["state"] == "pre_check"
    police.script.heal()
    assert world.poll() == 1
    assert world.detail(citizen, app_id)["state"] == "accepted"


def test_back_office_applications_are_not_polled(world, police, civil_item):
    """A department without a system is asked nothing; only delivered, undecided applications are asked about."""
    citizen = world.citizen(0)
    assert world.apply(citizen, civil_item).status_code == 201
    assert world.poll() == 0
    assert "status" not in police.script.operations()
    _delivered(world, citizen)
    world.poll()
    assert police.script.operations().count("status") == 1
