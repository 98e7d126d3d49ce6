"""Accounts of every role, their sign-in sessions (refresh-token families) and pending SMS challenges."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["Account", "RefreshToken", "AccountSession", "SmsChallenge", "ROLES"]

ROLES = ("citizen", "clerk", "dept_admin", "platform_admin")


class Account(Base):
    """A citizen or a staff member; ``subject`` is the opaque id tokens carry, never the ID number."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Resident ID number: AES-GCM ciphertext bound to this row, plus an HMAC blind index for look-ups.
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_key_version: Mapped[int | None] = mapped_column(Integer)
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    department_code: Mapped[str | None] = mapped_column(String(40))
    hall_code: Mapped[str | None] = mapped_column(String(40))
    counter_code: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | disabled | frozen
    # Identity proofing (实名等级, zwt.auth.levels): 0 none, 1 police, 2 phone + carrier, 3 face.
    proofing_level: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    identity_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # police (L1)
    phone_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # an SMS code came back
    carrier_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # carrier three-factor (L2)
    liveness_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # face (L3)
    frozen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # yielded to the proven owner
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class RefreshToken(Base):
    """One issued refresh token; tokens rotated from one login share a ``family``."""

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(String(40), primary_key=True)
    family: Mapped[str] = mapped_column(String(40), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AccountSession(Base):
    """One sign-in: the refresh-token family a login started, where from, and whether it was ended."""

    __tablename__ = "account_sessions"

    family: Mapped[str] = mapped_column(String(40), primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(64))  # the client address the sign-in came from
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(String(24))

    __table_args__ = (Index("ix_account_sessions_account_address", "account_id", "address"),)


class SmsChallenge(Base):
    """A one-time SMS code sent to a phone: to finish a registration, reset a password or step up.

    ``code_hash`` is None when no code was sent (the phone already has an account: it got a notice
    instead), so no code can match. A registration's name, ID number and password hash wait in
    ``payload_enc``, sealed like every ID number at rest.
    """

    __tablename__ = "sms_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))  # register | reset | step_up | phone
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    payload_key_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
