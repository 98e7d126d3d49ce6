"""Throttles shared by every worker through ``SharedState``: fixed-window counters, and the login throttle."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..errors import TooManyRequests
from ..shared_state import SharedState

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["Throttle", "LoginThrottle"]


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


class LoginThrottle:
    """Stops password guessing without locking the owner out.

    - Failures count per (account, client address): that pair gets 429 after a few, other addresses do not.
    - Failures count per address across accounts (credential stuffing).
    - Failures count per account from every address; past a threshold each further try must wait, and
      the wait doubles with every failure (capped), instead of a fixed lock.
    - An address that signed in to the account before is exempt from all three (the caller decides that).

    ``who`` names the account: its subject when the identifier resolves, else a blind index of the
    identifier (an unknown account gets the same treatment and the same answers).
    """

    def __init__(self, shared: SharedState, cfg: "Config") -> None:
        self.shared = shared
        self.cfg = cfg

    @staticmethod
    def _keys(who: str, address: str) -> tuple[str, str, str, str]:
        return (f"login:pair:{who}|{address}", f"login:addr:{address}", f"login:acct:{who}",
                f"login:wait:{who}")

    def check(self, who: str, address: str, *, now: float) -> None:
        """429 while this pair or address is over its limit, or while the account's wait runs."""
        pair, addr, _, wait = self._keys(who, address)
        Throttle(self.shared, window_seconds=self.cfg.login_window_seconds).check(
            {pair: self.cfg.login_max_failures_account, addr: self.cfg.login_max_failures_address}, now=now)
        count, until = self.shared.get(wait, now=now)
        if count:
            raise TooManyRequests(retry_after=max(1, math.ceil(until - now)))

    def failed(self, who: str, address: str, *, now: float) -> None:
        """Count a failure; once the account has had enough of them, make its next try wait."""
        cfg = self.cfg
        pair, addr, acct, wait = self._keys(who, address)
        for key in (pair, addr):
            self.shared.incr(key, ttl=cfg.login_window_seconds, now=now)
        count, _ = self.shared.incr(acct, ttl=4 * cfg.login_window_seconds, now=now)
        if count >= cfg.login_delay_after_failures:
            steps = min(count - cfg.login_delay_after_failures, 30)
            self.shared.add(wait, ttl=min(cfg.login_delay_max_seconds, cfg.login_delay_base_seconds * 2 ** steps),
                            now=now)

    def succeeded(self, who: str, address: str) -> None:
        """Forget this pair's failures (the account's own count runs out by itself)."""
        self.shared.delete(self._keys(who, address)[0])
