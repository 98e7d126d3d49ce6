"""The application's states and moves (办件流程): the one table of what may follow what, and who may do it.

submitted → pre_check → accepted (受理) → under_review → decided (准予 / 不予) → concluded (办结);
not_accepted (不予受理) from submitted or pre_check; correction_requested (补正) from submitted, pre_check,
accepted or under_review, and back to where it came from once supplied; withdrawn (撤回) while undecided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

__all__ = [
    "SUBMITTED", "PRE_CHECK", "ACCEPTED", "NOT_ACCEPTED", "CORRECTION_REQUESTED", "UNDER_REVIEW", "DECIDED",
    "CONCLUDED", "WITHDRAWN", "STATES", "FINAL_STATES", "CLOCK_RUNNING_STATES",
    "APPLICANT", "AGENT", "STAFF", "DEPARTMENT", "SYSTEM", "ACTOR_KINDS", "CITIZEN_KINDS", "DEPARTMENT_KINDS",
    "Move", "MOVES", "legal_moves", "moves_to",
    "APPROVED", "DENIED", "OUTCOMES", "DELIVERY_METHODS",
]

SUBMITTED, PRE_CHECK, ACCEPTED, NOT_ACCEPTED = "submitted", "pre_check", "accepted", "not_accepted"
CORRECTION_REQUESTED, UNDER_REVIEW, DECIDED = "correction_requested", "under_review", "decided"
CONCLUDED, WITHDRAWN = "concluded", "withdrawn"

# zh labels for timelines and messages; the state codes are the API's words.
STATES: Mapping[str, str] = {
    SUBMITTED: "已提交", PRE_CHECK: "预审中", ACCEPTED: "已受理", NOT_ACCEPTED: "不予受理",
    CORRECTION_REQUESTED: "待补正", UNDER_REVIEW: "审查中", DECIDED: "已决定", CONCLUDED: "已办结",
    WITHDRAWN: "已撤回",
}
FINAL_STATES = frozenset({NOT_ACCEPTED, CONCLUDED, WITHDRAWN})
# The promised time limit runs from acceptance until the decision, except while a correction is pending.
CLOCK_RUNNING_STATES = frozenset({ACCEPTED, UNDER_REVIEW})

APPLICANT, AGENT, STAFF, DEPARTMENT, SYSTEM = "applicant", "agent", "staff", "department", "system"
ACTOR_KINDS = frozenset({APPLICANT, AGENT, STAFF, DEPARTMENT, SYSTEM})
CITIZEN_KINDS = frozenset({APPLICANT, AGENT})
# Back-office staff and the department's own system (through its adapter or signed callback).
DEPARTMENT_KINDS = frozenset({STAFF, DEPARTMENT})

APPROVED, DENIED = "approved", "denied"
OUTCOMES: Mapping[str, str] = {APPROVED: "准予", DENIED: "不予"}
DELIVERY_METHODS: Mapping[str, str] = {
    "e_license": "电子证照", "express": "邮寄送达", "window": "窗口领取", "online": "网上送达",
}


@dataclass(frozen=True)
class Move:
    """One move: from which states, to which (None: back where the correction came from), by whom."""

    name: str
    label: str
    sources: frozenset[str]
    target: str | None
    actors: frozenset[str]


MOVES: Mapping[str, Move] = {m.name: m for m in (
    Move("begin_pre_check", "开始预审", frozenset({SUBMITTED}), PRE_CHECK, DEPARTMENT_KINDS | {SYSTEM}),
    Move("accept", "受理", frozenset({SUBMITTED, PRE_CHECK}), ACCEPTED, DEPARTMENT_KINDS),
    Move("refuse", "不予受理", frozenset({SUBMITTED, PRE_CHECK}), NOT_ACCEPTED, DEPARTMENT_KINDS),
    Move("request_correction", "要求补正", frozenset({SUBMITTED, PRE_CHECK, ACCEPTED, UNDER_REVIEW}),
         CORRECTION_REQUESTED, DEPARTMENT_KINDS),
    Move("supply_correction", "补正材料", frozenset({CORRECTION_REQUESTED}), None, CITIZEN_KINDS),
    Move("begin_review", "开始审查", frozenset({ACCEPTED}), UNDER_REVIEW, DEPARTMENT_KINDS),
    Move("decide", "作出决定", frozenset({ACCEPTED, UNDER_REVIEW}), DECIDED, DEPARTMENT_KINDS),
    Move("conclude", "办结", frozenset({DECIDED}), CONCLUDED, DEPARTMENT_KINDS),
    Move("withdraw", "撤回", frozenset({SUBMITTED, PRE_CHECK, CORRECTION_REQUESTED, ACCEPTED, UNDER_REVIEW}),
         WITHDRAWN, CITIZEN_KINDS),
)}


def legal_moves(state: str, actor_kind: str | None = None) -> tuple[str, ...]:
    """The moves allowed from ``state`` (for ``actor_kind`` when given), sorted."""
    return tuple(sorted(m.name for m in MOVES.values()
                        if state in m.sources and (actor_kind is None or actor_kind in m.actors)))


def moves_to(state: str, target: str, actor_kind: str) -> tuple[str, ...] | None:
    """The fewest moves ``actor_kind`` makes to go from ``state`` to ``target``: empty when it is there already,
    None when it cannot get there (``target`` lies behind, or the application went another way). A department
    that reports a later state than the platform knows is caught up with this, move by move."""
    paths: dict[str, tuple[str, ...]] = {state: ()}
    frontier = [state]
    while frontier and target not in paths:
        step = []
        for here in frontier:
            for name in legal_moves(here, actor_kind):
                after = MOVES[name].target
                if after is not None and after not in paths:
                    paths[after] = (*paths[here], name)
                    step.append(after)
        frontier = step
    return paths.get(target)
