"""Idempotency keys: the first answer to a POST, kept under the key the client sent with it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["IdempotencyKey"]


class IdempotencyKey(Base):
    """One ``Idempotency-Key`` of one account on one operation: the request's fingerprint and, once it
    succeeded, its answer (sealed: answers may carry a credential); ``status`` is NULL while it runs."""

    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)  # the operation, e.g. "presentation"
    owner: Mapped[str] = mapped_column(String(64), primary_key=True)  # the account's subject
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and body
    status: Mapped[int | None] = mapped_column(Integer)
    response_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # JSON {body, mimetype, location}, sealed
    response_key_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
