"""Sign-in sessions: each login starts one (a refresh-token family), and ending one revokes its tokens everywhere.

A session remembers the client address it came from, so a later sign-in from that address is known to the
account (exempt from login throttles; no "new sign-in" notice).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable

from sqlalchemy import select

from ..audit import access_denied
from ..container import Services
from ..db import session
from ..errors import NotFound
from ..models import Account, AccountSession, RefreshToken
from .tokens import issue_token_pair, revoke_families

__all__ = ["sign_in", "touch", "known_address", "active_sessions", "find_session", "end_session", "end_sessions",
           "session_view"]

_UA_LENGTH = 200


def sign_in(account: Account, *, svc: Services, address: str, user_agent: str = "",
            amr: Iterable[str] = ("pwd",)) -> dict[str, Any]:
    """Start a session for ``account`` and return its first (fresh) token pair."""
    tokens = issue_token_pair(account, svc=svc, fresh=True, amr=list(amr))
    now = svc.clock.now()
    session().add(AccountSession(family=tokens["family"], public_id="ses_" + uuid.uuid4().hex,
                                 account_id=account.id, address=address, user_agent=user_agent[:_UA_LENGTH],
                                 created_at=now, last_used_at=now))
    return tokens


def touch(family: str, *, svc: Services) -> None:
    """Note that the session was just used (a refresh)."""
    row = session().get(AccountSession, family)
    if row is not None:
        row.last_used_at = svc.clock.now()


def known_address(account: Account, address: str) -> bool:
    """Whether ``address`` ever signed in to ``account`` successfully."""
    found = session().scalar(select(AccountSession.family).where(AccountSession.account_id == account.id,
                                                                 AccountSession.address == address).limit(1))
    return found is not None


def _live_since(svc: Services) -> dt.datetime:
    return svc.clock.now() - dt.timedelta(days=svc.config.refresh_token_days)


def active_sessions(account: Account, *, svc: Services) -> list[AccountSession]:
    """The account's sessions not ended and not lapsed, most recently used first."""
    return list(session().scalars(
        select(AccountSession).where(AccountSession.account_id == account.id, AccountSession.ended_at.is_(None),
                                     AccountSession.last_used_at > _live_since(svc))
        .order_by(AccountSession.last_used_at.desc(), AccountSession.created_at.desc())))


def find_session(account: Account, session_id: str, *, svc: Services) -> AccountSession:
    """One of the account's active sessions by its public id, else 404; someone else's is audited."""
    for row in active_sessions(account, svc=svc):
        if row.public_id == session_id:
            return row
    owner = session().scalar(select(AccountSession.account_id).where(AccountSession.public_id == session_id))
    if owner is not None and owner != account.id:
        access_denied("session", account)
    raise NotFound()


def end_session(row: AccountSession, reason: str, *, svc: Services) -> None:
    """End one session: its refresh and access tokens stop working on every node."""
    revoke_families([row.family], svc=svc)
    row.ended_at, row.ended_reason = svc.clock.now(), reason


def end_sessions(account: Account, reason: str, *, svc: Services, keep: str | None = None) -> int:
    """End every session of the account but the one of family ``keep``; return how many ended.

    Call it before writing anything else in the transaction (see ``revoke_families``). Families with live
    refresh tokens but no session row (signed in before sessions were recorded) end too.
    """
    sess = session()
    with sess.no_autoflush:
        rows = [row for row in active_sessions(account, svc=svc) if row.family != keep]
        live = sess.scalars(select(RefreshToken.family).distinct().where(
            RefreshToken.account_id == account.id, RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > svc.clock.now()))
        recorded = set(sess.scalars(select(AccountSession.family).where(AccountSession.account_id == account.id)))
        orphans = [family for family in live if family != keep and family not in recorded]
    revoke_families([row.family for row in rows] + orphans, svc=svc)
    now = svc.clock.now()
    for row in rows:
        row.ended_at, row.ended_reason = now, reason
    return len(rows) + len(orphans)


def session_view(row: AccountSession, current_family: str | None) -> dict[str, Any]:
    """A session as its owner sees it."""
    return {"id": row.public_id, "created_at": row.created_at, "last_used_at": row.last_used_at,
            "address": row.address, "user_agent": row.user_agent, "current": row.family == current_family}
