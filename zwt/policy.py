"""Who may call each route: the guard decorators declare it on the view, and the table is read from the url_map.

The declaration lives in one place, the decorator a view is wrapped in (``require_roles`` and
``require_refresh_token`` in ``zwt.auth.guards``; ``public`` and ``department_signed`` here): the decorator
enforces it and records it as the view's ``Policy``. ``route_table`` reads every route of an app with its
policy, and ``undeclared`` names the routes whose view declares none (the test suite fails on any).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, TypeVar

from flask import Flask

from .models import ROLES

__all__ = ["ANONYMOUS", "CALLERS", "Policy", "PUBLIC", "SIGNED", "RoutePolicy", "declare", "public",
           "department_signed", "policy_of", "route_table", "undeclared", "declare_public_endpoints"]

F = TypeVar("F", bound=Callable[..., Any])

#: The caller without a token
ANONYMOUS = "anonymous"
#: Every kind of caller a route can be tried with
CALLERS = (ANONYMOUS, *ROLES)
_ATTR = "zwt_policy"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Policy:
    """What a route requires: the roles it admits, the token kind, and how the sign-in must be proven."""

    roles: frozenset[str]  # ``ANONYMOUS`` among them when no token is needed
    token: str  # "none" | "access" | "refresh" | "signature" (a department's RFC 9421 signature, no token)
    fresh: bool = False
    step_up: bool = False

    def admits(self, caller: str) -> bool:
        """Whether ``caller`` (a role, or ``ANONYMOUS``) passes the guard."""
        return caller in self.roles


PUBLIC = Policy(frozenset(CALLERS), "none")
#: A department system's signed call: no caller with a token (or without one) passes, only a department key
SIGNED = Policy(frozenset(), "signature")


def declare(view: Callable[..., Any], policy: Policy) -> None:
    """Record ``policy`` on a view function (the guard decorators call this)."""
    setattr(view, _ATTR, policy)


def public(view: F) -> F:
    """Declare that anyone may call the view, with or without a token."""
    declare(view, PUBLIC)
    return view


def department_signed(view: F) -> F:
    """Declare that only a department's signed request may call the view. The use case checks the signature
    (``zwt.issuers.signatures.verify_request``: it needs the body and the department's keys), so this
    decorator records the rule and the route policy test holds every caller with or without a token to 401."""
    declare(view, SIGNED)
    return view


def policy_of(view: Callable[..., Any]) -> Policy | None:
    """The policy a view declared, or None."""
    found = getattr(view, _ATTR, None)
    return found if isinstance(found, Policy) else None


def declare_public_endpoints(app: Flask, endpoints: Iterable[str]) -> None:
    """Declare views we do not write (Flask's static files, Swagger UI's assets) public, by wrapping them."""
    for endpoint in endpoints:
        view = app.view_functions[endpoint]

        def wrapper(*args: Any, _view: Callable[..., Any] = view, **kwargs: Any) -> Any:
            return _view(*args, **kwargs)

        declare(wrapper, PUBLIC)
        app.view_functions[endpoint] = wrapper


@dataclass(frozen=True)
class RoutePolicy:
    """One route and method with the policy its view declared (None when it declared none)."""

    rule: str
    method: str
    endpoint: str
    policy: Policy | None


def route_table(app: Flask) -> list[RoutePolicy]:
    """Every route and method of ``app`` with its declared policy, in url_map order."""
    table = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        for method in _METHODS:
            if method in (rule.methods or ()):
                table.append(RoutePolicy(rule.rule, method, rule.endpoint, policy_of(view)))
    return table


def undeclared(app: Flask) -> list[RoutePolicy]:
    """The routes whose view declares no policy."""
    return [row for row in route_table(app) if row.policy is None]
