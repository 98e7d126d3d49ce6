"""Query and response shapes of the citizen-facing catalog endpoints."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from services_catalog.codes import HANDLING_TYPES, ITEM_TYPES, PERSONAS

from ..http import query_flag
from .search import SORTS

__all__ = ["SearchArgs", "LifeEventArgs", "SuggestArgs", "ItemSummary"]


def _department() -> fields.String:
    """The department filter, as every list endpoint takes it."""
    return fields.String(validate=validate.Length(min=1, max=40))


def _region() -> fields.String:
    """The region filter: a six-digit administrative division code."""
    return fields.String(validate=validate.Regexp(r"^[0-9]{6}\Z"))


class SearchArgs(Schema):
    """Query parameters of GET /services; unknown parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="", validate=validate.Length(max=64))
    department = _department()
    theme = fields.String(validate=validate.Length(min=1, max=60))
    life_event = fields.String(validate=validate.Length(min=1, max=60))
    persona = fields.String(validate=validate.OneOf(sorted(PERSONAS)))
    item_type = fields.String(validate=validate.OneOf(sorted(ITEM_TYPES)))
    online_depth = fields.Integer(validate=validate.Range(min=0, max=4))
    zero_visits = query_flag()
    e_license_exempt = query_flag()
    handling_type = fields.String(validate=validate.OneOf(sorted(HANDLING_TYPES)))
    region = _region()
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=500))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=50))


class LifeEventArgs(Schema):
    """Query parameters of GET /life-events/{code}: the filters that make sense within one life event."""

    class Meta:
        unknown = EXCLUDE

    department = _department()
    region = _region()


class SuggestArgs(Schema):
    """Query parameters of GET /search/suggest."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(required=True, validate=validate.Length(min=1, max=64))
    limit = fields.Integer(load_default=8, validate=validate.Range(min=1, max=20))


class ItemSummary(Schema):
    """An item in a result list."""

    impl_code = fields.String()
    name = fields.String()
    short_name = fields.String()
    department_code = fields.String()
    department_name = fields.String()
    region_code = fields.String()
    item_type = fields.String()
    handling_type = fields.String()
    online_depth = fields.Integer()
    visit_count = fields.Integer()
    e_license_exempt = fields.Boolean()
    themes = fields.List(fields.String())
    popularity = fields.Integer()
    highlight = fields.List(fields.List(fields.Integer()))
