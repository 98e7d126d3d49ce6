"""Form data against an item's form fields: what the citizen typed, checked before anything is stored.

The field definitions live in the catalog (``services_catalog.items.FormField``); this module reads them
through the ``FormFieldSpec`` protocol, so the application domain does not import the catalog library.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Mapping, Protocol

from .errors import FieldProblem, FormInvalid

__all__ = ["FormFieldSpec", "FIELD_TYPES", "check_form", "MAX_FORM_TEXT"]

# The catalog validates definitions against the same table (services_catalog.codes.FORM_FIELD_TYPES).
FIELD_TYPES = ("text", "number", "date", "choice", "boolean")
MAX_FORM_TEXT = 500


class FormFieldSpec(Protocol):
    """What the domain reads of a catalog form field (``services_catalog.items.FormField`` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def required(self) -> bool: ...

    @property
    def options(self) -> tuple[str, ...]: ...

    @property
    def pattern(self) -> str: ...


def _value_problem(spec: FormFieldSpec, value: Any) -> str | None:
    if spec.type == "boolean":
        return None if isinstance(value, bool) else "must be true or false"
    if spec.type == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15
        return None if ok else "must be a number"
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > MAX_FORM_TEXT:
        return f"must be at most {MAX_FORM_TEXT} characters"
    if spec.type == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "must be a date written YYYY-MM-DD"
    if spec.type == "choice" and value not in spec.options:
        return f"must be one of {', '.join(spec.options)}"
    if spec.pattern and re.fullmatch(spec.pattern, value) is None:
        return "does not match the expected format"
    return None


def check_form(fields: Iterable[FormFieldSpec], data: Mapping[str, Any], *, partial: bool = False,
               prefix: str = "form.") -> dict[str, Any]:
    """The form data the fields accept; ``FormInvalid`` naming every field at fault (unknown ones too).

    ``partial`` checks a correction: only the fields given, none required.
    """
    specs = {f.name: f for f in fields}
    problems = [FieldProblem(f"{prefix}{name}", "unknown_field", "is not a field of this item's form")
                for name in data if name not in specs]
    accepted: dict[str, Any] = {}
    for name, spec in specs.items():
        value = data.get(name)
        if value is None or value == "":
            if spec.required and not partial:
                problems.append(FieldProblem(f"{prefix}{name}", "required", "is required"))
            continue
        problem = _value_problem(spec, value)
        if problem is None:
            accepted[name] = value
        else:
            problems.append(FieldProblem(f"{prefix}{name}", "invalid", problem))
    if problems:
        raise FormInvalid(problems)
    return accepted
