"""Service ratings (好差评): one rating per concluded application, and the follow-up a bad rating opens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["RatingRow"]


class RatingRow(Base):
    """The applicant's rating of one application (changeable for a while), with its follow-up if it was bad.

    The comment is kept already screened (ID and phone numbers masked), so no reader ever meets them.
    """

    __tablename__ = "service_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(80))
    department_code: Mapped[str] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(Integer)  # 5 非常满意 … 1 非常不满意
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())  # the first rating: the change window counts from it
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # the follow-up (整改回访) a bad rating opens: open -> answered -> responded
    follow_up: Mapped[str | None] = mapped_column(String(12))
    follow_up_due: Mapped[dt.date | None] = mapped_column(Date)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_service_ratings_changed", "changed_at"),
                      Index("ix_service_ratings_follow_up", "department_code", "follow_up"))
