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
    """Fixed-window counters per key, each refusing once it reaches its limit.

    A decision is the count an atomic increment returns, never a read followed by a write: parallel
    requests on other workers or nodes cannot all pass a check before any of them is counted.
    ``spend`` counts every attempt; ``reserve`` holds a place for an attempt whose outcome decides whether
    it counts (a failure keeps the place, anything else gives it back with ``release``).
    """

    def __init__(self, shared: SharedState, *, window_seconds: float) -> None:
        self.shared = shared
        self.window = window_seconds

    def spend(self, limits: dict[str, int], *, now: float) -> None:
        """Count one attempt on every key; raise ``TooManyRequests`` when one went over its limit."""
        for key, limit in limits.items():
            count, expires_at = self.shared.incr(key, ttl=self.window, now=now)
            if count > limit:
                raise TooManyRequests(retry_after=max(1, math.ceil(expires_at - now)))

    def reserve(self, limits: dict[str, int], *, now: float) -> None:
        """Hold a place on every key, or take them all back and raise ``TooManyRequests`` when one is full."""
        taken: list[str] = []
        for key, limit in limits.items():
            count, expires_at = self.shared.incr(key, ttl=self.window, now=now)
            taken.append(key)
            if count > limit:
                self.release(taken, now=now)
                raise TooManyRequests(retry_after=max(1, math.ceil(expires_at - now)))

    def release(self, keys: list[str], *, now: float) -> None:
        """Give back places ``reserve`` held (the attempt did not fail)."""
        for key in keys:
            self.shared.decr(key, now=now)

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

    def _pair_and_address(self) -> Throttle:
        return Throttle(self.shared, window_seconds=self.cfg.login_window_seconds)

    def begin(self, who: str, address: str, *, now: float) -> None:
        """429 while the account's wait runs or this pair or address is full; else hold a place for this try.

        The place counts as a failure unless ``succeeded`` gives it back, so parallel guesses on several
        workers or nodes get no more tries than sequential ones.
        """
        pair, addr, _, wait = self._keys(who, address)
        count, until = self.shared.get(wait, now=now)
        if count:
            raise TooManyRequests(retry_after=max(1, math.ceil(until - now)))
        self._pair_and_address().reserve(
            {pair: self.cfg.login_max_failures_account, addr: self.cfg.login_max_failures_address}, now=now)

    def failed(self, who: str, address: str, *, now: float) -> None:
        """The try ``begin`` held failed: count it for the account; past enough of them, its next try waits."""
        cfg = self.cfg
        _, _, acct, wait = self._keys(who, address)
        count, _ = self.shared.incr(acct, ttl=4 * cfg.login_window_seconds, now=now)
        if count >= cfg.login_delay_after_failures:
            steps = min(count - cfg.login_delay_after_failures, 30)
            self.shared.add(wait, ttl=min(cfg.login_delay_max_seconds, cfg.login_delay_base_seconds * 2 ** steps),
                            now=now)

    def succeeded(self, who: str, address: str, *, now: float) -> None:
        """The try ``begin`` held succeeded: forget this pair's failures and give the address its place back.

        The account's own count runs out by itself.
        """
        pair, addr, _, _ = self._keys(who, address)
        self.shared.delete(pair)
        self._pair_and_address().release([addr], now=now)
