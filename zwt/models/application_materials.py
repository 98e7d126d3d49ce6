"""The materials an application was submitted with (免证办, 数据共享, 材料库): per material, what satisfied it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["ApplicationMaterial"]


class ApplicationMaterial(Base):
    """One material of a submitted application: the way that satisfied it and its reference (a license's public
    id, a shared record's id, a consented library file's use), the fields it discloses, its digest, and for a
    license the ``QD1:`` credential the department receives, sealed to the row."""

    __tablename__ = "application_materials"
    __table_args__ = (UniqueConstraint("application_id", "name", name="uq_application_materials_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # license | shared_data | upload
    reference: Mapped[str] = mapped_column(String(64))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    digest: Mapped[str | None] = mapped_column(String(64))
    credential_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    credential_key_version: Mapped[int | None] = mapped_column(Integer)
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
