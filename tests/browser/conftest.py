"""Browser tests of the counter console: Debian's chromium driven by Playwright for Python, the app served on a
free port from a thread, with the test database and fake departments of tests/zwt.

No browser is ever downloaded: the tests use ``/usr/bin/chromium`` (or ``chromium`` on PATH) through
``executable_path``. Without it, or without the ``playwright`` package, they are skipped with the reason, and
``ZWT_REQUIRE_BROWSER=1`` (set by .ci/run) turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from services_catalog.fakes import fake_departments
from tests.zwt.conftest import auth, clock, client, database_url, make_app, redis_url  # noqa: F401 - fixtures
from tests.zwt.wallet.conftest import COUNTER, HALL, World

CHROMIUM_MISSING = "Chromium not found (apt-get install chromium): browser tests skipped"
PLAYWRIGHT_MISSING = "the playwright package is not installed (pip install -e '.[test]'): browser tests skipped"
CLERK_PASSWORD = "Staff2026ok"


def _chromium() -> str | None:
    """Debian's chromium, or another chromium on PATH; never a downloaded browser."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("ZWT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, but ZWT_REQUIRE_BROWSER=1 requires them", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """The chromium to drive, or a skip (a failure when ZWT_REQUIRE_BROWSER=1) naming what is missing."""
    path = _chromium()
    if path is None:
        _unavailable(CHROMIUM_MISSING)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable(PLAYWRIGHT_MISSING)
    assert path is not None
    return path


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """The Playwright driver, one for the session (its sync API allows one per thread)."""
    chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[Any]:
    """Headless Debian chromium, one for the session."""
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
    yield browser
    browser.close()


@pytest.fixture
def departments():
    """Fake police, social security and housing fund departments that know the demo citizens."""
    return fake_departments()


@pytest.fixture
def app(make_app, departments):  # noqa: F811 - the tests/zwt fixture, with departments
    """The app under test, wired to the fake departments."""
    return make_app(departments=departments)


@pytest.fixture
def world(app, client, auth, clock) -> World:  # noqa: F811
    """Citizens, staff and counters acting over the API (the test client) on the served app."""
    return World(app, client, auth, clock)


class _QuietHandler(WSGIRequestHandler):
    """No access-log line per request (a page load is dozens of module requests)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture
def live_url(app) -> Iterator[str]:
    """The app served over HTTP on a free loopback port, from a thread, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def clerk(world) -> str:
    """A clerk at the demo hall and counter; returns the username (the password is CLERK_PASSWORD)."""
    world.auth.staff("clerk", "clerk_counter", password=CLERK_PASSWORD, hall_code=HALL, counter_code=COUNTER)
    return "clerk_counter"


@pytest.fixture
def new_context(browser, live_url) -> Iterator[Any]:
    """Make fresh browser profiles on the live app (service workers allowed; a PC screen unless ``viewport``
    says otherwise), each closed after the test; several stand for several devices."""
    made: list[Any] = []

    def factory(viewport: dict[str, int] | None = None) -> Any:
        ctx = browser.new_context(base_url=live_url, viewport=viewport or {"width": 1366, "height": 768},
                                  service_workers="allow")
        made.append(ctx)
        return ctx

    yield factory
    for ctx in made:
        ctx.close()


@pytest.fixture
def context(new_context) -> Any:
    """A fresh browser profile on the live app (service workers allowed)."""
    return new_context()
