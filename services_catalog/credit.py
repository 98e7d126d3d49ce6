"""Public credit (公共信用): a subject's record, their standing on restriction lists, and broken commitments.

What the city's public credit platform holds about a person, in the platform's terms but without its wire
format (``services_catalog.adapters.credit`` reads that). The rule evaluation that departments rely on is
``services_catalog.credit_rules``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["CreditCategory", "CreditEntry", "CreditRecord", "RepairRoute", "Listing", "Standing",
           "BrokenCommitment", "RESTRICTION_LISTS"]

#: the restriction lists (失信限制名单) the platform keeps, by the code items name them with
RESTRICTION_LISTS: Mapping[str, str] = {
    "court_dishonest_debtors": "失信被执行人名单",
    "tax_major_violations": "重大税收违法失信主体名单",
    "safety_production": "安全生产严重失信主体名单",
    "social_insurance_fraud": "社会保险领域严重失信主体名单",
}


class CreditCategory(str, enum.Enum):
    """The kinds of entry a credit record holds."""

    PENALTY = "penalty"  # 行政处罚
    QUALIFICATION = "qualification"  # 资格认证
    AWARD = "award"  # 行政奖励
    BROKEN_COMMITMENT = "broken_commitment"  # 信用承诺未履行


@dataclass(frozen=True)
class CreditEntry:
    """One entry: what it is, which authority recorded it (``source``), when, and its status now.

    ``status`` is the platform's, per category: a penalty is ``in_force``, ``fulfilled`` or ``repaired``
    (信用修复 done); a qualification ``valid``, ``expired`` or ``revoked``; an award ``valid`` or
    ``withdrawn``; a broken commitment ``recorded`` or ``repaired``. ``reference`` is the decision or
    certificate number.
    """

    category: CreditCategory
    title: str
    source: str
    date: dt.date
    status: str
    reference: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the web edge masks what must be masked)."""
        return {"category": self.category.value, "title": self.title, "source": self.source,
                "date": self.date.isoformat(), "status": self.status, "reference": self.reference}


@dataclass(frozen=True)
class CreditRecord:
    """A subject's record on the platform, newest entry first; empty for someone it holds nothing about."""

    entries: tuple[CreditEntry, ...] = ()

    def of(self, category: CreditCategory) -> tuple[CreditEntry, ...]:
        """The entries of one category."""
        return tuple(e for e in self.entries if e.category is category)


@dataclass(frozen=True)
class RepairRoute:
    """How to repair credit (信用修复) and leave a list: what to do, at which authority, where to apply."""

    steps: str
    authority: str
    apply_at: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"steps": self.steps, "authority": self.authority, "apply_at": self.apply_at}


@dataclass(frozen=True)
class Listing:
    """A subject's place on a restriction list: which list, why, since when, who listed them, how to repair."""

    list_code: str
    list_name: str
    reason: str
    since: dt.date
    authority: str
    repair: RepairRoute

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"list": self.list_code, "list_name": self.list_name, "reason": self.reason,
                "since": self.since.isoformat(), "authority": self.authority, "repair": self.repair.to_dict()}


@dataclass(frozen=True)
class Standing:
    """A subject's standing as the platform reported it: the lists they are on (none: good standing)."""

    listings: tuple[Listing, ...] = ()

    @property
    def restricted(self) -> bool:
        """Whether the subject is on any list asked about."""
        return bool(self.listings)


@dataclass(frozen=True)
class BrokenCommitment:
    """A commitment (信用承诺) not honoured: materials promised for an item by a date and not delivered.

    ``commitment_id`` is ours and makes the report idempotent: reporting it twice records it once.
    """

    commitment_id: str
    impl_code: str
    item_name: str
    materials: tuple[str, ...]
    due: dt.date
    authority: str
