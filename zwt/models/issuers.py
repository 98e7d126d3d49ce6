"""Departments that issue licenses through the standard interface: their request-signing keys, the ledger of
every license they issued (sealed; holders by blind index only) and the watermark of each pulled feed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["IssuerKey", "IssuedLicense", "IssuerFeedState"]


class IssuerKey(Base):
    """A department's public key for signing push requests (HTTP Message Signatures), registered by a platform
    admin; it may push only ``allowed_types``. Revoked keys stay for the record and never verify again."""

    __tablename__ = "issuer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)  # the signature's ``keyid``
    department_code: Mapped[str] = mapped_column(String(40), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # SPKI DER, P-256
    alg: Mapped[str] = mapped_column(String(24))
    allowed_types: Mapped[list[str]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), default="active")  # active | revoked
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class IssuedLicense(Base):
    """One license in a department's ledger: newest version, state and content, the record AES-GCM sealed
    (bound to ``public_id``). The serial and the linking resident ID number are blind indexes (a serial is
    often an ID number); ``content_digest`` is keyed too, so no column reveals personal data."""

    __tablename__ = "issuer_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    department_code: Mapped[str] = mapped_column(String(40))
    license_type: Mapped[str] = mapped_column(String(40))
    serial_bidx: Mapped[str] = mapped_column(String(64))  # the wallet's serial index (``license_serial``)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))  # valid | suspended | revoked | expired
    holder_bidx: Mapped[str] = mapped_column(String(64))  # blind index of the linking resident ID number
    # whose license it is, by blind index: the person's ID number, or the organisation's credit code (whose
    # legal representative, ``holder_bidx``, may change)
    holder_key: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    content_digest: Mapped[str] = mapped_column(String(64))
    record_enc: Mapped[bytes] = mapped_column(LargeBinary)
    record_key_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("department_code", "license_type", "serial_bidx", name="uq_issuer_ledger_serial"),
        Index("ix_issuer_ledger_holder", "holder_bidx"),
    )


class IssuerFeedState(Base):
    """Where the last pull of a department's license feed stopped (the cursor the next pull resumes from)."""

    __tablename__ = "issuer_feed_state"

    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(500))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_outcome: Mapped[str] = mapped_column(String(200), default="")
