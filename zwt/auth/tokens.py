"""Tokens: issued by flask-jwt-extended, checked per request by ``TokenGate``, revoked on a shared blocklist."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token, decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import ExpiredSignatureError, PyJWTError
from sqlalchemy import bindparam, select, update

from ..clock import Clock
from ..container import Services, services
from ..db import session
from ..errors import Unauthorized
from ..models import Account, RefreshToken
from ..shared_state import SharedState
from .verified import VerifiedTokens

__all__ = ["init_jwt", "token_gate", "TokenGate", "issue_token_pair", "issue_step_up_token", "revoke_family",
           "revoke_families",
           "revoke_access_token",
           "ISSUER"]

ISSUER = "zwt"

# Run on every authenticated request: built once (building it per call cost more than the query).
_ACCOUNT_BY_SUBJECT = select(Account).where(Account.subject == bindparam("subject"))


def revocation_keys(payload: dict[str, Any]) -> tuple[str, str]:
    """The blocklist keys of a token: its own and its sign-in family's (its own again when it has none)."""
    jti_key = f"revoked:jti:{payload.get('jti')}"
    return jti_key, f"revoked:fam:{payload['fam']}" if payload.get("fam") else jti_key


class TokenGate:
    """Checks a bearer token on every request: verified claims, type, revocation and account."""

    def __init__(self, shared: SharedState, clock: Clock, verified: VerifiedTokens) -> None:
        self.shared = shared
        self.clock = clock
        self.verified = verified
        # When the blocklist is in the database, the account and its token's revocation come in one query.
        revoked = shared.any_live_clause("jti_key", "fam_key")
        self._account_and_revoked = (select(Account, revoked).where(Account.subject == bindparam("subject"))
                                     if revoked is not None else None)

    def check(self, token: str, *, refresh: bool = False) -> tuple[dict[str, Any], Account]:
        """The claims and active account of ``token``, or a 401 naming what is wrong with it."""
        try:
            claims = self.verified.claims(token)
        except ExpiredSignatureError:
            raise Unauthorized("token_expired") from None
        except (PyJWTError, JWTExtendedException):
            raise Unauthorized("token_invalid") from None
        if (claims.get("type") == "refresh") != refresh:
            raise Unauthorized("token_invalid")
        account, revoked = self._account(claims)
        if revoked or account is None or account.status != "active":
            raise Unauthorized("token_revoked")
        if claims.get("role") != account.role:  # issued before a change of role: the person signs in again
            raise Unauthorized("token_revoked")
        return claims, account

    def _account(self, claims: dict[str, Any]) -> tuple[Account | None, bool]:
        """The token's account and whether the token or its sign-in is on the blocklist."""
        jti_key, fam_key = revocation_keys(claims)
        now = self.clock.timestamp()
        if self._account_and_revoked is not None:
            params = {"subject": claims["sub"], "jti_key": jti_key, "fam_key": fam_key, "now": now}
            found = session().execute(self._account_and_revoked, params).first()
            return (found[0], bool(found[1])) if found is not None else (None, False)
        account = session().scalar(_ACCOUNT_BY_SUBJECT, {"subject": claims["sub"]})
        keys = list(dict.fromkeys((jti_key, fam_key)))
        return account, account is not None and self.shared.any_live(keys, now=now)


class NoCookieSessions(SessionInterface):
    """No Flask cookie session: clients sign in with a bearer token, and Flask built a signer per request for one."""

    def open_session(self, app: Flask, request: Request) -> None:
        """None, so Flask installs its null session, which refuses writes."""
        return None

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Nothing to save."""


def init_jwt(app: Flask, svc: Services) -> None:
    """Configure token issuance from ``svc.config`` and drop cookie sessions (``svc.tokens`` checks tokens)."""
    cfg = svc.config
    app.config.update(
        JWT_SECRET_KEY=cfg.secret_key,
        JWT_ALGORITHM="HS256",
        JWT_DECODE_ALGORITHMS=["HS256"],
        JWT_TOKEN_LOCATION=["headers"],
        JWT_ACCESS_TOKEN_EXPIRES=dt.timedelta(minutes=cfg.access_token_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=dt.timedelta(days=cfg.refresh_token_days),
        JWT_ENCODE_ISSUER=ISSUER,
        JWT_DECODE_ISSUER=ISSUER,
        JWT_COOKIE_CSRF_PROTECT=False,  # tokens travel in headers only: no csrf claim (36 chars less to check)
    )
    JWTManager(app)
    app.session_interface = NoCookieSessions()


def token_gate() -> TokenGate:
    """The current app's token gate."""
    return services().tokens


def issue_token_pair(account: Account, *, svc: Services, family: str | None = None,
                     fresh: bool = False, amr: list[str] | None = None) -> dict[str, Any]:
    """Create an access token and a refresh token for ``account`` and record the refresh token.

    ``amr`` (how the sign-in was authenticated: ``pwd``, ``sms``, ``face``) rides on the access token
    only; a refreshed pair carries none, so a step-up never outlives its access token.
    """
    family = family or uuid.uuid4().hex
    claims: dict[str, Any] = {"role": account.role, "fam": family}
    access = create_access_token(identity=account.subject, fresh=fresh,
                                 additional_claims=claims | ({"amr": amr} if amr else {}))
    refresh = create_refresh_token(identity=account.subject, additional_claims=claims)
    decoded = decode_token(refresh)
    now = svc.clock.now()
    session().add(RefreshToken(
        jti=decoded["jti"], family=family, account_id=account.id, issued_at=now,
        expires_at=now + dt.timedelta(days=svc.config.refresh_token_days),
    ))
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": svc.config.access_token_minutes * 60,
        "refresh_expires_in": svc.config.refresh_token_days * 86400,
        "family": family,
    }


def issue_step_up_token(claims: dict[str, Any], account: Account, amr: list[str], *, svc: Services) -> dict[str, Any]:
    """A fresh access token of the same sign-in, carrying the stronger ``amr`` a step-up proved."""
    access = create_access_token(identity=account.subject, fresh=True,
                                 additional_claims={"role": account.role, "fam": claims["fam"], "amr": amr})
    return {"access_token": access, "token_type": "Bearer", "expires_in": svc.config.access_token_minutes * 60}


def revoke_family(family: str, *, svc: Services) -> None:
    """Revoke every access and refresh token issued from one sign-in, on every node."""
    revoke_families([family], svc=svc)


def revoke_families(families: list[str], *, svc: Services) -> None:
    """Revoke every token of these sign-ins, on every node.

    Shared state is written first, all of it: on SQLite it uses its own connection, which must not wait
    for the request session's write lock, so callers revoke before they write anything else.
    """
    if not families:
        return
    now = svc.clock.now()
    for family in families:
        svc.shared.add(f"revoked:fam:{family}", ttl=svc.config.refresh_token_days * 86400 + 60,
                       now=now.timestamp())
    session().execute(update(RefreshToken).where(RefreshToken.family.in_(families),
                                                 RefreshToken.revoked_at.is_(None)).values(revoked_at=now))


def revoke_access_token(payload: dict[str, Any], *, svc: Services) -> None:
    """Put one access token on the shared blocklist until it would have expired anyway."""
    now = svc.clock.timestamp()
    ttl = max(1.0, float(payload.get("exp", now)) - now) + 60
    svc.shared.add(f"revoked:jti:{payload['jti']}", ttl=ttl, now=now)
