"""Fixtures of the materials tests: the shared-data tests' sandboxes and app (a 0.3 s shared-data deadline)."""

from __future__ import annotations

from ..shared_data.test_shared_data import app, departments  # noqa: F401
