"""Credit look-ups about one citizen, each written in their access log: their own record, the standing an item's
rule needs, and a broken commitment reported.

The credit platform is called through the catalog's aggregator as the source ``credit``: a deadline, one
retry of a timeout or outage, a circuit breaker and a bulkhead, like any department. Nothing is cached: a
standing must be the platform's current one (a repaired subject leaves a list at once), and every look-up
is one the citizen can see.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from services_catalog.credit import BrokenCommitment, CreditCategory, CreditEntry
from services_catalog.credit_rules import CreditRule, RuleOutcome, evaluate
from services_catalog.records import Citizen
from services_catalog.results import SourceResult

from ..auth.accounts import read_id_number
from ..auth.levels import require_licenses_released
from ..container import Services
from ..db import session
from ..errors import Forbidden, ServiceUnavailable
from ..masking import looks_like_resident_id, mask, mask_serial
from ..models import Account
from ..wallet_service import access_log

__all__ = ["SOURCE", "CreditUnavailable", "credit_record_for", "credit_standing_for", "record_broken_commitment"]

T = TypeVar("T")
#: the aggregator's name for the platform (its breaker and bulkhead), and the ``source`` of its failures
SOURCE = "credit"
#: the answer's sections, one per category of entry
_SECTIONS = {"penalties": CreditCategory.PENALTY, "qualifications": CreditCategory.QUALIFICATION,
             "awards": CreditCategory.AWARD, "broken_commitments": CreditCategory.BROKEN_COMMITMENT}


class CreditUnavailable(ServiceUnavailable):
    """503: the credit platform did not answer in time, failed, or its breaker is open; retry later."""

    code = "credit_platform_unavailable"

    def __init__(self, reason: str) -> None:
        super().__init__(headers={"Retry-After": "30"}, extra={"reason": reason})


def _ask(svc: Services, call: Callable[[float], T]) -> SourceResult[T]:
    """One call to the platform through the aggregator (``call`` gets the seconds it has left)."""
    return svc.catalog.aggregator.gather({SOURCE: call}).sources[SOURCE]


def _subject(svc: Services, account: Account) -> Citizen:
    """The citizen as the platform knows them: ID number and name (403 without an ID number on record)."""
    id_number = read_id_number(account, svc=svc)
    if id_number is None:
        raise Forbidden()
    return Citizen(id_number=id_number, name=account.display_name)


def _entry_view(entry: CreditEntry) -> dict[str, Any]:
    """An entry as the citizen sees it: a certificate number masked like any; a decision number is public."""
    shown = entry.to_dict()
    if entry.category is CreditCategory.QUALIFICATION:
        shown["reference"] = mask_serial(entry.reference)
    elif looks_like_resident_id(entry.reference):
        shown["reference"] = mask("id_number", entry.reference)
    return shown


def credit_record_for(svc: Services, account: Account) -> dict[str, Any]:
    """The citizen's own credit record and restriction lists (403 below the level that releases licenses, 503
    when the platform cannot answer); the look-up is logged, answered or not."""
    require_licenses_released(account, svc.config)
    subject, platform = _subject(svc, account), svc.credit

    def call(timeout: float) -> Any:
        return platform.credit_record(subject, timeout=timeout), platform.standing(subject, (), timeout=timeout)

    result = _ask(svc, call)
    sess = session()
    access_log.record(sess, at=svc.clock.now(), event="credit_lookup", source="app", account_id=account.id,
                      actor=account, verdict="ok" if result.has_data else "unavailable",
                      detail={"reason": result.reason} if result.reason else {})
    sess.commit()
    if not result.has_data or result.value is None:
        raise CreditUnavailable(result.reason or "error")
    record, standing = result.value
    return {
        "standing": "restricted" if standing.restricted else "good",
        "restrictions": [listing.to_dict() for listing in standing.listings],
        **{key: [_entry_view(e) for e in record.of(category)] for key, category in _SECTIONS.items()},
        "source": result.to_dict(),
    }


def credit_standing_for(account: Account, item_rule: CreditRule, *, svc: Services,
                        impl_code: str | None = None) -> RuleOutcome:
    """Only the standing and outcome ``item_rule`` needs, for a department (never the record itself).

    An empty rule asks nothing. Otherwise the platform is asked about the rule's lists; when it cannot
    answer the outcome is ``unknown`` (full materials). The look-up is logged in the caller's transaction
    (the application's), which commits it.
    """
    if not item_rule.needs_standing:
        return evaluate(item_rule, None)
    subject, platform = _subject(svc, account), svc.credit
    result = _ask(svc, lambda timeout: platform.standing(subject, item_rule.lists_to_ask, timeout=timeout))
    outcome = evaluate(item_rule, result.value if result.has_data else None)
    access_log.record(session(), at=svc.clock.now(), event="credit_checked", source="platform",
                      account_id=account.id, impl_code=impl_code, verdict=outcome.verdict.value,
                      detail={"standing": outcome.standing.value, "lists": list(item_rule.lists_to_ask)})
    return outcome


def record_broken_commitment(account: Account, commitment: BrokenCommitment, *, svc: Services) -> str:
    """Report a commitment not honoured to the platform and return its entry number (idempotent by the
    commitment's id); 503 ``CreditUnavailable`` when the platform cannot take it, for the caller to retry.
    Logged in the caller's transaction."""
    subject, platform = _subject(svc, account), svc.credit
    result = _ask(svc, lambda timeout: platform.record_broken_commitment(subject, commitment, timeout=timeout))
    if not result.has_data or result.value is None:
        raise CreditUnavailable(result.reason or "error")
    access_log.record(session(), at=svc.clock.now(), event="commitment_broken", source="platform",
                      account_id=account.id, impl_code=commitment.impl_code, verdict="recorded",
                      detail={"commitment_id": commitment.commitment_id, "record_no": result.value})
    return result.value
