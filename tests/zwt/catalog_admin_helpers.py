"""Shared builders for the department registration and import tests: item documents and admin sign-ins."""

from __future__ import annotations

import dataclasses
from typing import Any

from services_catalog.examples import example_item
from services_catalog.impl_code import format_impl_code, parse_impl_code
from services_catalog.items import item_to_dict

BASE = "/api/v1/admin/services"


def impl_code(n: int = 0) -> str:
    """A valid implementation code of the example item's implementer with sequence number ``n``."""
    parts = parse_impl_code(example_item().impl_code)
    assert parts is not None
    return format_impl_code(parts._replace(seq=f"{n:03d}"))


def item_doc(n: int = 0, **overrides: Any) -> dict[str, Any]:
    """A publishable police item document as a department sends it (no status, version or department name:
    those are the service's)."""
    item = dataclasses.replace(example_item(), impl_code=impl_code(n))
    data = item_to_dict(item)
    del data["status"], data["version"], data["department_name"]
    data.update(overrides)
    return data


def register_departments(app: Any) -> None:
    """Fill the department register as ``make run`` does (police 青岛市公安局, housing_fund, hrss, ...)."""
    from zwt.catalog.demo import load_departments
    from zwt.db import session

    with app.app_context():
        load_departments(session())
        session().commit()


def url(code: str, suffix: str = "") -> str:
    """The admin URL of an item, optionally of one of its sub-resources."""
    return f"{BASE}/{code}{'/' + suffix if suffix else ''}"
