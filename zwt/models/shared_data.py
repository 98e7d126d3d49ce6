"""Shared department data as fetched (数据共享): one row per version of a citizen's record of one source."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["SharedDataRecord"]


class SharedDataRecord(Base):
    """A version of what a department shares about a citizen; a refetch that changed it adds the next version.

    ``digest`` is the SHA-256 of the record's canonical serialisation (``services_catalog.shared_records``);
    ``previous_digest`` the digest of the version it replaced. The record itself is AES-GCM sealed to the row.
    """

    __tablename__ = "shared_data_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    source: Mapped[str] = mapped_column(String(40))
    department_code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    previous_digest: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())  # when this version was first fetched
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())  # the last fetch that found it unchanged
    record_enc: Mapped[bytes] = mapped_column(LargeBinary)
    record_key_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("account_id", "source", "version", name="uq_shared_data_records_version"),
        Index("ix_shared_data_records_account_source", "account_id", "source"),
    )
