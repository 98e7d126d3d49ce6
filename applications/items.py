"""What the application domain reads of a catalog item, as a protocol the catalog's ``ServiceItem`` meets.

The domain does not import ``services_catalog``: libraries never import each other (tests/test_boundaries.py),
and only ``zwt`` composes them, handing a catalog item to ``applications`` where this protocol is expected.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from .forms import FormFieldSpec

__all__ = ["HandlingItem"]


class HandlingItem(Protocol):
    """A published item as far as an application needs it: its code, department, limit and form."""

    @property
    def impl_code(self) -> str: ...

    @property
    def department_code(self) -> str: ...

    @property
    def promised_time_limit(self) -> int | None: ...

    @property
    def accepts_online(self) -> bool: ...

    @property
    def form_fields(self) -> Sequence[FormFieldSpec]: ...
