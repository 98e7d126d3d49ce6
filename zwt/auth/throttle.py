"""Login throttling by account and by address, shared by every worker through ``SharedState``."""

from __future__ import annotations

import math

from ..errors import TooManyRequests
from ..shared_state import SharedState

__all__ = ["Throttle"]


class Throttle:
    """Counts failures per key in a fixed window and refuses once a key reaches its limit."""

    def __init__(self, shared: SharedState, *, window_seconds: float) -> None:
        self.shared = shared
        self.window = window_seconds

    def check(self, limits: dict[str, int], *, now: float) -> None:
        """Raise ``TooManyRequests`` when any key is at its limit."""
        for key, limit in limits.items():
            count, expires_at = self.shared.get(key, now=now)
            if count >= limit:
                raise TooManyRequests(retry_after=max(1, math.ceil(expires_at - now)))

    def failed(self, keys: list[str], *, now: float) -> None:
        """Count one failure for each key."""
        for key in keys:
            self.shared.incr(key, ttl=self.window, now=now)

    def reset(self, key: str) -> None:
        """Forget a key's failures (after a success)."""
        self.shared.delete(key)
