"""Request and response shapes of the issuing interface and its key administration."""

from __future__ import annotations

from marshmallow import Schema, validate
from marshmallow import fields as ma

from wallet.license_types import REGISTRY

__all__ = ["IssuerKeyIn", "IssuerKeyOut", "IssuerKeyListOut", "RecordOutcomeOut", "PushReportOut"]

_B64 = validate.Regexp(r"^[A-Za-z0-9+/_\-]+={0,2}\Z", error="format")


class IssuerKeyIn(Schema):
    """A department key to register: its id (the signature's ``keyid``), P-256 public key and license types."""

    key_id = ma.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._\-]{1,64}\Z", error="format"))
    public_key = ma.String(required=True, validate=[validate.Length(min=40, max=400), _B64])
    allowed_types = ma.List(ma.String(validate=validate.OneOf(sorted(REGISTRY), error="unknown_license_type")),
                            required=True, validate=validate.Length(min=1, max=len(REGISTRY)))


class IssuerKeyOut(Schema):
    """A registered key."""

    key_id = ma.String()
    department_code = ma.String()
    alg = ma.String()
    public_key = ma.String()
    allowed_types = ma.List(ma.String())
    state = ma.String()
    created_at = ma.DateTime(format="iso")
    revoked_at = ma.DateTime(format="iso", allow_none=True)


class IssuerKeyListOut(Schema):
    """A department's keys."""

    items = ma.List(ma.Nested(IssuerKeyOut))


class RecordOutcomeOut(Schema):
    """What became of one line of a push."""

    line = ma.Integer()
    serial = ma.String(allow_none=True)
    version = ma.Integer(allow_none=True)
    outcome = ma.String()
    reason = ma.String()
    field = ma.String()


class PushReportOut(Schema):
    """The report of a push that was written."""

    department = ma.String()
    received = ma.Integer()
    stored = ma.Integer()
    unchanged = ma.Integer()
    refused = ma.Integer()
    records = ma.List(ma.Nested(RecordOutcomeOut))
