"""The application (办件): who applies (and who acts for them), for what, with what, and every step taken.

An ``Application`` is an immutable value; ``apply_move`` returns the next one together with the ``Event``
that records the step and its actor, so storage appends events and never rewrites history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from .errors import IllegalMove, MoveRefused
from .states import (
    AGENT,
    CORRECTION_REQUESTED,
    DECIDED,
    DELIVERY_METHODS,
    DENIED,
    MOVES,
    OUTCOMES,
    PRE_CHECK,
    SUBMITTED,
    legal_moves,
)

__all__ = ["Actor", "AgentAuthorisation", "Decision", "Pause", "Event", "Application", "new_application",
           "apply_move", "is_decided"]

MAX_TEXT = 2000


@dataclass(frozen=True)
class Actor:
    """Who makes a move: its kind (``states.ACTOR_KINDS``), an opaque id, and a department for staff."""

    kind: str
    id: str
    department: str = ""


@dataclass(frozen=True)
class AgentAuthorisation:
    """The holder's recorded authorisation for an agent (代办): whom, for which item, until when, and how."""

    agent_id: str
    item_code: str
    granted_at: dt.datetime
    expires_at: dt.datetime
    evidence: str

    def covers(self, agent_id: str, item_code: str, at: dt.datetime) -> bool:
        """Whether this authorisation lets ``agent_id`` act on ``item_code`` at ``at``."""
        return (self.agent_id == agent_id and self.item_code == item_code
                and self.granted_at <= at < self.expires_at)


@dataclass(frozen=True)
class Decision:
    """A decision (准予 / 不予) with its reason and legal basis; a denial needs both."""

    outcome: str
    reason: str
    legal_basis: str


@dataclass(frozen=True)
class Pause:
    """A correction period: the promised time limit stands still from ``start`` until ``end`` (None: open)."""

    start: dt.datetime
    end: dt.datetime | None = None


@dataclass(frozen=True)
class Event:
    """One step of the timeline: the move, the states around it, its actor, when, and what was said."""

    seq: int
    move: str
    from_state: str
    to_state: str
    actor: Actor
    at: dt.datetime
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Application:
    """One application for one item, as it stands after its last event."""

    id: str
    item_code: str
    department: str
    applicant_id: str
    form: Mapping[str, Any]
    submitted_at: dt.datetime
    time_limit_days: int | None
    state: str = SUBMITTED
    agent: AgentAuthorisation | None = None
    accepted_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    decision: Decision | None = None
    delivery: str | None = None
    resume_state: str | None = None
    pauses: tuple[Pause, ...] = ()
    events: tuple[Event, ...] = ()


def new_application(*, id: str, item_code: str, department: str, applicant_id: str, form: Mapping[str, Any],
                    at: dt.datetime, time_limit_days: int | None, actor: Actor,
                    agent: AgentAuthorisation | None = None) -> Application:
    """A submitted application and its first event; an agent must hold the holder's authorisation."""
    if actor.kind == AGENT and (agent is None or not agent.covers(actor.id, item_code, at)):
        raise MoveRefused("agent", "agent_not_authorised", "the agent holds no authorisation for this item")
    first = Event(1, "submit", "", SUBMITTED, actor, at)
    return Application(id=id, item_code=item_code, department=department, applicant_id=applicant_id,
                       form=dict(form), submitted_at=at, time_limit_days=time_limit_days, agent=agent,
                       events=(first,))


def _text(value: str, name: str, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise MoveRefused(name, "required", f"the {name} is required")
    if len(value) > MAX_TEXT:
        raise MoveRefused(name, "too_long", f"the {name} must be at most {MAX_TEXT} characters")
    return value


def _entitled(app: Application, actor: Actor, move: str, at: dt.datetime) -> None:
    spec = MOVES[move]
    if actor.kind not in spec.actors:
        raise MoveRefused("actor", "actor_not_entitled", f"a {actor.kind} may not {move}")
    if actor.kind in ("staff", "department") and actor.department != app.department:
        raise MoveRefused("actor", "other_department", "the application belongs to another department")
    if actor.kind == "applicant" and actor.id != app.applicant_id:
        raise MoveRefused("actor", "not_applicant", "only the applicant may do this")
    if actor.kind == AGENT and (app.agent is None or not app.agent.covers(actor.id, app.item_code, at)):
        raise MoveRefused("actor", "agent_not_authorised", "the agent holds no authorisation for this item")


def apply_move(app: Application, move: str, actor: Actor, at: dt.datetime, *, message: str = "",
               outcome: str | None = None, reason: str = "", legal_basis: str = "",
               delivery: str | None = None, form: Mapping[str, Any] | None = None) -> tuple[Application, Event]:
    """Make ``move`` on ``app`` at ``at``: the next application and the event recording it.

    ``IllegalMove`` names the legal moves when the state does not allow it; ``MoveRefused`` names the
    field at fault when it is legal but incomplete (a refusal without reason, a denial without legal basis).
    """
    spec = MOVES.get(move)
    if spec is None or app.state not in spec.sources:
        raise IllegalMove(move, app.state, legal_moves(app.state))
    _entitled(app, actor, move, at)
    message = _text(message, "message", required=move in ("refuse", "request_correction"))
    changes: dict[str, Any] = {}
    details: dict[str, Any] = {}
    target = spec.target
    if move == "request_correction":
        changes["resume_state"] = PRE_CHECK if app.state == SUBMITTED else app.state
        changes["pauses"] = (*app.pauses, Pause(at))
    elif move == "supply_correction":
        target = app.resume_state or PRE_CHECK
        changes["resume_state"] = None
        changes["pauses"] = (*app.pauses[:-1], replace(app.pauses[-1], end=at)) if app.pauses else ()
        if form is not None:
            changes["form"] = {**app.form, **form}
            details["fields"] = sorted(form)
    elif move == "accept":
        changes["accepted_at"] = at
    elif move == "decide":
        decision = _decision(outcome, reason, legal_basis)
        changes.update(decision=decision, decided_at=at)
        details.update(outcome=decision.outcome, reason=decision.reason, legal_basis=decision.legal_basis)
    elif move == "conclude":
        if delivery not in DELIVERY_METHODS:
            raise MoveRefused("delivery", "unknown_code", f"delivery must be one of {', '.join(DELIVERY_METHODS)}")
        changes["delivery"] = delivery
        details["delivery"] = delivery
    elif move == "withdraw" and app.state == CORRECTION_REQUESTED and app.pauses:
        changes["pauses"] = (*app.pauses[:-1], replace(app.pauses[-1], end=at))
    if move == "refuse":
        details["reason"] = message
    assert target is not None
    event = Event(len(app.events) + 1, move, app.state, target, actor, at, message, details)
    return replace(app, state=target, events=(*app.events, event), **changes), event


def _decision(outcome: str | None, reason: str, legal_basis: str) -> Decision:
    if outcome is None or outcome not in OUTCOMES:
        raise MoveRefused("outcome", "unknown_code", f"outcome must be one of {', '.join(OUTCOMES)}")
    denied = outcome == DENIED
    return Decision(outcome, _text(reason, "reason", required=denied),
                    _text(legal_basis, "legal_basis", required=denied))


def is_decided(app: Application) -> bool:
    """Whether a decision has been made (the time limit no longer runs)."""
    return app.decided_at is not None or app.state == DECIDED
