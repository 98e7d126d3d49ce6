"""Decorators and helpers views use to require a signed-in account of some role."""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar, cast

from flask_jwt_extended import current_user, jwt_required

from ..errors import Forbidden
from ..models import Account

__all__ = ["require_roles", "me"]

F = TypeVar("F", bound=Callable[..., Any])


def require_roles(*roles: str, fresh: bool = False) -> Callable[[F], F]:
    """Require a valid access token whose account has one of ``roles`` (403 otherwise)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        @jwt_required(fresh=fresh)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if roles and me().role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def me() -> Account:
    """The signed-in account of this request."""
    return cast(Account, current_user)
