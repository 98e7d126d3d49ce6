"""An application's credit check (公共信用) and the commitment (信用承诺) it was submitted under, if any."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["ApplicationCredit"]


class ApplicationCredit(Base):
    """The outcome of the item's credit rule at submission (only the verdict and standing, never the record), and
    the commitment: which materials are owed, by when, and whether it was kept.

    ``state``: ``owed`` -> ``fulfilled`` (every owed material delivered) or ``broken`` (the due day passed).
    A broken commitment is reported to the credit platform durably: ``report_state`` ``pending`` until the
    platform takes it (retried with the outbox's backoff), then ``reported`` with the platform's entry number.
    """

    __tablename__ = "application_credit"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(24))
    standing: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    commitment_id: Mapped[str | None] = mapped_column(String(48), unique=True)
    owed: Mapped[list[str]] = mapped_column(JSON, default=list)
    delivered: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str | None] = mapped_column(String(12))  # owed | fulfilled | broken
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    report_state: Mapped[str | None] = mapped_column(String(12))  # pending | reported
    report_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_report_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    report_error: Mapped[str] = mapped_column(String(200), default="")
    record_no: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_application_credit_due", "state", "due_on"),
                      Index("ix_application_credit_report", "report_state", "next_report_at"))
