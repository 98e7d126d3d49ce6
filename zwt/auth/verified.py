"""Claims of access tokens this worker has verified in full, so a token's text is parsed and checked once.

Verifying an HS256 token is cheap; PyJWT's parsing around it is not: flask-jwt-extended's request path
(``jwt_required``) parses each token four times a request (twice unverified for the key callback,
once verified, once more for the header), each time checking the base64 alphabet character by
character. No public hook of the extension can skip those parses, so the service's guard
(``zwt.auth.guards``) does not use ``jwt_required``: it asks this memo first and, on a miss, calls
the extension's public ``decode_token``, which checks the signature, issuer, algorithm and time
claims with the extension's own configuration. The same text verifies the same way under the same
key, so its claims are handed out again until ``exp`` by the injected clock (plus PyJWT's leeway).
``nbf`` is not checked again: the full check passed it and time moves forward. Revocation, token
type, freshness and the account are checked on every request by the guard, never remembered here.
"""

from __future__ import annotations

import threading
from typing import Any

from flask_jwt_extended import decode_token

from ..clock import Clock

__all__ = ["VerifiedTokens"]


class VerifiedTokens:
    """At most ``capacity`` verified tokens by their exact text, expiring on ``clock``, the oldest forgotten first."""

    def __init__(self, clock: Clock, *, capacity: int = 4096, leeway: float = 0.0) -> None:
        self.clock = clock
        self.capacity = capacity
        self.leeway = leeway
        self._claims: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._claims)

    def get(self, token: str) -> dict[str, Any] | None:
        """A copy of the token's remembered claims while ``exp`` holds by the clock (PyJWT's bound), else None."""
        claims = self._claims.get(token)
        if claims is None:
            return None
        exp = claims.get("exp")
        if exp is not None and exp <= self.clock.timestamp() - self.leeway:
            with self._lock:
                self._claims.pop(token, None)
            return None
        return dict(claims)

    def put(self, token: str, claims: dict[str, Any]) -> None:
        """Remember the claims of a token that has just been verified in full."""
        with self._lock:
            if token not in self._claims and len(self._claims) >= self.capacity:
                self._claims.pop(next(iter(self._claims)))
            self._claims[token] = dict(claims)

    def claims(self, token: str) -> dict[str, Any]:
        """The token's claims: remembered ones, or the extension's full check (whose errors propagate)."""
        found = self.get(token)
        if found is None:
            found = decode_token(token)
            self.put(token, found)
        return found
