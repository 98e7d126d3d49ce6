"""Response shapes of the wallet endpoints (dates as ISO 8601, as in the rest of the API)."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields as ma

__all__ = ["LicenseOut", "LicenseListOut", "PresentationOut", "DeviceOut", "NonceOut", "LockOut", "AccessLogOut",
           "VerdictOut", "UploadOut", "AdminLicenseOut", "AdminLicenseListOut", "CounterDeviceOut",
           "RefreshOut", "CounterItemOut"]

_ISO = {"format": "iso"}


class FieldOut(Schema):
    """One license field with its labels."""

    label_zh = ma.String()
    label_en = ma.String()
    value = ma.String()


class OrganisationOut(Schema):
    """The organisation a license belongs to when its representative holds it."""

    name = ma.String()
    uscc = ma.String()


class LicenseOut(Schema):
    """A license on record, numbers masked unless revealed."""

    id = ma.String()
    held_as = ma.String()
    organisation = ma.Nested(OrganisationOut, allow_none=True)
    license_type = ma.String()
    name_zh = ma.String()
    name_en = ma.String()
    department_code = ma.String()
    issuer_name = ma.String()
    identifier = ma.String()
    holder_name = ma.String()
    valid_from = ma.Date()
    valid_until = ma.Date(allow_none=True)
    status = ma.String()
    fetched_at = ma.DateTime(**_ISO)
    revealed = ma.Boolean()
    fields = ma.Dict(keys=ma.String(), values=ma.Nested(FieldOut))
    profiles = ma.Dict(keys=ma.String(), values=ma.List(ma.String()))


class LicenseListOut(Schema):
    """The citizen's licenses."""

    items = ma.List(ma.Nested(LicenseOut))
    identity_verified = ma.Boolean()
    proofing_level = ma.Integer()
    licenses_released = ma.Boolean()


class SourceOut(Schema):
    """How one department answered a refresh."""

    state = ma.String()
    count = ma.Integer()


class RefreshOut(LicenseListOut):
    """Licenses after a refresh, with each department's state."""

    sources = ma.Dict(keys=ma.String(), values=ma.Nested(SourceOut))


class PresentationOut(Schema):
    """A signed QD1 presentation and where its QR images are."""

    id = ma.String()
    license_id = ma.String()
    qd1 = ma.String()
    holder_bound = ma.Boolean()
    device_id = ma.String(allow_none=True)
    profile = ma.String()
    impl_code = ma.String(allow_none=True)
    fields = ma.List(ma.String())
    kid = ma.String()
    issued_at = ma.DateTime(**_ISO)
    expires_at = ma.DateTime(**_ISO)
    png_url = ma.String()
    svg_url = ma.String()


class DeviceOut(Schema):
    """A registered phone."""

    id = ma.String()
    name = ma.String()
    kid = ma.String()
    created_at = ma.DateTime(**_ISO)


class CounterDeviceOut(DeviceOut):
    """A registered counter device."""

    hall_code = ma.String()
    counter_code = ma.String()


class NonceOut(Schema):
    """A single-use nonce for proof of possession."""

    nonce = ma.String()
    expires_in = ma.Integer()


class LockOut(Schema):
    """The result of locking the wallet."""

    locked = ma.Boolean()
    locked_at = ma.DateTime(**_ISO)
    devices_removed = ma.Integer()
    credentials_suspended = ma.Integer()
    sessions_ended = ma.Integer()


class AccessLogEntryOut(Schema):
    """One look at a license."""

    id = ma.Integer()
    at = ma.DateTime(**_ISO)
    event = ma.String()
    source = ma.String()
    license_id = ma.String(allow_none=True)
    license_type = ma.String(allow_none=True)
    actor_role = ma.String(allow_none=True)
    actor_name = ma.String(allow_none=True)
    hall_code = ma.String(allow_none=True)
    counter_code = ma.String(allow_none=True)
    impl_code = ma.String(allow_none=True)
    fields = ma.List(ma.String())
    verdict = ma.String(allow_none=True)
    reported_by = ma.String(allow_none=True)


class AccessLogOut(Schema):
    """A page of the access log, newest first."""

    items = ma.List(ma.Nested(AccessLogEntryOut))
    next_before = ma.Integer(allow_none=True)


class VerdictOut(Schema):
    """A verification verdict for the counter's screen."""

    valid = ma.Boolean()
    reason = ma.String(allow_none=True)
    message_zh = ma.String()
    message_en = ma.String()
    license_type = ma.String(allow_none=True)
    license_id = ma.String(allow_none=True)
    holder_bound = ma.Boolean()
    kid = ma.String(allow_none=True)
    fields = ma.Dict(keys=ma.String(), values=ma.String())
    warnings = ma.List(ma.String())


class RefusedRecordOut(Schema):
    """A record of an upload that was not believed, and why."""

    index = ma.Integer()
    record_id = ma.String()
    field = ma.String()
    reason = ma.String()
    message = ma.String()


class CounterItemOut(Schema):
    """A service item a counter can pick: what it is and the wallet fields it needs per license type."""

    impl_code = ma.String()
    name = ma.String()
    department_name = ma.String()
    needs = ma.Dict(keys=ma.String(), values=ma.List(ma.String()))


class UploadOut(Schema):
    """What an upload accepted, stored and refused."""

    batch_id = ma.String()
    received = ma.Integer()
    accepted = ma.Integer()
    stored = ma.Integer()
    refused = ma.List(ma.Nested(RefusedRecordOut))
    duplicate = ma.Boolean()


class AdminLicenseOut(Schema):
    """A license as its department's admin sees it."""

    identifier = ma.String()
    license_type = ma.String()
    department_code = ma.String()
    issuer_name = ma.String()
    status = ma.String()
    status_changed_at = ma.DateTime(allow_none=True, **_ISO)
    valid_from = ma.Date()
    valid_until = ma.Date(allow_none=True)


class AdminLicenseListOut(Schema):
    """The department's licenses matching a lookup."""

    items = ma.List(ma.Nested(AdminLicenseOut))
