"""Account use cases: register a citizen, log in, rotate refresh tokens, log out."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from wallet.identifiers import normalize_resident_id

from ..container import Services
from ..db import session
from ..errors import Conflict, Unauthorized, field_error
from ..models import Account, RefreshToken
from ..pii import mask_id_number, mask_phone
from .passwords import DUMMY_HASH_INPUT, hash_password, verify_password
from .schemas import PHONE_RE
from .throttle import Throttle
from .tokens import issue_token_pair, revoke_access_token, revoke_family

__all__ = ["register_citizen", "login", "rotate_refresh", "logout", "account_view", "find_account",
           "new_subject", "set_id_number", "read_id_number"]


def new_subject() -> str:
    """An opaque, unguessable subject id for tokens and URLs."""
    return "u_" + uuid.uuid4().hex


def set_id_number(account: Account, id_number: str, *, svc: Services) -> None:
    """Store the ID number encrypted and bound to this account's row, with its blind index."""
    blob, version = svc.pii.encrypt(id_number, table="accounts", column="id_number", row=account.subject)
    account.id_number_enc = blob
    account.id_number_key_version = version
    account.id_number_bidx = svc.pii.blind_index(id_number)


def read_id_number(account: Account, *, svc: Services) -> str | None:
    """Decrypt the account's ID number (for checks and fresh-login views only)."""
    if account.id_number_enc is None or account.id_number_key_version is None:
        return None
    return svc.pii.decrypt(account.id_number_enc, account.id_number_key_version,
                           table="accounts", column="id_number", row=account.subject)


def account_view(account: Account, *, svc: Services) -> dict[str, Any]:
    """The account as its owner sees it, numbers masked."""
    id_number = read_id_number(account, svc=svc)
    return {
        "subject": account.subject, "role": account.role, "display_name": account.display_name,
        "phone_masked": mask_phone(account.phone) if account.phone else None,
        "id_number_masked": mask_id_number(id_number) if id_number else None,
        "identity_verified": account.identity_verified_at is not None,
        "department_code": account.department_code, "hall_code": account.hall_code,
        "counter_code": account.counter_code, "created_at": account.created_at,
    }


def register_citizen(data: dict[str, Any], *, svc: Services,
                     address: str = "-") -> tuple[Account, dict[str, Any], str]:
    """Create a citizen account (ID number encrypted), run the real-name check, and sign it in.

    409 names a taken field; a name that the police records contradict is refused (422, counted and
    throttled); an ID number the police do not know, or a police outage, registers the account
    unverified. Returns the account, its tokens and the check's outcome.
    """
    from ..wallet_service.identity import check_identity

    id_number = normalize_resident_id(data["id_number"])  # the password policy was checked by RegisterIn
    sess = session()
    bidx = svc.pii.blind_index(id_number)
    for field, clause in (("id_number", Account.id_number_bidx == bidx), ("phone", Account.phone == data["phone"])):
        if sess.scalar(select(Account.id).where(clause)) is not None:
            raise Conflict(errors=[field_error(field, "taken")])
    outcome = check_identity(data["name"], id_number, address, svc=svc)
    account = Account(subject=new_subject(), role="citizen", display_name=data["name"], phone=data["phone"],
                      password_hash=hash_password(data["password"], svc.config.password_hash_method),
                      status="active", created_at=svc.clock.now(),
                      identity_verified_at=svc.clock.now() if outcome == "match" else None)
    set_id_number(account, id_number, svc=svc)
    sess.add(account)
    try:
        sess.flush()
    except IntegrityError:
        sess.rollback()
        raise Conflict(errors=[field_error("phone", "taken")]) from None
    tokens = issue_token_pair(account, svc=svc, fresh=True)
    sess.commit()
    return account, tokens, outcome


def find_account(username: str, *, svc: Services) -> Account | None:
    """Resolve a phone number, resident ID number or staff username to its account."""
    name = username.strip()
    sess = session()
    if PHONE_RE.match(name):
        return sess.scalar(select(Account).where(Account.phone == name))
    if len(name) == 18 and name[:17].isdigit():
        return sess.scalar(select(Account).where(Account.id_number_bidx == svc.pii.blind_index(name.upper())))
    return sess.scalar(select(Account).where(Account.username == name))


def login(username: str, password: str, address: str, *, svc: Services) -> dict[str, Any]:
    """Check credentials under throttling by account and address; return a fresh token pair."""
    cfg = svc.config
    throttle = Throttle(svc.shared, window_seconds=cfg.login_window_seconds)
    account_key = "login:acct:" + svc.pii.blind_index(username.strip().upper(), purpose="login")
    address_key = "login:addr:" + address
    now = svc.clock.timestamp()
    throttle.check({account_key: cfg.login_max_failures_account,
                    address_key: cfg.login_max_failures_address}, now=now)
    account = find_account(username, svc=svc)
    ok = verify_password(account.password_hash, password) if account else (
        verify_password(hash_password(DUMMY_HASH_INPUT, cfg.password_hash_method), password))
    if account is None or not ok:
        throttle.failed([account_key, address_key], now=now)
        raise Unauthorized("bad_credentials")
    if account.status != "active":
        raise Unauthorized("account_locked")
    throttle.reset(account_key)
    tokens = issue_token_pair(account, svc=svc, fresh=True)
    session().commit()
    return tokens


def rotate_refresh(payload: dict[str, Any], account: Account, *, svc: Services) -> dict[str, Any]:
    """Swap a refresh token for a new pair; a second use of one revokes its whole family."""
    sess = session()
    now = svc.clock.now()
    claimed = sess.execute(
        update(RefreshToken)
        .where(RefreshToken.jti == payload["jti"], RefreshToken.used_at.is_(None),
               RefreshToken.revoked_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        # Release SQLite's write lock before shared state (its own connection) records the revocation.
        sess.rollback()
        known = sess.get(RefreshToken, payload["jti"])
        if known is not None:
            revoke_family(known.family, svc=svc)
            sess.commit()
            raise Unauthorized("token_reused")
        raise Unauthorized("token_invalid")
    tokens = issue_token_pair(account, svc=svc, family=payload["fam"], fresh=False)
    sess.commit()
    return tokens


def logout(payload: dict[str, Any], *, svc: Services) -> None:
    """End the sign-in: the access token and every token of its family stop working everywhere."""
    revoke_access_token(payload, svc=svc)
    if payload.get("fam"):
        revoke_family(payload["fam"], svc=svc)
    session().commit()
