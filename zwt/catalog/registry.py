"""The department register (the ``departments`` table): the only source of the name an item is shown under.

A department's name is never taken from an item document, an import row or a department's feed: the item
names its ``department_code`` and the register names the department, so nobody can publish an item that
reads as another department's.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Department

__all__ = ["registry_name", "registry_names"]


def registry_name(sess: Session, code: str) -> str | None:
    """The registered name of a department, or None when the register does not know the code."""
    return sess.scalar(select(Department.name).where(Department.code == code))


def registry_names(sess: Session, codes: Iterable[str]) -> dict[str, str]:
    """The registered names of several departments (codes the register does not know are left out)."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = sess.execute(select(Department.code, Department.name).where(Department.code.in_(wanted)))
    return {code: name for code, name in rows}
