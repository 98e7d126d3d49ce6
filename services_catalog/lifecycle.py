"""The publication state machine of a service item: draft -> pending -> published, suspended, cancelled."""

from __future__ import annotations

from typing import Iterable, Mapping

from services_catalog.codes import (
    STATUS_CANCELLED,
    STATUS_DRAFT,
    STATUS_PENDING,
    STATUS_PUBLISHED,
    STATUS_SUSPENDED,
)

__all__ = ["ACTIONS", "TRANSITIONS", "TransitionNotAllowed", "transition", "allowed_actions",
           "requires_publish_validation", "REVIEWED_ACTIONS", "CONTENT_ACTIONS", "change_authors"]

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
#: Actions that make a change visible to citizens: under the two-person rule, never by its author.
REVIEWED_ACTIONS: tuple[str, ...] = ("publish", "resume")
#: Audit actions that change an item's content (a submit hands the change in; see ``change_authors``).
CONTENT_ACTIONS: tuple[str, ...] = ("create", "update", "import", "sync")


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


def change_authors(events: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Who authored the change a publish or resume would make visible: from ``(action, actor)`` audit events,
    oldest first, everyone who edited or submitted the item since it was last published.

    A publish or resume closes a change (its reviewer saw it); a resume after an edit made while suspended
    names that editor, and a resume with no edit since names nobody.
    """
    authors: set[str] = set()
    for action, actor in events:
        if action in REVIEWED_ACTIONS:
            authors.clear()
        elif action in CONTENT_ACTIONS or action == "submit":
            authors.add(actor)
    return frozenset(authors)
