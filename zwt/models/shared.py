"""Short-lived shared state (token blocklist, throttle counters, replay cache) when Redis is absent."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

__all__ = ["SharedEntry"]


class SharedEntry(Base):
    """A counter or marker under a key that stops counting at ``expires_at`` (POSIX seconds)."""

    __tablename__ = "shared_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
