"""The one exception per failure area of the application domain, each carrying what the edge needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = ["ApplicationError", "IllegalMove", "MoveRefused", "FieldProblem", "FormInvalid", "CalendarFileInvalid"]


class ApplicationError(ValueError):
    """Base of every refusal the application domain raises."""


class IllegalMove(ApplicationError):
    """A move that the application's state does not allow; ``legal`` names the moves it does allow."""

    def __init__(self, move: str, state: str, legal: Iterable[str]) -> None:
        self.move, self.state, self.legal = move, state, tuple(sorted(legal))
        super().__init__(f"move {move!r} is not allowed in state {state!r}; legal moves: {', '.join(self.legal)}")


class MoveRefused(ApplicationError):
    """A legal move refused for what it carries (actor not entitled, reason missing); ``field`` is at fault."""

    def __init__(self, field: str, code: str, message: str) -> None:
        self.field, self.code = field, code
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class FieldProblem:
    """One form field at fault: its path (``form.name``), a code and an English message."""

    field: str
    code: str
    message: str


class FormInvalid(ApplicationError):
    """Form data that the item's form fields do not accept; ``problems`` names every field at fault."""

    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("FormInvalid needs at least one problem")
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))


class CalendarFileInvalid(ApplicationError):
    """The city holiday file cannot be read; the message names the line or key at fault."""
