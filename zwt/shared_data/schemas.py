"""Response shapes of the shared-data endpoints (times as ISO 8601, as in the rest of the API)."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields as ma

__all__ = ["SharedDataOut", "SharedRefreshOut"]

_ISO = {"format": "iso"}


class SharedRecordOut(Schema):
    """One stored version of a shared record, personal fields masked."""

    id = ma.String()
    source = ma.String()
    department_code = ma.String()
    version = ma.Integer()
    digest = ma.String()
    previous_digest = ma.String(allow_none=True)
    fetched_at = ma.DateTime(**_ISO)
    checked_at = ma.DateTime(**_ISO)
    data = ma.Dict(keys=ma.String())


class _SourceOut(Schema):
    source = ma.String()
    label_zh = ma.String()
    label_en = ma.String()
    record = ma.Nested(SharedRecordOut, allow_none=True)


class SharedDataOut(Schema):
    """Every source with the newest stored version of the citizen's record."""

    items = ma.List(ma.Nested(_SourceOut))


class _OutcomeOut(_SourceOut):
    state = ma.String()
    reason = ma.String(allow_none=True)
    department_code = ma.String(allow_none=True)
    changed = ma.Boolean(allow_none=True)
    latency_ms = ma.Integer()


class SharedRefreshOut(Schema):
    """The outcome of a refresh, source by source, and how long the look-ups took."""

    elapsed_ms = ma.Integer()
    items = ma.List(ma.Nested(_OutcomeOut))
