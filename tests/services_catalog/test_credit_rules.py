"""An item's credit rule applied to a standing: the outcome table pre-check shows and submission enforces."""

from __future__ import annotations

import datetime as dt

import pytest

from services_catalog.credit import Listing, RepairRoute, Standing
from services_catalog.credit_rules import CreditRule, StandingState, Verdict, evaluate

DEFERRABLE = ("社保缴费证明", "租赁合同")
COURT, TAX = "court_dishonest_debtors", "tax_major_violations"


def listed(*codes: str) -> Standing:
    """A standing on the lists ``codes``."""
    repair = RepairRoute("履行义务后申请删除", "青岛市中级人民法院", "信用中国（山东青岛）")
    return Standing(tuple(Listing(code, code, "拒不履行", dt.date(2025, 6, 18), "法院", repair) for code in codes))


GOOD, UNKNOWN = Standing(), None
NONE = CreditRule()
COMMITMENT = CreditRule(deferrable_materials=DEFERRABLE)
RESTRICT = CreditRule(restricted_lists=(COURT,))
BOTH = CreditRule(deferrable_materials=DEFERRABLE, restricted_lists=(COURT,))


@pytest.mark.parametrize("rule, standing, verdict, state, reason, deferrable, refused_by", [
    (NONE, GOOD, Verdict.ALLOWED, StandingState.NOT_CHECKED, "no_credit_rule", (), ()),
    (NONE, UNKNOWN, Verdict.ALLOWED, StandingState.NOT_CHECKED, "no_credit_rule", (), ()),
    (NONE, listed(COURT), Verdict.ALLOWED, StandingState.NOT_CHECKED, "no_credit_rule", (), ()),
    (COMMITMENT, GOOD, Verdict.COMMITMENT_ALLOWED, StandingState.GOOD, "good_standing", DEFERRABLE, ()),
    (COMMITMENT, listed(TAX), Verdict.ALLOWED, StandingState.RESTRICTED, "not_in_good_standing", (), ()),
    (COMMITMENT, UNKNOWN, Verdict.UNKNOWN, StandingState.UNKNOWN, "platform_unavailable", (), ()),
    (RESTRICT, GOOD, Verdict.ALLOWED, StandingState.GOOD, "good_standing", (), ()),
    (RESTRICT, listed(COURT), Verdict.REFUSED, StandingState.RESTRICTED, "listed", (), (COURT,)),
    (RESTRICT, listed(TAX), Verdict.ALLOWED, StandingState.RESTRICTED, "not_in_good_standing", (), ()),
    (RESTRICT, UNKNOWN, Verdict.UNKNOWN, StandingState.UNKNOWN, "platform_unavailable", (), ()),
    (BOTH, GOOD, Verdict.COMMITMENT_ALLOWED, StandingState.GOOD, "good_standing", DEFERRABLE, ()),
    (BOTH, listed(COURT, TAX), Verdict.REFUSED, StandingState.RESTRICTED, "listed", (), (COURT,)),
    (BOTH, listed(TAX), Verdict.ALLOWED, StandingState.RESTRICTED, "not_in_good_standing", (), ()),
    (BOTH, UNKNOWN, Verdict.UNKNOWN, StandingState.UNKNOWN, "platform_unavailable", (), ()),
])
def test_the_rule_table(rule, standing, verdict, state, reason, deferrable, refused_by):
    """Each rule and standing gives its verdict; only good standing defers, only a named list refuses."""
    outcome = evaluate(rule, standing)
    assert (outcome.verdict, outcome.standing, outcome.reason) == (verdict, state, reason)
    assert outcome.deferrable == deferrable and outcome.full_materials == (not deferrable)
    assert tuple(found.list_code for found in outcome.refused_by) == refused_by


def test_a_refusal_carries_the_reason_the_list_and_the_repair_route():
    """What the applicant is told: why, on which list, and how to repair credit (信用修复)."""
    shown = evaluate(RESTRICT, listed(COURT, TAX)).to_dict()
    assert shown["verdict"] == "refused" and shown["full_materials"] is True
    assert [(r["list"], r["reason"], r["repair"]["apply_at"]) for r in shown["refused_by"]] == [
        (COURT, "拒不履行", "信用中国（山东青岛）")]


@pytest.mark.parametrize("rule, asked", [(NONE, ()), (COMMITMENT, ()), (RESTRICT, (COURT,)), (BOTH, ())])
def test_the_platform_is_asked_about_every_list_only_when_a_commitment_needs_good_standing(rule, asked):
    """A restriction alone asks about its own lists; a commitment needs the whole standing."""
    assert rule.lists_to_ask == asked and rule.needs_standing == (rule != NONE)
