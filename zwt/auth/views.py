"""HTTP face of signing up and in: register (+ confirm), login, refresh, logout, password reset, recovery."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..container import services
from ..http import json_object, schema
from ..policy import public
from . import enrolment, recovery, service
from .accounts import account_view
from .guards import current_claims, me, require_refresh_token, require_roles
from .schemas import (ChallengeOut, LoginIn, RecoverIn, RegisterConfirmIn, RegisteredOut, RegisterIn,
                      ResetConfirmIn, ResetIn, TokenPairOut)

__all__ = ["bp", "client_address"]

bp = Blueprint("auth", __name__, url_prefix="/api/v1")


def client_address() -> str:
    """The client's address as the proxy settings allow us to see it."""
    return request.remote_addr or "-"


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")


@bp.post("/auth/register")
@public
def register() -> tuple[Response, int]:
    """Start a sign-up: a code goes to the phone; the answer is the same for known and unknown numbers."""
    data = schema(RegisterIn).load(json_object())
    started = enrolment.start_registration(data, svc=services(), address=client_address())
    return jsonify(schema(ChallengeOut).dump(started)), 202


@bp.post("/auth/register/confirm")
@public
def register_confirm() -> tuple[Response, int]:
    """Finish a sign-up with the code: run the proofing checks, create the account, sign it in."""
    data = schema(RegisterConfirmIn).load(json_object())
    svc = services()
    account, tokens, checks = enrolment.confirm_registration(data, svc=svc, address=client_address(),
                                                             user_agent=_user_agent())
    body = tokens | checks | {"account": account_view(account, svc=svc)}
    return jsonify(schema(RegisteredOut).dump(body)), 201


@bp.post("/auth/login")
@public
def login() -> Response:
    """Exchange credentials for a fresh token pair."""
    data = schema(LoginIn).load(json_object())
    tokens = service.login(data["username"], data["password"], client_address(), svc=services(),
                           user_agent=_user_agent())
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


@bp.post("/auth/password-reset")
@public
def password_reset() -> tuple[Response, int]:
    """Send a reset code to the account's phone; the same answer when there is no such account."""
    data = schema(ResetIn).load(json_object())
    started = recovery.start_reset(data["username"], svc=services(), address=client_address())
    return jsonify(schema(ChallengeOut).dump(started)), 202


@bp.post("/auth/password-reset/confirm")
@public
def password_reset_confirm() -> tuple[str, int]:
    """Set a new password with the code; every session ends."""
    recovery.confirm_reset(schema(ResetConfirmIn).load(json_object()), svc=services())
    return "", 204


@bp.post("/auth/recover")
@public
def recover() -> tuple[str, int]:
    """Lost phone: a face check sets a new password; every session ends."""
    recovery.recover_by_face(schema(RecoverIn).load(json_object()), svc=services(), address=client_address())
    return "", 204
