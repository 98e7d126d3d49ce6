"""An item's credit rule applied to a subject's standing: the one place that decides what credit allows.

A rule may allow a commitment (信用承诺 → 容缺受理) for the materials it marks deferrable, and may restrict
subjects on named lists (失信限制). The standing is the platform's answer, or None when it could not be
asked. The outcome is what pre-check shows and submission enforces:

- ``allowed``: apply with every material;
- ``commitment_allowed``: in good standing, the deferrable materials may follow under a signed commitment;
- ``refused``: on a list the item restricts, with the reason, the list and the credit-repair route;
- ``unknown``: the platform could not answer, so nothing may be deferred (a commitment needs a known
  standing) and a restriction is left to the department's check: apply with every material.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from .credit import Listing, Standing

__all__ = ["CreditRule", "StandingState", "Verdict", "RuleOutcome", "evaluate", "credit_rule_to_dict",
           "MAX_COMMITMENT_DAYS"]

#: the longest commitment period an item may give, in working days
MAX_COMMITMENT_DAYS = 60


@dataclass(frozen=True)
class CreditRule:
    """What an item asks of an applicant's credit: deferrable materials and restriction lists (both may be empty).

    ``commitment_days`` is the period, in working days from submission, within which materials deferred under
    a commitment must be delivered (set exactly when some material is deferrable).
    """

    deferrable_materials: tuple[str, ...] = ()
    restricted_lists: tuple[str, ...] = ()
    commitment_days: int = 0

    @property
    def needs_standing(self) -> bool:
        """Whether the rule depends on the standing at all (an empty rule never asks the platform)."""
        return bool(self.deferrable_materials or self.restricted_lists)

    @property
    def lists_to_ask(self) -> tuple[str, ...]:
        """The lists the platform is asked about: every list (empty) when a commitment needs good standing,
        else only the lists the item restricts."""
        return () if self.deferrable_materials else self.restricted_lists


class StandingState(str, enum.Enum):
    """The standing as an outcome reports it."""

    GOOD = "good"
    RESTRICTED = "restricted"
    UNKNOWN = "unknown"  # the platform could not be asked
    NOT_CHECKED = "not_checked"  # the rule does not depend on credit


class Verdict(str, enum.Enum):
    """What the applicant may do."""

    ALLOWED = "allowed"
    COMMITMENT_ALLOWED = "commitment_allowed"
    REFUSED = "refused"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RuleOutcome:
    """The verdict, the standing it rests on, the materials that may be deferred and the listings that refuse.

    ``reason`` is a short code: ``good_standing``, ``no_credit_rule``, ``listed`` (refused),
    ``not_in_good_standing`` (on some other list: no commitment) or ``platform_unavailable``.
    """

    verdict: Verdict
    standing: StandingState
    reason: str
    deferrable: tuple[str, ...] = ()
    refused_by: tuple[Listing, ...] = ()

    @property
    def full_materials(self) -> bool:
        """Whether every material must be supplied with the application."""
        return not self.deferrable

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: only what the rule needs, never the rest of the subject's record."""
        return {"verdict": self.verdict.value, "standing": self.standing.value, "reason": self.reason,
                "full_materials": self.full_materials, "deferrable": list(self.deferrable),
                "refused_by": [listing.to_dict() for listing in self.refused_by]}


def credit_rule_to_dict(rule: CreditRule) -> dict[str, Any]:
    """The JSON-ready form of a rule, as an item's ``credit_rule``."""
    return {"deferrable_materials": list(rule.deferrable_materials), "restricted_lists": list(rule.restricted_lists),
            "commitment_days": rule.commitment_days}


def evaluate(rule: CreditRule, standing: Standing | None) -> RuleOutcome:
    """Apply ``rule`` to ``standing`` (None: the platform could not answer)."""
    if not rule.needs_standing:
        return RuleOutcome(Verdict.ALLOWED, StandingState.NOT_CHECKED, "no_credit_rule")
    if standing is None:
        return RuleOutcome(Verdict.UNKNOWN, StandingState.UNKNOWN, "platform_unavailable")
    state = StandingState.RESTRICTED if standing.restricted else StandingState.GOOD
    refusing = tuple(found for found in standing.listings if found.list_code in rule.restricted_lists)
    if refusing:
        return RuleOutcome(Verdict.REFUSED, state, "listed", refused_by=refusing)
    if standing.restricted:
        return RuleOutcome(Verdict.ALLOWED, state, "not_in_good_standing")
    if rule.deferrable_materials:
        return RuleOutcome(Verdict.COMMITMENT_ALLOWED, state, "good_standing", deferrable=rule.deferrable_materials)
    return RuleOutcome(Verdict.ALLOWED, state, "good_standing")
