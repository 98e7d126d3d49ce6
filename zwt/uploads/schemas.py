"""Response shapes of the materials library (dates as ISO 8601, as in the rest of the API)."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields as ma

__all__ = ["MaterialOut", "MaterialListOut", "UploadedOut"]

_ISO = {"format": "iso"}


class UseOut(Schema):
    """One consented use of the file in an application."""

    reference = ma.String()
    purpose = ma.String(allow_none=True)
    consented_at = ma.DateTime(**_ISO)


class MaterialOut(Schema):
    """A library entry: the citizen's name for it, its type from the bytes, size, digest prefix, uses."""

    id = ma.String()
    name = ma.String()
    type = ma.String()
    size = ma.Integer()
    digest = ma.String()
    created_at = ma.DateTime(**_ISO)
    used_in = ma.List(ma.Nested(UseOut))


class UploadedOut(MaterialOut):
    """A library entry just uploaded, with what the stripping kept of the original."""

    kept = ma.List(ma.String())


class MaterialListOut(Schema):
    """The citizen's library, newest first."""

    items = ma.List(ma.Nested(MaterialOut))
