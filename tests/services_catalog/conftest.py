"""Virtual time for the tests that run departments through the aggregator (each module supplies ``departments``)."""

from __future__ import annotations

from typing import Iterator

import pytest

from services_catalog.sandbox import SandboxDepartments
from services_catalog.testing import ManualClock, VirtualTimeExecutor


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when every thread waits on it."""
    return ManualClock()


@pytest.fixture
def executor(clock: ManualClock, departments: SandboxDepartments) -> Iterator[VirtualTimeExecutor]:
    """The aggregator's pool on the virtual clock; on teardown hung and sleeping calls are let finish."""
    ex = clock.executor()
    yield ex
    departments.release_all()
    clock.advance(1000.0)  # let sleeping background work finish so every thread ends
    ex.shutdown()
