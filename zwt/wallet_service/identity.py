"""Real-name check (实名认证): name + ID number against the police adapter, with mismatches throttled.

Product behaviour: ``match`` verifies the account (and releases licenses); ``mismatch`` refuses with a
422 naming ``name`` and counts toward a throttle per account, per ID number and per client address,
so guessing a name for someone's ID number stops after a few tries (429); ``not_found`` (the police
do not know the number) and ``unavailable`` (the police system failed) leave the account unverified,
to be checked again later through ``POST /api/v1/me/identity-check``.
"""

from __future__ import annotations

import logging
from typing import Any

from services_catalog.errors import DepartmentError
from services_catalog.records import Citizen, IdentityOutcome

from ..auth.service import read_id_number
from ..auth.throttle import Throttle
from ..container import Services
from ..db import session
from ..errors import TooManyRequests, ValidationFailed
from ..models import Account

__all__ = ["check_identity", "throttle_keys", "verify_account"]

log = logging.getLogger("zwt.wallet")


def throttle_keys(id_number: str, address: str, *, svc: Services, subject: str | None = None) -> list[str]:
    """Throttle keys of one real-name check: the ID number, the address and (if any) the account."""
    keys = ["idcheck:id:" + svc.pii.blind_index(id_number, purpose="idcheck"), "idcheck:addr:" + address]
    if subject:
        keys.append("idcheck:acct:" + subject)
    return keys


def check_identity(name: str, id_number: str, address: str, *, svc: Services, subject: str | None = None) -> str:
    """Ask the police adapter; return ``match``, ``not_found`` or ``unavailable``; raise on a mismatch."""
    cfg = svc.config
    throttle = Throttle(svc.shared, window_seconds=cfg.identity_window_seconds)
    keys = throttle_keys(id_number, address, svc=svc, subject=subject)
    now = svc.clock.timestamp()
    try:
        throttle.check({key: cfg.identity_max_mismatches for key in keys}, now=now)
    except TooManyRequests as exc:
        raise TooManyRequests(exc.params["retry_after"], code="too_many_identity_checks") from None
    police = svc.departments.of_kind("police")
    if not police:
        return "unavailable"
    try:
        outcome = police[0].adapter.check_identity(Citizen(id_number, name), timeout=cfg.department_timeout_s)
    except DepartmentError as exc:
        log.warning("identity check unavailable", extra={"department": police[0].code, "error": type(exc).__name__})
        return "unavailable"
    if outcome == IdentityOutcome.MISMATCH:
        throttle.failed(keys, now=now)
        raise ValidationFailed.field("name", "identity_mismatch")
    return "match" if outcome == IdentityOutcome.MATCH else "not_found"


def verify_account(account: Account, name: str, address: str, *, svc: Services) -> dict[str, Any]:
    """Check an existing account's real name; on a match store the verified name and time."""
    if account.identity_verified_at is not None:
        return {"outcome": "match", "identity_verified": True}
    id_number = read_id_number(account, svc=svc)
    if id_number is None:
        raise ValidationFailed.field("id_number", "required")
    outcome = check_identity(name, id_number, address, svc=svc, subject=account.subject)
    if outcome == "match":
        account.display_name = name
        account.identity_verified_at = svc.clock.now()
        session().commit()
    return {"outcome": outcome, "identity_verified": account.identity_verified_at is not None}
