"""Agent authorisations (代办授权): a holder lets another identity-proofed citizen apply for one item for them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["AgentAuthorisationRow"]


class AgentAuthorisationRow(Base):
    """The holder's recorded authorisation of an agent for one item, until it expires or is revoked.

    Neither party's ID number is kept here: the agent was found by the blind index and is named by account.
    """

    __tablename__ = "agent_authorisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    holder_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    agent_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(80))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(8))  # holder (revoked) | agent (declined)
    evidence: Mapped[str] = mapped_column(String(40))  # how the holder's consent was taken
