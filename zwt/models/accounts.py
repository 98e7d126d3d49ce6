"""Accounts of every role, and the refresh-token families that keep them signed in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["Account", "RefreshToken", "ROLES"]

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
    status: Mapped[str] = mapped_column(String(16), default="active")
    identity_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
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
