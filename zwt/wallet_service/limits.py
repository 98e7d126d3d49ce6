"""Per-account limits on wallet actions: presentations, device-binding nonces and device changes.

The one place for the rule. Each action has fixed-window counters per account (``Services.shared``, so every
worker and node counts together; presentations are counted from their own rows), sized by settings generous enough for a
real person (a citizen showing a code at a counter a few times a minute) and far below what a script does.
An action over its limit answers 429 with ``Retry-After`` and the action's own problem code.

Every attempt counts, successful or not: the limit bounds the work an account can cause (rows, texts to
the phone), and a failed attempt costs that work too. Presentations are the exception: they are counted
from the rows they leave, so only a signed presentation counts. The wallet lock
(lost phone) is never limited, so the owner can always cut off a stolen device.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from ..container import Services
from ..db import session
from ..errors import TooManyRequests
from ..models import Account, Presentation, UTCDateTime

__all__ = ["Limit", "LIMITS", "spend", "recount_presentations"]

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
    """Count one ``action`` of ``account``, or raise 429 (the action's code) when a window is full.

    One atomic increment per window, no read first: the count it returns is the decision, so parallel
    requests cannot slip past the limit together.
    """
    rule = LIMITS[action]
    if action == "presentation":
        _presentations_within(account, rule, svc=svc)
        return
    now = svc.clock.timestamp()
    for window, setting in rule.settings:
        count, expires_at = svc.shared.incr(f"limit:{action}:{window}:{account.subject}", ttl=_WINDOWS[window],
                                            now=now)
        if count > int(getattr(svc.config, setting)):
            raise TooManyRequests(max(1, math.ceil(expires_at - now)), code=rule.code)


# Presentations are the hottest write: their count comes from their own rows, in the transaction that will
# insert the next one, so the limit costs one indexed read per window and no write of its own. The read asks
# for the limit-th newest presentation in the window, so it walks at most ``limit`` index entries however
# many the account made.
_NTH_NEWEST = (select(Presentation.issued_at)
               .where(Presentation.account_id == bindparam("account_id"),
                      Presentation.issued_at > bindparam("since", type_=UTCDateTime()))
               .order_by(Presentation.issued_at.desc()).limit(1).offset(bindparam("skip")))


def _presentations_within(account: Account, rule: Limit, *, svc: Services) -> None:
    """429 when the account's presentations of the last minute or day reach their limits (``0``: no limit).

    On PostgreSQL the account's presentations queue behind its row lock, taken first in the transaction that
    will insert the next one: otherwise parallel requests on other workers all count the same rows and all go
    through. SQLite has no row locks (and its database lock, taken this early, would block the key set-up
    some presentations do on their own connection), so there ``recount_presentations`` runs again after the
    insert, under the write lock the insert took.
    """
    if session().get_bind().dialect.name == "postgresql":
        session().execute(select(Account.id).where(Account.id == account.id).with_for_update())
    _over_limit(account, rule, svc=svc, own=0)


def recount_presentations(account: Account, *, svc: Services) -> None:
    """SQLite: after the new presentation's insert, 429 (and nothing kept) when it went over a limit."""
    if session().get_bind().dialect.name != "postgresql":
        _over_limit(account, LIMITS["presentation"], svc=svc, own=1)


def _over_limit(account: Account, rule: Limit, *, svc: Services, own: int) -> None:
    """429 when the account has ``own`` plus the limit presentations in a window (``own``: just inserted)."""
    now = svc.clock.now()
    for window, setting in rule.settings:
        limit = int(getattr(svc.config, setting))
        if limit <= 0:
            continue
        span = dt.timedelta(seconds=_WINDOWS[window])
        nth = session().scalar(_NTH_NEWEST, {"account_id": account.id, "since": now - span,
                                             "skip": limit - 1 + own})
        if nth is not None:  # ``limit`` presentations in the window: a place frees when this one leaves it
            leaves = _aware(nth) + span  # type: ignore[operator]
            raise TooManyRequests(max(1, math.ceil((leaves - now).total_seconds())), code=rule.code)


def _aware(value: object) -> dt.datetime | None:
    """A MIN() over a UTC column comes back naive (or as text on SQLite): make it an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
