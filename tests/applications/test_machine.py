"""The application's state machine: every legal path, an illegal move naming the legal ones, actors fenced."""

from __future__ import annotations

import datetime as dt

import pytest

from applications import (
    Actor,
    AgentAuthorisation,
    IllegalMove,
    MoveRefused,
    apply_move,
    legal_moves,
    moves_to,
    new_application,
)

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.timezone.utc)
CITIZEN = Actor("applicant", "acc-1")
STAFF = Actor("staff", "staff-1", "police")


def submitted(**kw):
    return new_application(id="app-1", item_code="ITEM", department="police", applicant_id="acc-1",
                           form={"address": "崂山区"}, at=T0, time_limit_days=5, actor=kw.pop("actor", CITIZEN), **kw)


def at(hours):
    return T0 + dt.timedelta(hours=hours)


def test_full_path_with_a_correction_records_every_step_and_actor():
    """submit → pre-check → correction → supplied → accepted → review → approved → concluded."""
    app = submitted()
    app, _ = apply_move(app, "begin_pre_check", Actor("system", "worker"), at(1))
    app, _ = apply_move(app, "request_correction", STAFF, at(2), message="请补充居住地址门牌号")
    assert app.state == "correction_requested" and app.pauses[-1].end is None
    app, event = apply_move(app, "supply_correction", CITIZEN, at(3), form={"address": "崂山区海尔路1号"})
    assert app.state == "pre_check" and app.form["address"] == "崂山区海尔路1号"
    assert event.details == {"fields": ["address"]} and app.pauses[-1].end == at(3)
    app, _ = apply_move(app, "accept", STAFF, at(4))
    app, _ = apply_move(app, "begin_review", STAFF, at(5))
    app, _ = apply_move(app, "decide", STAFF, at(6), outcome="approved", reason="材料齐全")
    app, _ = apply_move(app, "conclude", STAFF, at(7), delivery="e_license")
    assert app.state == "concluded" and app.delivery == "e_license" and app.decision.outcome == "approved"
    assert [e.move for e in app.events] == ["submit", "begin_pre_check", "request_correction", "supply_correction",
                                            "accept", "begin_review", "decide", "conclude"]
    assert [e.seq for e in app.events] == list(range(1, 9))
    assert app.events[2].actor == STAFF and app.events[3].actor == CITIZEN


def test_correction_during_review_returns_to_review():
    """A correction asked for under review goes back to review once supplied."""
    app, _ = apply_move(submitted(), "accept", STAFF, at(1))
    app, _ = apply_move(app, "begin_review", STAFF, at(2))
    app, _ = apply_move(app, "request_correction", STAFF, at(3), message="补充")
    app, _ = apply_move(app, "supply_correction", CITIZEN, at(4))
    assert app.state == "under_review"


def test_illegal_move_names_the_legal_ones():
    """Concluding a submitted application is refused, listing what may be done instead."""
    with pytest.raises(IllegalMove) as caught:
        apply_move(submitted(), "conclude", STAFF, at(1), delivery="express")
    assert caught.value.legal == legal_moves("submitted")
    assert caught.value.legal == ("accept", "begin_pre_check", "refuse", "request_correction", "withdraw")


def test_no_withdrawal_after_the_decision():
    """Withdrawal is possible while undecided only."""
    app, _ = apply_move(submitted(), "accept", STAFF, at(1))
    app, _ = apply_move(app, "withdraw", CITIZEN, at(2))
    assert app.state == "withdrawn"
    decided, _ = apply_move(apply_move(submitted(), "accept", STAFF, at(1))[0], "decide", STAFF, at(2),
                            outcome="approved")
    with pytest.raises(IllegalMove):
        apply_move(decided, "withdraw", CITIZEN, at(3))


@pytest.mark.parametrize("move, kwargs, field", [
    ("refuse", {}, "message"),
    ("request_correction", {}, "message"),
    ("decide", {"outcome": "maybe"}, "outcome"),
    ("decide", {"outcome": "denied", "reason": "不符合条件"}, "legal_basis"),
    ("decide", {"outcome": "denied", "legal_basis": "《居住证暂行条例》第二条"}, "reason"),
])
def test_incomplete_move_names_the_field_at_fault(move, kwargs, field):
    """A refusal needs a reason, a denial a reason and a legal basis; the field at fault is named."""
    app = submitted() if move != "decide" else apply_move(submitted(), "accept", STAFF, at(1))[0]
    with pytest.raises(MoveRefused) as caught:
        apply_move(app, move, STAFF, at(2), **kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize("actor, move, code", [
    (CITIZEN, "accept", "actor_not_entitled"),
    (Actor("staff", "s2", "hrss"), "accept", "other_department"),
    (Actor("applicant", "acc-2"), "withdraw", "not_applicant"),
    (STAFF, "withdraw", "actor_not_entitled"),
])
def test_actor_is_fenced(actor, move, code):
    """Staff act for their own department only; citizens withdraw their own applications only."""
    with pytest.raises(MoveRefused) as caught:
        apply_move(submitted(), move, actor, at(1))
    assert caught.value.code == code


def test_agent_acts_with_the_holders_authorisation_only():
    """An agent (代办) may apply and withdraw within the recorded authorisation's item and period."""
    grant = AgentAuthorisation("agent-9", "ITEM", T0 - dt.timedelta(days=1), T0 + dt.timedelta(days=1), "委托书")
    agent = Actor("agent", "agent-9")
    app = submitted(actor=agent, agent=grant)
    assert app.events[0].actor == agent
    withdrawn, _ = apply_move(app, "withdraw", agent, at(2))
    assert withdrawn.state == "withdrawn"
    with pytest.raises(MoveRefused):
        apply_move(app, "withdraw", agent, T0 + dt.timedelta(days=2))
    with pytest.raises(MoveRefused):
        submitted(actor=agent)
    with pytest.raises(MoveRefused):
        submitted(actor=Actor("agent", "agent-8"), agent=grant)


def test_moves_to_catches_up_with_a_later_state_by_the_fewest_moves():
    """A department's reported state is reached move by move; a state behind, or out of reach, gives None."""
    assert moves_to("pre_check", "decided", "department") == ("accept", "decide")
    assert moves_to("pre_check", "concluded", "department") == ("accept", "decide", "conclude")
    assert moves_to("accepted", "correction_requested", "department") == ("request_correction",)
    assert moves_to("decided", "decided", "department") == ()
    assert moves_to("under_review", "accepted", "department") is None
    assert moves_to("withdrawn", "decided", "department") is None
    assert moves_to("pre_check", "decided", "applicant") is None
