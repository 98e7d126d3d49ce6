"""Per-account limits on wallet actions: presentations, device-binding nonces and device changes.

The one place for the rule. Each action has fixed-window counters per account (``zwt.auth.throttle.Throttle``
over ``Services.shared``, so every worker and node counts together), sized by settings generous enough for a
real person (a citizen showing a code at a counter a few times a minute) and far below what a script does.
An action over its limit answers 429 with ``Retry-After`` and the action's own problem code.

Every attempt that passes the check counts, successful or not: the limit bounds the work an account can
cause (signatures, rows, texts to the phone), and a failed attempt costs that work too. The wallet lock
(lost phone) is never limited, so the owner can always cut off a stolen device.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..auth.throttle import Throttle
from ..container import Services
from ..errors import TooManyRequests
from ..models import Account

__all__ = ["Limit", "LIMITS", "spend"]

_WINDOWS = {"minute": 60, "day": 86400}


@dataclass(frozen=True, slots=True)
class Limit:
    """An action's problem code and, per window (``minute`` / ``day``), the setting that sizes it."""

    code: str
    settings: tuple[tuple[str, str], ...]


LIMITS = {
    "presentation": Limit("too_many_presentations", (("minute", "presentations_per_minute"),
                                                     ("day", "presentations_per_day"))),
    "nonce": Limit("too_many_nonces", (("minute", "nonces_per_minute"),)),
    "device_change": Limit("too_many_device_changes", (("day", "device_changes_per_day"),)),
}


def spend(action: str, account: Account, *, svc: Services) -> None:
    """Count one ``action`` of ``account``, or raise 429 (the action's code) when a window is full."""
    rule = LIMITS[action]
    now = svc.clock.timestamp()
    counters = [(Throttle(svc.shared, window_seconds=_WINDOWS[window]), f"limit:{action}:{window}:{account.subject}",
                 int(getattr(svc.config, setting))) for window, setting in rule.settings]
    try:
        for throttle, key, limit in counters:
            throttle.check({key: limit}, now=now)
    except TooManyRequests as exc:
        raise TooManyRequests(exc.params["retry_after"], code=rule.code) from None
    for throttle, key, _ in counters:
        throttle.failed([key], now=now)  # ``failed`` counts one hit; here every attempt is one
