"""Catalog fixtures: items seeded straight through the repository, as a sync or registration would."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import pytest

from services_catalog.examples import example_item, government_uscc
from services_catalog.impl_code import ImplCode, format_impl_code
from services_catalog.items import Material, ServiceItem
from services_catalog.sandbox import sandbox_departments
from services_catalog.testing import DEMO_CITIZENS, ManualClock
from zwt.catalog.repository import save_item
from zwt.db import session


def make_item(n: int, **overrides: Any) -> ServiceItem:
    """A publishable item with a unique implementation code, changed by ``overrides``."""
    basic = f"371A{n:010d}"
    region = overrides.get("region_code", "370202")
    impl = format_impl_code(ImplCode(basic, f"{region}000000", "000", government_uscc(region, "MB280101"), "1", "00"))
    fields: dict[str, Any] = {"aliases": (), "short_name": "", "status": "published", **overrides}
    return dataclasses.replace(example_item(), impl_code=impl, basic_code=basic, **fields)


@pytest.fixture
def seed(app, clock) -> Callable[..., list[str]]:
    """Store items in the catalog (committed) and return their implementation codes."""

    def store(*items: ServiceItem, popularity: dict[str, int] | None = None) -> list[str]:
        with app.app_context():
            for item in items:
                save_item(session(), item, source="registration", actor="test", action="import", now=clock.now(),
                          popularity=(popularity or {}).get(item.impl_code, 0))
            session().commit()
        return [i.impl_code for i in items]

    return store


SOCIAL_CARD = dict(name="社会保障卡申领", department_code="hrss", department_name="青岛市人力资源和社会保障局",
                   themes=("social_security",), visit_count=0, onsite_reason="", online_depth=4,
                   handling_type="immediate", is_immediate=True, promised_time_limit=0,
                   materials=(Material("居民身份证", e_license_type="id_card", exempt_with_e_license=True),))


LATENCY_MS = {"police": 100, "hrss": 200, "housing_fund": 300}


@pytest.fixture
def virtual(make_app):
    """An app whose departments answer in 100/200/300 ms of virtual time (no real waiting)."""
    clock = ManualClock()
    departments = sandbox_departments(latency_ms=LATENCY_MS, clock=clock)
    executor = clock.executor()
    app = make_app({"ZWT_OVERVIEW_DEADLINE_S": "1.0", "ZWT_DEPARTMENT_TIMEOUT_S": "0.8"},
                   departments=departments, department_clock=clock, department_executor=executor)
    yield app, departments
    departments.release_all()
    clock.advance(1000.0)
    executor.shutdown()
    departments.close()


@pytest.fixture
def demo_citizen(auth):
    """A signed-in citizen the sandbox departments know (registered through the ordinary app)."""
    known = DEMO_CITIZENS[0].citizen
    return auth.register(name=known.name, id_number=known.id_number)
