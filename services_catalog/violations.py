"""Rule violations found in a service item, and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

__all__ = ["Violation", "ItemInvalid"]


@dataclass(frozen=True)
class Violation:
    """One broken rule: the field path (``materials[2].e_license_type``), a rule code and messages."""

    field: str
    rule: str
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form used in the API's ``errors`` list."""
        return {"field": self.field, "rule": self.rule, "message_zh": self.message_zh,
                "message_en": self.message_en}


class ItemInvalid(ValueError):
    """A service item cannot be accepted; ``violations`` lists every reason (never empty)."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        if not self.violations:
            raise ValueError("ItemInvalid needs at least one violation")
        first = self.violations[0]
        more = f" (+{len(self.violations) - 1} more)" if len(self.violations) > 1 else ""
        super().__init__(f"{first.field}: {first.rule}: {first.message_en}{more}")
