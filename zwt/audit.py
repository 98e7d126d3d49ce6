"""The security audit trail in the log: a request for someone else's object, answered like a missing one.

One warning line on the ``zwt.audit`` logger per denial, naming who asked and what kind of object, never
the object's id or anything about its owner. (A citizen's license also gets a row in their access log,
which they read themselves: see ``wallet_service.licenses.find_own``.)
"""

from __future__ import annotations

import logging

from .models import Account

__all__ = ["access_denied", "EVENT"]

EVENT = "access_denied"
log = logging.getLogger("zwt.audit")


def access_denied(kind: str, actor: Account) -> None:
    """Record that ``actor`` asked for an object of ``kind`` that is not theirs."""
    log.warning("access denied", extra={"event": EVENT, "object": kind, "subject": actor.subject,
                                        "role": actor.role})
