"""Specification of the publication state machine of a service item."""

from __future__ import annotations

import itertools

import pytest

from services_catalog.codes import STATUSES
from services_catalog.lifecycle import (
    ACTIONS,
    TransitionNotAllowed,
    allowed_actions,
    requires_publish_validation,
    transition,
)

ALLOWED = [
    ("draft", "submit", "pending"),
    ("pending", "withdraw", "draft"),
    ("pending", "reject", "draft"),
    ("pending", "publish", "published"),
    ("published", "suspend", "suspended"),
    ("suspended", "resume", "published"),
    ("draft", "cancel", "cancelled"),
    ("pending", "cancel", "cancelled"),
    ("published", "cancel", "cancelled"),
    ("suspended", "cancel", "cancelled"),
]
ALLOWED_PAIRS = {(current, action) for current, action, _ in ALLOWED}
REFUSED = [pair for pair in itertools.product(STATUSES, ACTIONS) if pair not in ALLOWED_PAIRS]


@pytest.mark.parametrize(("current", "action", "new"), ALLOWED)
def test_allowed_transition(current: str, action: str, new: str) -> None:
    """Each allowed action moves the item to its documented status."""
    assert transition(current, action) == new


@pytest.mark.parametrize(("current", "action"), REFUSED)
def test_refused_transition(current: str, action: str) -> None:
    """Every other status/action pair raises TransitionNotAllowed naming both."""
    with pytest.raises(TransitionNotAllowed) as caught:
        transition(current, action)
    assert (caught.value.current, caught.value.action) == (current, action)


def test_cancelled_is_final() -> None:
    """No action leaves the cancelled status."""
    assert allowed_actions("cancelled") == ()


def test_unknown_action_is_refused() -> None:
    """An action outside the table is refused like any forbidden one."""
    with pytest.raises(TransitionNotAllowed):
        transition("draft", "delete")


def test_allowed_actions_lists_the_table() -> None:
    """allowed_actions agrees with transition for every status."""
    for status in STATUSES:
        assert set(allowed_actions(status)) == {a for s, a in ALLOWED_PAIRS if s == status}


def test_publish_validation_guards_visible_states() -> None:
    """Actions that make an item visible (or queue it for review) need the publish rules."""
    assert [a for a in ACTIONS if requires_publish_validation(a)] == ["submit", "publish", "resume"]


def test_the_authors_of_a_change_are_its_editors_and_submitter_since_the_last_publication():
    """A publish or resume closes a change; edits and the submit after it name the next change's authors."""
    from services_catalog.lifecycle import change_authors

    trail = [("create", "a"), ("update", "b"), ("submit", "c")]
    assert change_authors(trail) == {"a", "b", "c"}
    published = [*trail, ("publish", "d"), ("suspend", "a")]
    assert change_authors(published) == frozenset()
    assert change_authors([*published, ("update", "e")]) == {"e"}
    assert change_authors([*published, ("update", "e"), ("resume", "f"), ("suspend", "a")]) == frozenset()
    assert change_authors([("create", "a"), ("withdraw", "b"), ("reject", "c")]) == {"a"}
