"""Test doubles shipped with the library (as ``structlog.testing``): virtual time and fake departments."""

from __future__ import annotations

from .fakes import FakeDepartment, FakeDepartments, FakeLicenseFeed, fake_departments
from .sandbox.citizens import DEMO_CITIZENS, UNKNOWN_CITIZEN, DemoCitizen
from .sandbox.script import Behaviour, Call, Script
from .virtual_time import ManualClock, VirtualTimeDeadlock, VirtualTimeExecutor

__all__ = [
    "ManualClock",
    "VirtualTimeExecutor",
    "VirtualTimeDeadlock",
    "FakeDepartment",
    "FakeDepartments",
    "fake_departments",
    "FakeLicenseFeed",
    "Script",
    "Behaviour",
    "Call",
    "DemoCitizen",
    "DEMO_CITIZENS",
    "UNKNOWN_CITIZEN",
]
