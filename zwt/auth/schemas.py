"""Request and response shapes of the account endpoints."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from wallet.identifiers import InvalidIdentifier, normalize_resident_id

from .passwords import password_problem

__all__ = ["RegisterIn", "LoginIn", "AccountOut", "TokenPairOut", "PHONE_RE"]

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_NAME_RE = re.compile(r"^[\u3400-\u9fff\u00b7A-Za-z ]{2,30}$")


class RegisterIn(Schema):
    """A citizen signing up with real name, resident ID number, phone and password."""

    name = fields.String(required=True, validate=validate.Regexp(_NAME_RE, error="format"))
    id_number = fields.String(required=True)
    phone = fields.String(required=True, validate=validate.Regexp(PHONE_RE, error="format"))
    password = fields.String(required=True, load_only=True)

    @validates("id_number")
    def _check_id(self, value: str, **_: Any) -> None:
        try:
            normalize_resident_id(value)
        except InvalidIdentifier as exc:
            raise ValidationError(exc.reason if exc.reason in {"check_digit", "birth_date"} else "format") from exc

    @validates_schema(skip_on_field_errors=False)
    def _check_password(self, data: dict[str, Any], **_: Any) -> None:
        """Check the password policy with the other fields, so a sign-up hears of every problem at once."""
        if "password" in data:
            problem = password_problem(data["password"], forbidden=(data.get("phone", ""), data.get("id_number", "")))
            if problem:
                raise ValidationError(problem, "password")


class LoginIn(Schema):
    """Phone, ID number or staff username, and password."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class AccountOut(Schema):
    """What an account may see of itself; numbers masked."""

    subject = fields.String()
    role = fields.String()
    display_name = fields.String()
    phone_masked = fields.String(allow_none=True)
    id_number_masked = fields.String(allow_none=True)
    identity_verified = fields.Boolean()
    department_code = fields.String(allow_none=True)
    hall_code = fields.String(allow_none=True)
    counter_code = fields.String(allow_none=True)
    created_at = fields.DateTime(format="iso")


class TokenPairOut(Schema):
    """An access token and the refresh token that renews it."""

    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    refresh_expires_in = fields.Integer()
