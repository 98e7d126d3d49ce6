"""Claims of access tokens this process has already verified, so a token is checked in full once.

Verifying an HS256 token is cheap; PyJWT's parsing around it is not: flask-jwt-extended decodes each
token four times per request (twice unverified for the key callback, once verified, once for the
header), each decode checking the base64 alphabet character by character. That was a quarter of an
authenticated request. The same text verifies the same way under the same key, so the claims of a
verified text are kept and handed out again while the time claims still hold; a token that has
expired since is dropped and goes the full way, which raises the library's own error. Revocation is
unaffected: the blocklist and the account are still read on every request.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask_jwt_extended import JWTManager

__all__ = ["VerifiedTokens", "MemoJWTManager"]


class VerifiedTokens:
    """At most ``capacity`` verified tokens, by their exact text, the oldest forgotten first."""

    def __init__(self, capacity: int = 4096, *, leeway: float = 0.0) -> None:
        self.capacity = capacity
        self.leeway = leeway
        self._claims: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._claims)

    def get(self, token: str, now: float) -> dict[str, Any] | None:
        """A copy of the token's claims when it was verified and its time claims hold at ``now``, else None.

        The bounds are PyJWT's: expired once ``exp <= now - leeway``, not yet valid while ``nbf > now + leeway``.
        """
        claims = self._claims.get(token)
        if claims is None:
            return None
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if exp is not None and exp <= now - self.leeway:
            with self._lock:
                self._claims.pop(token, None)
            return None
        if nbf is not None and nbf > now + self.leeway:
            return None
        return dict(claims)

    def put(self, token: str, claims: dict[str, Any]) -> None:
        """Remember the claims of a token that has just been verified in full."""
        with self._lock:
            if token not in self._claims and len(self._claims) >= self.capacity:
                self._claims.pop(next(iter(self._claims)))
            self._claims[token] = dict(claims)


class MemoJWTManager(JWTManager):
    """flask-jwt-extended's manager, with verified claims remembered per token text.

    Only the plain case is remembered: no CSRF value to compare and expired tokens not allowed. The
    clock is the one PyJWT checks ``exp`` against, so both agree on when a token expires.
    """

    def __init__(self, app: Any, memo: VerifiedTokens) -> None:
        self.verified = memo
        super().__init__(app)

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value: Any = None,
                                allow_expired: bool = False) -> dict[str, Any]:
        plain = csrf_value is None and not allow_expired
        if plain:
            hit = self.verified.get(encoded_token, time.time())
            if hit is not None:
                return hit
        claims: dict[str, Any] = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if plain:
            self.verified.put(encoded_token, claims)
        return claims
