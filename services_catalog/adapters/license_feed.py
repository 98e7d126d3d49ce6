"""Adapter for a department's license change feed (standard issuing contract, #21).

``GET {base}/licenses/changes?since=CURSOR&limit=N`` answers ``{"records": [...], "cursor": "...",
"has_more": bool}``. Only the page's shape is checked here (an object per record): the platform validates
each record and reports a bad one without stalling the feed on it. Transport failures and HTTP errors map
to the department error family like every adapter's.
"""

from __future__ import annotations

from ..ports import LicenseFeedPage
from .transport import HttpDepartment
from .wire import Reader

__all__ = ["LicenseFeedAdapter", "CHANGES_PATH"]

CHANGES_PATH = "/licenses/changes"


class LicenseFeedAdapter(HttpDepartment):
    """Pulls a department's issued licenses page by page, from the cursor the platform keeps."""

    def fetch_licenses(self, since: str | None, *, limit: int, timeout: float) -> LicenseFeedPage:
        """Return up to ``limit`` records after ``since`` (None: from the beginning) and the next cursor."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        params: dict[str, str | int] = {"limit": limit}
        if since is not None:
            params["since"] = since
        response = self._send("GET", CHANGES_PATH, timeout=timeout, params=params)
        self._raise_for_status(response)
        read = Reader(self.department_code)
        data = read.obj(self._json(response), "body")
        records = tuple(dict(read.obj(raw, f"body.records[{i}]"))
                        for i, raw in enumerate(read.array(data, "records", "body")))
        if len(records) > limit:
            raise read.fail(f"body.records: {len(records)} records, more than the limit {limit}")
        has_more = read.boolean(data, "has_more", "body")
        if has_more and not records:
            raise read.fail("body.has_more: true on an empty page (the pull would never end)")
        return LicenseFeedPage(records, read.string(data, "cursor", "body"), has_more)
