"""Request and response shapes of the wallet, verifier and license-admin endpoints."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, validate, validates_schema
from marshmallow import fields as ma

from wallet.license_types import PROFILES, REGISTRY

from ..http import query_flag

__all__ = ["plausible_id", "PresentationIn", "DeviceIn", "VerifyIn", "LogUploadIn",
           "LogBatchPayload", "StatusChangeIn", "LicenseLookupQuery", "AccessLogQuery", "LicenseQuery"]

_ID = validate.Regexp(r"^[A-Za-z0-9_\-]{1,64}\Z", error="format")
_B64 = validate.Regexp(r"^[A-Za-z0-9+/_\-]+={0,2}\Z", error="format")
# Text that reaches the database: no control characters (PostgreSQL refuses NUL in text).
_TEXT = validate.Regexp(r"^[^\x00-\x1f\x7f]*\Z", error="format")


_PATH_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,120}\Z")


def plausible_id(value: str) -> bool:
    """Whether a path id could name anything (else it is a 404 without touching the database)."""
    return bool(_PATH_ID.match(value))


class PresentationIn(Schema):
    """Which disclosure to sign: a named profile or a service item's needs, and optionally which device."""

    profile = ma.String(validate=validate.OneOf(PROFILES))
    impl_code = ma.String(validate=[validate.Length(min=1, max=80), _TEXT])
    device_id = ma.String(validate=_ID)

    @validates_schema
    def _one_purpose(self, data: dict[str, Any], **_: Any) -> None:
        """Refuse a body naming both a profile and a service item."""
        if "profile" in data and "impl_code" in data:
            raise ValidationError("one_of_profile_or_impl_code", "impl_code")


class DeviceIn(Schema):
    """A device key (base64 SPKI DER, P-256) and its signature over the server nonce."""

    name = ma.String(required=True, validate=[validate.Length(min=1, max=60), _TEXT])
    public_key = ma.String(required=True, validate=[validate.Length(min=40, max=400), _B64])
    nonce = ma.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_\-]{8,64}\Z", error="format"))
    signature = ma.String(required=True, validate=[validate.Length(min=40, max=200), _B64])


class VerifyIn(Schema):
    """A scanned QD1 text and, optionally, the service item the counter is handling."""

    qd1 = ma.String(required=True, validate=validate.Length(min=1, max=4000))
    impl_code = ma.String(validate=[validate.Length(min=1, max=80), _TEXT])


class LogUploadIn(Schema):
    """A batch of offline verifications: the JSON payload (base64) and the counter device's signature of it."""

    payload = ma.String(required=True, validate=[validate.Length(min=4, max=2_000_000), _B64])
    signature = ma.String(required=True, validate=[validate.Length(min=40, max=200), _B64])


class LogRecord(Schema):
    """One offline verification as the counter recorded it."""

    record_id = ma.String(required=True, validate=_ID)
    verified_at = ma.AwareDateTime(required=True)
    license_id = ma.String(load_default=None, allow_none=True, validate=[validate.Length(max=120), _TEXT])
    license_type = ma.String(load_default=None, allow_none=True, validate=[validate.Length(max=40), _TEXT])
    # "valid" or a wallet.verdict reason (some have digits: not_qd1, bad_base45)
    verdict = ma.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{1,40}\Z", error="format"))
    fields = ma.List(ma.String(validate=[validate.Length(max=40), _TEXT]), load_default=list,
                     validate=validate.Length(max=40))
    impl_code = ma.String(load_default=None, allow_none=True, validate=[validate.Length(max=80), _TEXT])


class LogBatchPayload(Schema):
    """The signed part of an upload: which counter device, which batch, which records."""

    batch_id = ma.String(required=True, validate=_ID)
    device_id = ma.String(required=True, validate=_ID)
    hall_code = ma.String(required=True, validate=[validate.Length(min=1, max=40), _TEXT])
    counter_code = ma.String(required=True, validate=[validate.Length(min=1, max=40), _TEXT])
    records = ma.List(ma.Nested(LogRecord), required=True, validate=validate.Length(min=1, max=5000))


class StatusChangeIn(Schema):
    """A department admin's status change and why."""

    action = ma.String(required=True, validate=validate.OneOf(["revoke", "suspend", "reinstate"]))
    reason = ma.String(required=True, validate=[validate.Length(min=1, max=200), _TEXT])


class LicenseLookupQuery(Schema):
    """A department admin's lookup by the department's own serial (e.g. a driving licence's archive number)."""

    license_type = ma.String(required=True, validate=validate.OneOf(sorted(REGISTRY)))
    serial = ma.String(required=True, validate=[validate.Length(min=1, max=64), _TEXT])


class AccessLogQuery(Schema):
    """Paging of the access log: newest first, ``before`` an entry id."""

    limit = ma.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    before = ma.Integer(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))


class LicenseQuery(Schema):
    """``reveal=true`` (or ``1``) shows full numbers (needs a fresh login); only true/false/1/0 are booleans here."""

    reveal = query_flag(load_default=False)
