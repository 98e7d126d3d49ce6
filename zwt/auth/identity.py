"""Real-name check (实名认证, level 1): name + ID number against the police adapter, with mismatches throttled.

``match`` confirms the name; ``mismatch`` refuses with a 422 naming ``name`` and counts toward a throttle
per (requester, client address) and per address, never per target ID number, so nobody can block an ID
number's owner by guessing wrong names for it; ``not_found`` (the police do not know the number) and
``unavailable`` (the police system failed) leave the account at level 0, to be checked again later through
``POST /api/v1/me/identity-check``.
"""

from __future__ import annotations

import logging
from typing import Any

from services_catalog.errors import DepartmentError
from services_catalog.records import Citizen, IdentityOutcome

from ..container import Services
from ..db import session
from ..errors import TooManyRequests, ValidationFailed
from ..models import Account
from .accounts import read_id_number
from .levels import recompute_level
from .throttle import Throttle

__all__ = ["check_identity", "throttle_keys", "verify_account"]

log = logging.getLogger("zwt.auth")


def throttle_keys(requester: str, address: str) -> list[str]:
    """Throttle keys of one real-name check: the requester at this address, and the address."""
    return [f"idcheck:who:{requester}|{address}", "idcheck:addr:" + address]


def check_identity(name: str, id_number: str, address: str, *, svc: Services, requester: str) -> str:
    """Ask the police adapter; return ``match``, ``not_found`` or ``unavailable``; raise on a mismatch.

    ``requester`` is who asks: an account's subject, or a blind index of the phone a registration proved.
    """
    cfg = svc.config
    throttle = Throttle(svc.shared, window_seconds=cfg.identity_window_seconds)
    keys = throttle_keys(requester, address)
    now = svc.clock.timestamp()
    try:
        throttle.reserve({key: cfg.identity_max_mismatches for key in keys}, now=now)
    except TooManyRequests as exc:
        raise TooManyRequests(exc.params["retry_after"], code="too_many_identity_checks") from None
    outcome = _ask_police(name, id_number, svc=svc)
    if outcome == IdentityOutcome.MISMATCH:
        raise ValidationFailed.field("name", "identity_mismatch")  # the reserved place stays: a mismatch
    throttle.release(keys, now=now)
    if outcome is None:
        return "unavailable"
    return "match" if outcome == IdentityOutcome.MATCH else "not_found"


def _ask_police(name: str, id_number: str, *, svc: Services) -> IdentityOutcome | None:
    """The police adapter's answer, or None when there is no police system or it failed."""
    police = svc.departments.of_kind("police")
    if not police:
        return None
    try:
        return police[0].adapter.check_identity(Citizen(id_number, name), timeout=svc.config.department_timeout_s)
    except DepartmentError as exc:
        log.warning("identity check unavailable", extra={"department": police[0].code, "error": type(exc).__name__})
        return None


def verify_account(account: Account, name: str, address: str, *, svc: Services) -> dict[str, Any]:
    """Check an existing account's real name; on a match store the verified name and time (level 1)."""
    if account.identity_verified_at is not None:
        return {"outcome": "match", "identity_verified": True, "proofing_level": account.proofing_level}
    id_number = read_id_number(account, svc=svc)
    if id_number is None:
        raise ValidationFailed.field("id_number", "required")
    outcome = check_identity(name, id_number, address, svc=svc, requester=account.subject)
    if outcome == "match":
        account.display_name = name
        account.identity_verified_at = svc.clock.now()
        recompute_level(account)
        session().commit()
    return {"outcome": outcome, "identity_verified": account.identity_verified_at is not None,
            "proofing_level": account.proofing_level}
