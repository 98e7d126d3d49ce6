"""Registration: prove the phone by SMS, then the name (police, L1) and the phone's owner (carrier, L2).

No oracle: ``start_registration`` answers the same whether or not the ID number or the phone has an account.
A phone that already has one gets a notice instead of a code, so only that phone's holder learns it.

One account per person: the ID number's unique index holds one account. A newcomer who reaches level 2
for an ID number whose account never did takes it over: the old account is frozen, gives up the ID number,
its sessions end, the wallet hands its licenses (and their access history) to the newcomer, and its phone
is told. An account at level 2 or above yields to nobody; it can only be recovered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wallet.identifiers import normalize_resident_id

from ..container import Services
from ..db import session
from ..errors import Conflict, field_error
from ..models import Account
from ..pii import mask_phone
from .accounts import find_by_id_number, new_subject, set_id_number
from .challenges import challenge_view, open_challenge, payload_of, redeem
from .identity import check_identity
from .levels import PHONE, recompute_level
from .notify import NOTICES, notify
from .passwords import hash_password
from .proofing import announce_level, carrier_check, face_check
from .sessions import end_sessions, sign_in

__all__ = ["start_registration", "confirm_registration"]


def start_registration(data: dict[str, Any], *, svc: Services, address: str) -> dict[str, Any]:
    """Send the phone a code (or, if it has an account, a notice) and keep the details; the same answer always."""
    phone = data["phone"]
    taken = session().scalar(select(Account.id).where(Account.phone == phone)) is not None
    payload = {"name": data["name"], "id_number": normalize_resident_id(data["id_number"]),
               "password_hash": hash_password(data["password"], svc.config.password_hash_method)}
    row = open_challenge("register", phone, svc=svc, address=address, payload=payload,
                         notice=NOTICES["phone_has_account"] if taken else None)
    session().commit()
    return challenge_view(row, svc=svc) | {"phone_masked": mask_phone(phone)}


def _freeze(holder: Account, *, svc: Services) -> None:
    """The squatter's account: its sessions ended, frozen, its ID number let go."""
    end_sessions(holder, "frozen", svc=svc)
    holder.status, holder.frozen_at = "frozen", svc.clock.now()
    holder.id_number_bidx = None
    session().flush()


def confirm_registration(data: dict[str, Any], *, svc: Services, address: str,
                         user_agent: str) -> tuple[Account, dict[str, Any], dict[str, str]]:
    """Spend the code, run the checks, create the account at the level they prove, and sign it in.

    Returns the account, its tokens and each check's outcome. 409 ``account_exists`` on ``id_number`` when
    the ID number has an account this registration may not take over (it would need level 2, and the
    account must be below it): the holder's phone is told of the attempt.
    """
    row = redeem(data["challenge_id"], data["code"], "register", svc=svc)
    session().commit()  # the code is spent whatever the checks say: one registration, one try at the name
    details = payload_of(row, svc=svc)
    name, id_number, phone = details["name"], details["id_number"], row.phone
    requester = "phone:" + svc.pii.blind_index(phone, purpose="sms_phone")
    police = check_identity(name, id_number, address, svc=svc, requester=requester)
    now = svc.clock.now()
    account = Account(subject=new_subject(), role="citizen", display_name=name, phone=phone,
                      password_hash=details["password_hash"], status="active", created_at=now,
                      phone_verified_at=now, identity_verified_at=now if police == "match" else None)
    checks = {"identity_check": police, "carrier_check": "skipped", "liveness_check": "skipped"}
    if police == "match":
        checks["carrier_check"] = carrier_check(name, id_number, phone, svc=svc)
        if checks["carrier_check"] == "match":
            account.carrier_verified_at = now
        if data.get("evidence"):
            passed = face_check(name, id_number, data["evidence"], svc=svc)
            checks["liveness_check"] = "pass" if passed else "fail"
            if passed:
                account.liveness_verified_at = now
    recompute_level(account)
    holder = find_by_id_number(id_number, svc=svc)
    if holder is not None and not (account.proofing_level >= PHONE and holder.proofing_level < PHONE):
        notify(holder, "id_number_attempt", svc=svc)
        raise Conflict("account_exists", errors=[field_error("id_number", "account_exists")])
    if holder is not None:
        _freeze(holder, svc=svc)
    set_id_number(account, id_number, svc=svc)
    sess = session()
    sess.add(account)
    try:
        sess.flush()
    except IntegrityError:
        sess.rollback()
        raise Conflict(errors=[field_error("phone", "taken")]) from None
    if holder is not None:
        for hook in svc.hooks.superseded:
            hook(holder, account, svc)
    tokens = sign_in(account, svc=svc, address=address, user_agent=user_agent, amr=("pwd", "sms"))
    sess.commit()
    if holder is not None:
        notify(holder, "frozen", svc=svc)
    announce_level(account, 0, svc=svc)
    return account, tokens, checks
