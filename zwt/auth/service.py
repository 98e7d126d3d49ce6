"""Signing in and out: log in (throttled without locking the owner out), rotate refresh tokens, log out."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import update

from ..container import Services
from ..db import session
from ..errors import Unauthorized
from ..models import AccountSession, RefreshToken
from .accounts import find_account
from .notify import notify
from .passwords import DUMMY_HASH_INPUT, hash_password, verify_password
from .sessions import known_address, sign_in, touch
from .throttle import LoginThrottle
from .tokens import issue_token_pair, revoke_access_token, revoke_family

__all__ = ["login", "rotate_refresh", "logout", "dummy_hash"]


@functools.lru_cache(maxsize=4)
def dummy_hash(method: str) -> str:
    """A hash no password matches, made once per process: an unknown account costs one check, like a known one."""
    return hash_password(DUMMY_HASH_INPUT, method)


def login(username: str, password: str, address: str, *, svc: Services, user_agent: str = "") -> dict[str, Any]:
    """Check credentials and start a session; every failure, a disabled account included, is ``bad_credentials``.

    Addresses that signed in to the account before skip the throttle; a sign-in from a new address is told
    to the account's phone.
    """
    cfg = svc.config
    account = find_account(username, svc=svc)
    who = account.subject if account is not None else \
        "anon:" + svc.pii.blind_index(username.strip().upper(), purpose="login")
    known = account is not None and known_address(account, address)
    throttle = LoginThrottle(svc.shared, cfg)
    now = svc.clock.timestamp()
    if not known:
        throttle.begin(who, address, now=now)
    ok = verify_password(account.password_hash if account is not None else dummy_hash(cfg.password_hash_method),
                         password)
    if account is None or not ok or account.status != "active":
        if not known:
            throttle.failed(who, address, now=now)
        raise Unauthorized("bad_credentials")
    if not known:
        throttle.succeeded(who, address, now=now)
    tokens = sign_in(account, svc=svc, address=address, user_agent=user_agent)
    session().commit()
    if not known:
        notify(account, "new_sign_in", svc=svc)
    return tokens


def rotate_refresh(payload: dict[str, Any], account: Any, *, svc: Services) -> dict[str, Any]:
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
            found = sess.get(AccountSession, known.family)
            if found is not None and found.ended_at is None:
                found.ended_at, found.ended_reason = now, "token_reused"
            sess.commit()
            raise Unauthorized("token_reused")
        raise Unauthorized("token_invalid")
    tokens = issue_token_pair(account, svc=svc, family=payload["fam"], fresh=False)
    touch(payload["fam"], svc=svc)
    sess.commit()
    return tokens


def logout(payload: dict[str, Any], *, svc: Services) -> None:
    """End the sign-in: the access token and every token of its family stop working everywhere."""
    revoke_access_token(payload, svc=svc)
    if payload.get("fam"):
        revoke_family(payload["fam"], svc=svc)
        found = session().get(AccountSession, payload["fam"])
        if found is not None and found.ended_at is None:
            found.ended_at, found.ended_reason = svc.clock.now(), "logout"
    session().commit()
