"""The opaque feed cursor adapters hand out: scan watermark, position within the scan, highest time seen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["FeedCursor", "EPOCH"]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class FeedCursor:
    """Where a feed scan stands; ``position`` is the department's own page token (page, offset, cursor)."""

    since: dt.datetime
    position: str
    high: dt.datetime

    def encode(self) -> str:
        """Return the cursor as the plain string callers store."""
        return f"{self.since.isoformat()}|{self.position}|{self.high.isoformat()}"

    @classmethod
    def decode(cls, text: str | None, first_position: str) -> FeedCursor:
        """Parse a stored cursor (None starts a full scan at ``first_position``); ValueError if foreign.

        The position is the department's own token and may contain anything, ``|`` included; the two
        times around it never do, so they are split off at the first and the last ``|``.
        """
        if text is None:
            return cls(EPOCH, first_position, EPOCH)
        since, rest = text.split("|", 1)
        position, high = rest.rsplit("|", 1)
        return cls(dt.datetime.fromisoformat(since), position, dt.datetime.fromisoformat(high))

    def next(self, position: str, seen: list[dt.datetime]) -> FeedCursor:
        """Return the cursor for the next page of this scan, raising the high watermark by ``seen``."""
        return FeedCursor(self.since, position, max([self.high, *seen]))

    def drained(self, seen: list[dt.datetime], first_position: str) -> FeedCursor:
        """Return the cursor the next incremental scan starts from once this one is done."""
        high = max([self.high, *seen])
        return FeedCursor(high, first_position, high)
