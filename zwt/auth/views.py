"""HTTP face of accounts: register, login, refresh, logout, /me."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..container import services
from ..http import json_object, schema
from . import service
from .guards import current_claims, me, require_refresh_token, require_roles
from .schemas import AccountOut, LoginIn, RegisterIn, TokenPairOut

__all__ = ["bp"]

bp = Blueprint("auth", __name__, url_prefix="/api/v1")


@bp.post("/auth/register")
def register() -> tuple[Response, int]:
    """Sign up a citizen and sign them in."""
    data = schema(RegisterIn).load(json_object())
    svc = services()
    account, tokens, outcome = service.register_citizen(data, svc=svc, address=request.remote_addr or "-")
    if outcome == "match":
        from ..wallet_service.licenses import refresh_licenses

        refresh_licenses(account, svc=svc)  # licenses on record from day one; a failing department is skipped
    account_out = schema(AccountOut).dump(service.account_view(account, svc=svc))
    body = schema(TokenPairOut).dump(tokens) | {"account": account_out, "identity_check": outcome}
    return jsonify(body), 201


@bp.post("/auth/login")
def login() -> Response:
    """Exchange credentials for a fresh token pair."""
    data = schema(LoginIn).load(json_object())
    tokens = service.login(data["username"], data["password"], request.remote_addr or "-", svc=services())
    return jsonify(schema(TokenPairOut).dump(tokens))


@bp.post("/auth/refresh")
@require_refresh_token
def refresh() -> Response:
    """Rotate a refresh token (sent as the Bearer token) into a new pair."""
    tokens = service.rotate_refresh(current_claims(), me(), svc=services())
    return jsonify(schema(TokenPairOut).dump(tokens))


@bp.post("/auth/logout")
@require_roles()
def logout() -> tuple[str, int]:
    """Revoke this access token and its whole sign-in family."""
    service.logout(current_claims(), svc=services())
    return "", 204


@bp.get("/me")
@require_roles()
def whoami() -> Response:
    """The signed-in account, numbers masked."""
    return jsonify(schema(AccountOut).dump(service.account_view(me(), svc=services())))
