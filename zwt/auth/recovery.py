"""Passwords: change (ends every other session), reset by an SMS code to the account's phone, recovery by face.

Each tells the account's phone and ends sessions, so a thief who held a token or the old password is out.
A reset answers the same for an unknown account; the code goes only to the phone on record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from wallet.identifiers import normalize_resident_id

from ..container import Services
from ..db import session
from ..errors import ValidationFailed
from ..models import Account, SmsChallenge
from .accounts import find_account, find_by_id_number, read_id_number
from .challenges import challenge_view, open_challenge, redeem
from .levels import recompute_level
from .notify import notify
from .passwords import hash_password, password_problem, verify_password
from .proofing import announce_level, face_check
from .sessions import end_sessions
from .throttle import LoginThrottle, Throttle

__all__ = ["change_password", "start_reset", "confirm_reset", "recover_by_face"]


def _check_password(account: Account, password: str, field: str, *, svc: Services) -> None:
    """422 naming ``field`` when the new password breaks the policy (it may not hold the phone or ID number)."""
    problem = password_problem(password, forbidden=(account.phone or "", read_id_number(account, svc=svc) or ""))
    if problem:
        raise ValidationFailed.field(field, problem)


def _store_password(account: Account, password: str, *, svc: Services) -> None:
    account.password_hash = hash_password(password, svc.config.password_hash_method)


def change_password(account: Account, claims: dict[str, Any], data: dict[str, Any], *, svc: Services,
                    address: str) -> dict[str, Any]:
    """Change the password after checking the current one; every other session ends."""
    throttle = LoginThrottle(svc.shared, svc.config)
    now = svc.clock.timestamp()
    throttle.begin(account.subject, address, now=now)
    if not verify_password(account.password_hash, data["current_password"]):
        throttle.failed(account.subject, address, now=now)
        raise ValidationFailed.field("current_password", "wrong_password")
    throttle.succeeded(account.subject, address, now=now)
    _check_password(account, data["new_password"], "new_password", svc=svc)
    ended = end_sessions(account, "password_changed", svc=svc, keep=claims.get("fam"))
    _store_password(account, data["new_password"], svc=svc)
    session().commit()
    notify(account, "password_changed", svc=svc)
    return {"sessions_ended": ended}


def start_reset(username: str, *, svc: Services, address: str) -> dict[str, Any]:
    """Send a reset code to the phone on record; the answer is the same when there is no such account."""
    account = find_account(username, svc=svc)
    if account is not None and account.status == "active" and account.phone:
        row = open_challenge("reset", account.phone, svc=svc, address=address, account=account)
    else:  # a challenge no code redeems, sent nowhere, so the answer has the same shape
        row = open_challenge("reset", "", svc=svc, address=address, deliver=False,
                             count_as="unknown:" + username.strip().upper())
    session().commit()
    return challenge_view(row, svc=svc)


def confirm_reset(data: dict[str, Any], *, svc: Services) -> None:
    """Set the new password with the code; every session ends and the phone is told."""
    pending = session().scalar(select(SmsChallenge).where(SmsChallenge.public_id == data["challenge_id"],
                                                          SmsChallenge.purpose == "reset"))
    account = session().get(Account, pending.account_id) if pending and pending.account_id is not None else None
    if account is not None:
        _check_password(account, data["new_password"], "new_password", svc=svc)  # before the code is spent
    redeem(data["challenge_id"], data["code"], "reset", svc=svc)
    session().commit()
    if account is None or account.status != "active":
        raise ValidationFailed.field("challenge_id", "expired")
    end_sessions(account, "password_reset", svc=svc)
    _store_password(account, data["new_password"], svc=svc)
    session().commit()
    notify(account, "password_reset", svc=svc)


def recover_by_face(data: dict[str, Any], *, svc: Services, address: str) -> None:
    """A lost phone: a face check for the ID number's holder sets a new password (and level 3)."""
    throttle = Throttle(svc.shared, window_seconds=svc.config.identity_window_seconds)
    key = "recover:addr:" + address
    now = svc.clock.timestamp()
    throttle.reserve({key: svc.config.identity_max_mismatches}, now=now)
    id_number = normalize_resident_id(data["id_number"])
    if not face_check(data["name"], id_number, data["evidence"], svc=svc):
        raise ValidationFailed.field("evidence", "liveness_failed")  # the reserved place stays: a failure
    throttle.release([key], now=now)
    account = find_by_id_number(id_number, svc=svc)  # the face passed: whoever asks is the ID number's holder
    if account is None or account.status != "active":
        raise ValidationFailed.field("id_number", "no_account")
    _check_password(account, data["new_password"], "new_password", svc=svc)
    end_sessions(account, "recovered", svc=svc)
    _store_password(account, data["new_password"], svc=svc)
    before = account.proofing_level
    account.liveness_verified_at = svc.clock.now()
    recompute_level(account)
    session().commit()
    notify(account, "recovered", svc=svc)
    announce_level(account, before, svc=svc)
