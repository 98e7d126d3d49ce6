"""Decorators views use to require a signed-in account of some role, and the account and claims they found."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, TypeVar, cast

from flask import g, request

from ..errors import Forbidden, Unauthorized
from ..models import ROLES, Account
from ..policy import Policy, declare
from .tokens import token_gate

__all__ = ["require_roles", "require_refresh_token", "require_fresh_login", "require_step_up", "me",
           "my_subject", "current_claims", "STEP_UP_FACTORS"]

F = TypeVar("F", bound=Callable[..., Any])
#: the second factors a step-up proves, as they appear in a token's ``amr`` claim
STEP_UP_FACTORS = frozenset({"sms", "face"})
_SIGNED_IN = "zwt_signed_in"  # the one per-request slot: written by ``_sign_in``, read by ``me``/``current_claims``


_REFRESH = Policy(frozenset(ROLES), "refresh")


@dataclass(frozen=True)
class _SignedIn:
    """What the guard established for this request."""

    claims: dict[str, Any]
    account: Account


def bearer_token() -> str:
    """The token of ``Authorization: Bearer <token>``: 401 ``unauthorized`` without one, else ``token_invalid``."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        raise Unauthorized("unauthorized")
    token = token.strip()
    if not token or " " in token:
        raise Unauthorized("token_invalid")
    return token


def _sign_in(*, refresh: bool) -> Account:
    """Check this request's bearer token and remember its claims and account for the rest of the request."""
    claims, account = token_gate().check(bearer_token(), refresh=refresh)
    setattr(g, _SIGNED_IN, _SignedIn(claims, account))
    return account


def require_roles(*roles: str, fresh: bool = False, step_up: bool = False) -> Callable[[F], F]:
    """Require a valid access token whose account has one of ``roles`` (any role when none; 403 otherwise).

    ``fresh``: the token must come from a password login; ``step_up``: from one with a second factor.
    The requirement is also recorded on the view for the route policy table (``zwt/policy.py``).
    """
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; roles are {ROLES}")
    policy = Policy(frozenset(roles or ROLES), "access", fresh=fresh or step_up, step_up=step_up)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            account = _sign_in(refresh=False)
            if step_up:
                require_step_up()
            elif fresh:
                require_fresh_login()
            if roles and account.role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        declare(wrapper, policy)
        return cast(F, wrapper)

    return decorate


def require_refresh_token(view: F) -> F:
    """Require a valid refresh token (sent as the Bearer token) instead of an access token."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _sign_in(refresh=True)
        return view(*args, **kwargs)

    declare(wrapper, _REFRESH)
    return cast(F, wrapper)


def require_fresh_login() -> None:
    """401 ``fresh_login_required`` unless this request's token came from a password login."""
    if current_claims().get("fresh") is not True:
        raise Unauthorized("fresh_login_required")


def require_step_up() -> None:
    """401 ``step_up_required`` unless this request's token is fresh and proves an SMS code or a face check."""
    claims = current_claims()
    if claims.get("fresh") is not True or not STEP_UP_FACTORS.intersection(claims.get("amr") or ()):
        raise Unauthorized("step_up_required")


def _signed_in() -> _SignedIn:
    found = g.get(_SIGNED_IN)
    if found is None:
        raise RuntimeError("no signed-in account: the view lacks require_roles or require_refresh_token")
    return cast(_SignedIn, found)


def me() -> Account:
    """The signed-in account of this request."""
    return _signed_in().account


def my_subject() -> str:
    """The signed-in account's subject (the owner of its idempotency keys)."""
    return me().subject


def current_claims() -> dict[str, Any]:
    """The claims of this request's token."""
    return _signed_in().claims
