"""Uploaded files: each stored blob once by its SHA-256, the citizens' library entries (材料库) that name one,
and the record of each consented use of a library file in an application."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["UploadBlob", "Material", "MaterialUse"]


class UploadBlob(Base):
    """One stored file, by the SHA-256 of its (metadata-stripped) bytes; it goes once nothing refers to it."""

    __tablename__ = "upload_blobs"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # pdf | jpeg | png
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Material(Base):
    """An entry of a citizen's materials library: their name for a stored file."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(ForeignKey("upload_blobs.digest"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # personal numbers in it are masked before it is stored
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("account_id", "digest", name="uq_materials_account_digest"),)


class MaterialUse(Base):
    """A library file the citizen consented to use in an application; it keeps the file even once the library
    entry is deleted, so the department still reads what it was given."""

    __tablename__ = "material_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id", ondelete="SET NULL"), index=True)
    digest: Mapped[str] = mapped_column(ForeignKey("upload_blobs.digest"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str | None] = mapped_column(String(120))  # what it was attached to (an application's id)
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
