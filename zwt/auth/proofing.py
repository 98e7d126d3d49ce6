"""Raising an account's proofing level after sign-up: proving its phone (SMS + carrier), a face check, a step-up."""

from __future__ import annotations

import logging
from typing import Any

from services_catalog.errors import DepartmentError
from services_catalog.proofing import CarrierOutcome, LivenessOutcome

from ..container import Services
from ..db import session
from ..errors import ServiceUnavailable, ValidationFailed
from ..models import Account
from .accounts import read_id_number
from .challenges import redeem
from .levels import recompute_level
from .tokens import issue_step_up_token

__all__ = ["carrier_check", "face_check", "announce_level", "prove_phone", "prove_face", "step_up"]

log = logging.getLogger("zwt.auth")


def carrier_check(name: str, id_number: str, phone: str, *, svc: Services) -> str:
    """The carrier's three-factor answer: ``match``, ``mismatch``, ``not_found``, or ``unavailable`` on failure."""
    try:
        outcome = svc.proofing.carrier.check(name, id_number, phone, timeout=svc.config.proofing_timeout_s)
    except DepartmentError as exc:
        log.warning("carrier check unavailable", extra={"error": type(exc).__name__})
        return "unavailable"
    return "match" if outcome == CarrierOutcome.MATCH else outcome.value


def face_check(name: str, id_number: str, evidence: str, *, svc: Services) -> bool:
    """Whether the liveness evidence passes for this person; 503 ``proofing_unavailable`` when the check fails."""
    try:
        outcome = svc.proofing.liveness.check(name, id_number, evidence, timeout=svc.config.proofing_timeout_s)
    except DepartmentError as exc:
        log.warning("liveness check unavailable", extra={"error": type(exc).__name__})
        raise ServiceUnavailable("proofing_unavailable") from None
    return outcome == LivenessOutcome.PASS


def announce_level(account: Account, before: int, *, svc: Services) -> None:
    """After a commit: tell the subscribers (the wallet releases licenses) when the level went up."""
    if account.proofing_level > before:
        for hook in svc.hooks.level_raised:
            hook(account, svc)


def _id_number(account: Account, svc: Services) -> str:
    id_number = read_id_number(account, svc=svc)
    if id_number is None:
        raise ValidationFailed.field("id_number", "required")
    return id_number


def prove_phone(account: Account, challenge_id: str, code: str, *, svc: Services) -> dict[str, Any]:
    """The account's phone answered a code; with a confirmed real name, ask the carrier for level 2."""
    redeem(challenge_id, code, "phone", svc=svc, account=account)
    before = account.proofing_level
    now = svc.clock.now()
    account.phone_verified_at = now
    outcome = "skipped"  # the carrier is asked about a name the police confirmed, never an unconfirmed one
    if account.identity_verified_at is not None and account.phone:
        outcome = carrier_check(account.display_name, _id_number(account, svc), account.phone, svc=svc)
        if outcome == "match":
            account.carrier_verified_at = now
    recompute_level(account)
    session().commit()
    announce_level(account, before, svc=svc)
    return {"carrier_check": outcome, "proofing_level": account.proofing_level}


def prove_face(account: Account, evidence: str, *, svc: Services) -> dict[str, Any]:
    """A face check for the account's own name and ID number; a pass is level 3."""
    if not face_check(account.display_name, _id_number(account, svc), evidence, svc=svc):
        raise ValidationFailed.field("evidence", "liveness_failed")
    before = account.proofing_level
    account.liveness_verified_at = svc.clock.now()
    recompute_level(account)
    session().commit()
    announce_level(account, before, svc=svc)
    return {"proofing_level": account.proofing_level}


def step_up(claims: dict[str, Any], account: Account, data: dict[str, Any], *, svc: Services) -> dict[str, Any]:
    """Trade a fresh login plus an SMS code (or a face check) for an access token that may reveal and bind."""
    if data.get("evidence"):
        prove_face(account, data["evidence"], svc=svc)
        amr = ["pwd", "face"]
    else:
        redeem(data["challenge_id"], data["code"], "step_up", svc=svc, account=account)
        session().commit()
        amr = ["pwd", "sms"]
    return issue_step_up_token(claims, account, amr, svc=svc) | {"amr": amr}
