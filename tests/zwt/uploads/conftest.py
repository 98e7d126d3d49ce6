"""Fixtures of the upload tests: a client and a registered citizen on an app built with other settings."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from flask import Flask

from ..conftest import AuthActions


@pytest.fixture
def auth_for() -> Callable[[Flask], tuple[Any, Any]]:
    """(client, registered citizen) of a given app."""
    def make(app: Flask) -> tuple[Any, Any]:
        client = app.test_client()
        return client, AuthActions(client, app).register()
    return make
