"""Request bodies and arguments of the rating routes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

__all__ = ["RatingIn", "AnswerIn", "ResponseIn", "FollowUpArgs", "StatsArgs", "FOLLOW_UP_STATES"]

FOLLOW_UP_STATES = ("open", "answered", "resolved", "unresolved")
_TEXT = validate.Length(max=1000)


class RatingIn(Schema):
    """A rating: the level (5 非常满意 … 1 非常不满意), optional tags and a comment."""

    level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=20)), load_default=list,
                       validate=validate.Length(max=10))
    comment = fields.String(load_default="", validate=_TEXT)


class AnswerIn(Schema):
    """The department's answer to a follow-up."""

    answer = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ResponseIn(Schema):
    """The citizen's response to the department's answer."""

    satisfied = fields.Boolean(required=True)
    response = fields.String(load_default="", validate=_TEXT)


class FollowUpArgs(Schema):
    """Filters of the department's follow-up list."""

    state = fields.String(load_default=None, validate=validate.OneOf(FOLLOW_UP_STATES))
    overdue = fields.Boolean(load_default=None)


class StatsArgs(Schema):
    """The statistics query: grouped per item or per department, one code or all, over a period of dates."""

    group = fields.String(load_default="item", validate=validate.OneOf(("item", "department")))
    key = fields.String(load_default=None, data_key="code", validate=validate.Length(min=1, max=80))
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)
