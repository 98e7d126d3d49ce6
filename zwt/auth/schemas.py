"""Request and response shapes of the account endpoints."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from wallet.identifiers import InvalidIdentifier, normalize_resident_id

from .passwords import password_problem

__all__ = ["RegisterIn", "RegisterConfirmIn", "LoginIn", "AccountOut", "TokenPairOut", "RegisteredOut",
           "ChallengeOut", "CodeIn", "ChallengeIn", "ResetIn", "ResetConfirmIn", "RecoverIn", "StepUpIn",
           "StepUpOut", "PasswordChangeIn", "PasswordChangedOut", "SessionOut", "SessionListOut", "SessionsEndedOut",
           "EvidenceIn", "LevelOut", "IdentityCheckIn", "IdentityOut", "PHONE_RE", "NAME_RE", "check_resident_id"]

PHONE_RE = re.compile(r"^1[3-9][0-9]{9}\Z")
NAME_RE = re.compile(r"^[\u3400-\u9fff\u00b7A-Za-z ]{2,30}\Z")


def check_resident_id(value: str) -> None:
    """A marshmallow check of a resident ID number: ``format``, ``check_digit`` or ``birth_date`` when wrong."""
    try:
        normalize_resident_id(value)
    except InvalidIdentifier as exc:
        raise ValidationError(exc.reason if exc.reason in {"check_digit", "birth_date"} else "format") from exc


class RegisterIn(Schema):
    """A citizen signing up with real name, resident ID number, phone and password."""

    name = fields.String(required=True, validate=validate.Regexp(NAME_RE, error="format"))
    id_number = fields.String(required=True)
    phone = fields.String(required=True, validate=validate.Regexp(PHONE_RE, error="format"))
    password = fields.String(required=True, load_only=True)

    @validates("id_number")
    def _check_id(self, value: str, **_: Any) -> None:
        check_resident_id(value)

    @validates_schema(skip_on_field_errors=False)
    def _check_password(self, data: dict[str, Any], **_: Any) -> None:
        """Check the password policy with the other fields, so a sign-up hears of every problem at once."""
        if "password" in data:
            problem = password_problem(data["password"], forbidden=(data.get("phone", ""), data.get("id_number", "")))
            if problem:
                raise ValidationError(problem, "password")


_CHALLENGE = validate.Regexp(r"^sms_[0-9a-f]{32}\Z", error="format")
_CODE = validate.Regexp(r"^[0-9]{6}\Z", error="format")
_EVIDENCE = validate.Length(min=1, max=512)


class CodeIn(Schema):
    """A one-time code and the challenge it answers."""

    challenge_id = fields.String(required=True, validate=_CHALLENGE)
    code = fields.String(required=True, validate=_CODE)


class RegisterConfirmIn(CodeIn):
    """The registration's code; optionally face-check evidence, for a phone not in the person's own name."""

    evidence = fields.String(validate=_EVIDENCE)


def _check_new_password(data: dict[str, Any]) -> None:
    problem = password_problem(data["new_password"]) if "new_password" in data else None
    if problem:
        raise ValidationError(problem, "new_password")


class ResetIn(Schema):
    """Who forgot their password: phone, ID number or staff username."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=64))


class ResetConfirmIn(CodeIn):
    """The reset code and the new password."""

    new_password = fields.String(required=True, load_only=True)

    @validates_schema(skip_on_field_errors=False)
    def _check_password(self, data: dict[str, Any], **_: Any) -> None:
        _check_new_password(data)


class RecoverIn(Schema):
    """A lost phone: name, ID number, face-check evidence and the new password."""

    name = fields.String(required=True, validate=validate.Regexp(NAME_RE, error="format"))
    id_number = fields.String(required=True)
    evidence = fields.String(required=True, validate=_EVIDENCE)
    new_password = fields.String(required=True, load_only=True)

    @validates("id_number")
    def _check_id(self, value: str, **_: Any) -> None:
        check_resident_id(value)

    @validates_schema(skip_on_field_errors=False)
    def _check_password(self, data: dict[str, Any], **_: Any) -> None:
        _check_new_password(data)


class StepUpIn(Schema):
    """A second factor for this sign-in: an SMS code (``challenge_id`` + ``code``) or face evidence."""

    challenge_id = fields.String(validate=_CHALLENGE)
    code = fields.String(validate=_CODE)
    evidence = fields.String(validate=_EVIDENCE)

    @validates_schema(skip_on_field_errors=True)
    def _one_factor(self, data: dict[str, Any], **_: Any) -> None:
        if "evidence" in data:
            if "challenge_id" in data or "code" in data:
                raise ValidationError("one_of_code_or_evidence", "evidence")
            return
        for name in ("challenge_id", "code"):
            if name not in data:
                raise ValidationError("required", name)


class StepUpOut(Schema):
    """An access token of the same sign-in that proves the second factor."""

    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    amr = fields.List(fields.String())


class ChallengeIn(Schema):
    """Which code to send to the account's own phone."""

    purpose = fields.String(required=True, validate=validate.OneOf(("step_up", "phone"), error="one_of"))


class ChallengeOut(Schema):
    """A code is on its way: the challenge to answer and how long the code lives."""

    challenge_id = fields.String()
    expires_in = fields.Integer()
    phone_masked = fields.String()


class PasswordChangeIn(Schema):
    """The current password and the new one."""

    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=128))
    new_password = fields.String(required=True, load_only=True)

    @validates_schema(skip_on_field_errors=False)
    def _check_password(self, data: dict[str, Any], **_: Any) -> None:
        _check_new_password(data)


class PasswordChangedOut(Schema):
    """How many other sessions the change ended."""

    sessions_ended = fields.Integer()


class SessionOut(Schema):
    """One sign-in of the account."""

    id = fields.String()
    created_at = fields.DateTime(format="iso")
    last_used_at = fields.DateTime(format="iso")
    address = fields.String()
    user_agent = fields.String()
    current = fields.Boolean()


class SessionListOut(Schema):
    """The account's active sessions."""

    items = fields.List(fields.Nested(SessionOut))


class SessionsEndedOut(Schema):
    """How many sessions were ended."""

    sessions_ended = fields.Integer()


class EvidenceIn(Schema):
    """Face-check evidence from the face SDK on the phone."""

    evidence = fields.String(required=True, validate=_EVIDENCE)


class LevelOut(Schema):
    """The account's proofing level after a check, and what the carrier said (if it was asked)."""

    proofing_level = fields.Integer()
    carrier_check = fields.String()


class IdentityCheckIn(Schema):
    """The real name to check against the police records for the account's ID number."""

    name = fields.String(required=True, validate=validate.Regexp(NAME_RE, error="format"))


class IdentityOut(Schema):
    """The outcome of a real-name check."""

    outcome = fields.String()
    identity_verified = fields.Boolean()
    proofing_level = fields.Integer()


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
    proofing_level = fields.Integer()
    proofing_level_name = fields.String()
    phone_verified = fields.Boolean()
    licenses_released_at = fields.Integer()
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


class RegisteredOut(TokenPairOut):
    """A new account, signed in, with what each proofing check said."""

    account = fields.Nested(AccountOut)
    identity_check = fields.String()
    carrier_check = fields.String()
    liveness_check = fields.String()
