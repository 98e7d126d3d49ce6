"""Online applications (办件): the application as it stands, every step taken, the outbox towards the
department systems, and the citizen's message centre."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["ApplicationRow", "ApplicationEventRow", "OutboxRow", "MessageRow"]


class ApplicationRow(Base):
    """One application: the domain ``applications.Application`` flattened, the form sealed (bound to
    ``public_id``), and where its delivery to the department stands."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    item_code: Mapped[str] = mapped_column(String(80), index=True)
    item_name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    agent: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the holder's recorded authorisation
    state: Mapped[str] = mapped_column(String(24))
    form_enc: Mapped[bytes] = mapped_column(LargeBinary)
    form_key_version: Mapped[int] = mapped_column(Integer)
    time_limit_days: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[dt.date | None] = mapped_column(Date)  # for the back office's filter; None while paused
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivery: Mapped[str | None] = mapped_column(String(16))
    resume_state: Mapped[str | None] = mapped_column(String(24))
    pauses: Mapped[list[list[str | None]]] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(16))  # system (an adapter takes it) | back_office
    delivery_state: Mapped[str] = mapped_column(String(16))  # queued | delivered | dead | back_office
    department_ref: Mapped[str | None] = mapped_column(String(64))
    result_license: Mapped[str | None] = mapped_column(String(64))  # the ledger's public id of an issued license

    __table_args__ = (Index("ix_applications_department_state", "department_code", "state"),)


class ApplicationEventRow(Base):
    """One step of an application's timeline, with its actor; appended, never changed."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    move: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_ref: Mapped[str] = mapped_column(String(64))  # account subject, or the department code
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    message: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (UniqueConstraint("application_id", "seq"),)


class OutboxRow(Base):
    """A delivery owed to a department system, written in the application's transaction; the worker takes it."""

    __tablename__ = "application_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    department_code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))  # pending | done | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_application_outbox_due", "status", "next_attempt_at"),)


class MessageRow(Base):
    """A message in the citizen's message centre (消息中心), about one of their applications."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_messages_account_id", "account_id", "id"),)
