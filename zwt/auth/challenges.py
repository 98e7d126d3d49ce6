"""One-time SMS codes: open a challenge (a code sent to a phone), then redeem it once with the right code.

Every flow that proves a phone (registration, password reset, step-up, proving the account's phone) uses
these two functions, so code length, lifetime, tries and send limits are the same everywhere. A code is
kept only as a keyed hash; a registration's details wait beside it, sealed.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
import uuid
from typing import Any

from sqlalchemy import select, update

from ..container import Services
from ..db import session
from ..errors import TooManyRequests, ValidationFailed
from ..models import Account, SmsChallenge
from .notify import send_code, send_text
from .throttle import Throttle

__all__ = ["open_challenge", "redeem", "payload_of", "challenge_view"]

_SEND_WINDOW = 3600


def _code_hash(public_id: str, code: str, svc: Services) -> str:
    return svc.pii.blind_index(code, purpose="sms_code|" + public_id)


def _count_send(phone: str, address: str, *, svc: Services) -> None:
    """429 ``too_many_sms`` when this phone or this address asked for too many texts this hour; else count one."""
    cfg = svc.config
    limits = {"sms:phone:" + svc.pii.blind_index(phone, purpose="sms_phone"): cfg.sms_per_phone_per_hour,
              "sms:addr:" + address: cfg.sms_per_address_per_hour}
    throttle = Throttle(svc.shared, window_seconds=_SEND_WINDOW)
    try:
        throttle.spend(limits, now=svc.clock.timestamp())
    except TooManyRequests as exc:
        raise TooManyRequests(exc.params["retry_after"], code="too_many_sms") from None


def open_challenge(purpose: str, phone: str, *, svc: Services, address: str, account: Account | None = None,
                   payload: dict[str, Any] | None = None, notice: str | None = None,
                   deliver: bool = True, count_as: str | None = None) -> SmsChallenge:
    """Send a code for ``purpose`` to ``phone`` and keep its challenge (flushed, not committed).

    With ``notice``, that text goes to the phone instead of a code; with ``deliver=False`` nothing is sent.
    Either way no code can redeem the challenge, and the caller answers exactly as if a code had been sent.
    Sends count per phone (or ``count_as``) and per address.
    """
    _count_send(count_as or phone, address, svc=svc)
    redeemable = deliver and notice is None
    now = svc.clock.now()
    public_id = "sms_" + uuid.uuid4().hex
    code = f"{secrets.randbelow(10 ** 6):06d}"
    row = SmsChallenge(public_id=public_id, purpose=purpose, account_id=account.id if account else None,
                       phone=phone, code_hash=_code_hash(public_id, code, svc) if redeemable else None, attempts=0,
                       created_at=now, expires_at=now + dt.timedelta(seconds=svc.config.sms_code_seconds))
    if payload is not None:
        row.payload_enc, row.payload_key_version = svc.pii.encrypt(
            json.dumps(payload, ensure_ascii=False), table="sms_challenges", column="payload", row=public_id)
    session().add(row)
    session().flush()
    if redeemable:
        send_code(phone, purpose, code, svc=svc)
    elif deliver and notice:
        send_text(phone, notice, svc=svc)
    return row


def redeem(challenge_id: str, code: str, purpose: str, *, svc: Services,
           account: Account | None = None) -> SmsChallenge:
    """Spend the challenge if ``code`` is its code; 422 naming ``challenge_id`` or ``code`` otherwise.

    ``challenge_id`` is ``expired`` when unknown, spent, out of tries, past its time, for another purpose
    or (with ``account``) another account's; a wrong ``code`` is ``invalid`` and uses up one try. Two
    requests racing with the right code: one wins.
    """
    sess = session()
    now = svc.clock.now()
    row = sess.scalar(select(SmsChallenge).where(SmsChallenge.public_id == challenge_id,
                                                 SmsChallenge.purpose == purpose))
    if (row is None or row.used_at is not None or row.expires_at <= now
            or row.attempts >= svc.config.sms_code_attempts
            or (account is not None and row.account_id != account.id)):
        raise ValidationFailed.field("challenge_id", "expired")
    if row.code_hash is None or not hmac.compare_digest(row.code_hash, _code_hash(row.public_id, code, svc)):
        sess.execute(update(SmsChallenge).where(SmsChallenge.id == row.id)
                     .values(attempts=SmsChallenge.attempts + 1))
        sess.commit()
        raise ValidationFailed.field("code", "invalid")
    won = sess.execute(update(SmsChallenge).where(SmsChallenge.id == row.id, SmsChallenge.used_at.is_(None))
                       .values(used_at=now)).rowcount
    if won != 1:
        raise ValidationFailed.field("challenge_id", "expired")
    return row


def payload_of(row: SmsChallenge, *, svc: Services) -> dict[str, Any]:
    """The details a challenge kept (a registration's name, ID number and password hash)."""
    if row.payload_enc is None or row.payload_key_version is None:
        return {}
    found: dict[str, Any] = json.loads(svc.pii.decrypt(row.payload_enc, row.payload_key_version,
                                                       table="sms_challenges", column="payload",
                                                       row=row.public_id))
    return found


def challenge_view(row: SmsChallenge, *, svc: Services) -> dict[str, Any]:
    """What the client needs to finish: the challenge id, and how long the code lives."""
    return {"challenge_id": row.public_id, "expires_in": svc.config.sms_code_seconds}
