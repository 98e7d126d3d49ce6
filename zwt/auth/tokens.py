"""flask-jwt-extended wiring: short access tokens, rotating refresh tokens, a shared blocklist, 401s."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask, Response, g
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token, decode_token
from jwt import PyJWTError
from sqlalchemy import bindparam, select

from ..container import Services
from ..db import session
from ..errors import problem_response
from ..models import Account, RefreshToken
from ..shared_state import DatabaseSharedState
from .verified import MemoJWTManager, VerifiedTokens

__all__ = ["init_jwt", "issue_token_pair", "revoke_family", "revoke_access_token", "ISSUER"]

ISSUER = "zwt"


# Run on every authenticated request: built once (building it per call cost more than the query).
_ACCOUNT_BY_SUBJECT = select(Account).where(Account.subject == bindparam("subject"))
# With the blocklist in the database, the account and whether its token is revoked come in one query.
_ACCOUNT_AND_REVOKED = (select(Account, DatabaseSharedState.any_live_clause("jti_key", "fam_key"))
                        .where(Account.subject == bindparam("subject")))
_UNREAD = object()


def revocation_keys(payload: dict[str, Any]) -> tuple[str, str]:
    """The blocklist keys of a token: its own and its sign-in family's (its own again when it has none)."""
    jti_key = f"revoked:jti:{payload.get('jti')}"
    return jti_key, f"revoked:fam:{payload['fam']}" if payload.get("fam") else jti_key


def _unauthorized(code: str) -> Response:
    return problem_response(401, code, headers={"WWW-Authenticate": 'Bearer realm="zwt"'})


def init_jwt(app: Flask, svc: Services) -> JWTManager:
    """Configure JWTs from ``svc.config`` and make every token failure a 401 problem."""
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
        JWT_ERROR_MESSAGE_KEY="detail",
        JWT_COOKIE_CSRF_PROTECT=False,  # tokens travel in headers only: no csrf claim (36 chars less to check)
    )
    jwt = MemoJWTManager(app, VerifiedTokens(leeway=float(app.config.get("JWT_DECODE_LEEWAY", 0))))
    blocklist_in_database = isinstance(svc.shared, DatabaseSharedState)

    @jwt.unauthorized_loader
    def _missing(_reason: str) -> Response:
        return _unauthorized("unauthorized")

    @jwt.invalid_token_loader
    def _invalid(_reason: str) -> Response:
        return _unauthorized("token_invalid")

    @jwt.expired_token_loader
    def _expired(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("token_expired")

    @jwt.revoked_token_loader
    def _revoked(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("token_revoked")

    @jwt.needs_fresh_token_loader
    def _not_fresh(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("fresh_login_required")

    @jwt.user_lookup_error_loader
    def _no_user(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("token_revoked")

    @jwt.token_verification_failed_loader
    def _claims_failed(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("token_invalid")

    @jwt.token_in_blocklist_loader
    def _blocked(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
        jti_key, fam_key = revocation_keys(payload)
        now = svc.clock.timestamp()
        if not blocklist_in_database:
            return svc.shared.any_live(list(dict.fromkeys((jti_key, fam_key))), now=now)
        found = session().execute(_ACCOUNT_AND_REVOKED, {"subject": payload["sub"], "jti_key": jti_key,
                                                         "fam_key": fam_key, "now": now}).first()
        g.zwt_token_account = found[0] if found is not None else None  # read by _load_account next
        return bool(found[1]) if found is not None else False

    @jwt.user_lookup_loader
    def _load_account(_header: dict[str, Any], payload: dict[str, Any]) -> Account | None:
        account = g.pop("zwt_token_account", _UNREAD)
        if account is _UNREAD:
            account = session().scalar(_ACCOUNT_BY_SUBJECT, {"subject": payload["sub"]})
        return account if account is not None and account.status == "active" else None

    @app.errorhandler(PyJWTError)
    def _pyjwt_error(_exc: PyJWTError) -> Response:
        return _unauthorized("token_invalid")

    return jwt


def issue_token_pair(account: Account, *, svc: Services, family: str | None = None,
                     fresh: bool = False) -> dict[str, Any]:
    """Create an access token and a refresh token for ``account`` and record the refresh token."""
    family = family or uuid.uuid4().hex
    claims = {"role": account.role, "fam": family}
    access = create_access_token(identity=account.subject, additional_claims=claims, fresh=fresh)
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
    }


def revoke_family(family: str, *, svc: Services) -> None:
    """Revoke every access and refresh token issued from one sign-in, on every node.

    Shared state is written first: on SQLite it uses its own connection, which must not wait for
    the request session's write lock.
    """
    now = svc.clock.now()
    svc.shared.add(f"revoked:fam:{family}", ttl=svc.config.refresh_token_days * 86400 + 60,
                   now=now.timestamp())
    for token in session().scalars(select(RefreshToken).where(RefreshToken.family == family,
                                                              RefreshToken.revoked_at.is_(None))):
        token.revoked_at = now


def revoke_access_token(payload: dict[str, Any], *, svc: Services) -> None:
    """Put one access token on the shared blocklist until it would have expired anyway."""
    now = svc.clock.timestamp()
    ttl = max(1.0, float(payload.get("exp", now)) - now) + 60
    svc.shared.add(f"revoked:jti:{payload['jti']}", ttl=ttl, now=now)
