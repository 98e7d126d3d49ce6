"""The publication state machine of a service item: draft -> pending -> published, suspended, cancelled."""

from __future__ import annotations

from typing import Mapping

from services_catalog.codes import (
    STATUS_CANCELLED,
    STATUS_DRAFT,
    STATUS_PENDING,
    STATUS_PUBLISHED,
    STATUS_SUSPENDED,
)

__all__ = ["ACTIONS", "TRANSITIONS", "TransitionNotAllowed", "transition", "allowed_actions",
           "requires_publish_validation"]

# (current status, action) -> new status; anything absent is refused.
TRANSITIONS: Mapping[tuple[str, str], str] = {
    (STATUS_DRAFT, "submit"): STATUS_PENDING,
    (STATUS_PENDING, "withdraw"): STATUS_DRAFT,
    (STATUS_PENDING, "reject"): STATUS_DRAFT,
    (STATUS_PENDING, "publish"): STATUS_PUBLISHED,
    (STATUS_PUBLISHED, "suspend"): STATUS_SUSPENDED,
    (STATUS_SUSPENDED, "resume"): STATUS_PUBLISHED,
    (STATUS_DRAFT, "cancel"): STATUS_CANCELLED,
    (STATUS_PENDING, "cancel"): STATUS_CANCELLED,
    (STATUS_PUBLISHED, "cancel"): STATUS_CANCELLED,
    (STATUS_SUSPENDED, "cancel"): STATUS_CANCELLED,
}
ACTIONS: tuple[str, ...] = ("submit", "withdraw", "reject", "publish", "suspend", "resume", "cancel")


class TransitionNotAllowed(ValueError):
    """The action is not allowed from the item's current status (the web edge answers 409)."""

    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"cannot {action} an item that is {current}")
        self.current = current
        self.action = action


def transition(current: str, action: str) -> str:
    """Return the status after ``action``, or raise ``TransitionNotAllowed``; cancelled is final."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionNotAllowed(current, action) from None


def allowed_actions(current: str) -> tuple[str, ...]:
    """Return the actions possible from ``current``, in a stable order, for the admin UI."""
    return tuple(action for action in ACTIONS if (current, action) in TRANSITIONS)


def requires_publish_validation(action: str) -> bool:
    """Tell whether ``action`` leads to a citizen-visible state, so ``validate_for_publish`` must pass."""
    return action in ("submit", "publish", "resume")
