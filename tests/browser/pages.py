"""What every page object of the browser tests shares: opening a page at a given time, waiting on the page's
own state without eval (each page's CSP forbids it), signing in, its service worker, screenshots of each state,
and the axe-core accessibility check."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

TIMEOUT_MS = 20_000
AXE = "/static/vendor/axe-core/axe.min.js"
_AXE_RUN = """axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(
    v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))"""


class BrowserPage:
    """One page of the app in a browser tab (``path``); screenshots of each state go to ``shots``."""

    path = "/"

    def __init__(self, page: Any, shots: Path) -> None:
        self.page, self.shots = page, shots
        self.shots.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []
        self.messages: list[str] = []  # the page's console errors, shown when a wait times out
        page.on("console", lambda msg: self.messages.append(f"{msg.type}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.messages.append(f"pageerror: {exc}"))
        self.page.set_default_timeout(TIMEOUT_MS)

    def wait_until(self, expression: str) -> None:
        """Poll a JavaScript expression until it is true (page.evaluate: the page's CSP forbids eval, which
        Playwright's wait_for_function needs)."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not self.page.evaluate(expression):
            assert time.monotonic() < deadline, f"timed out waiting for {expression}; page errors: {self.messages}"
            self.page.wait_for_timeout(50)

    def open(self, *, at: float | None = None) -> None:
        """Load the page (with its clock fixed at ``at``, epoch seconds) and wait for its start."""
        if at is not None:
            self.page.clock.set_fixed_time(at)
        self.page.goto(self.path)
        self.page.wait_for_selector("body[data-ready]", state="attached")

    def sign_in(self, username: str, password: str) -> None:
        """Sign in with the page's form and wait until the page says it is signed in (the counter: after its
        first sync of trust data, items, device key and uploads)."""
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("#login-form button[type=submit]")
        self.page.wait_for_selector("body[data-ready=signed-in]", state="attached")

    def wait_offline_ready(self) -> None:
        """Wait until the service worker controls the page (so a reload works offline)."""
        self.page.wait_for_selector("body[data-offline-ready]", state="attached")
        self.wait_until("navigator.serviceWorker.controller !== null")

    def shot(self, name: str) -> Path:
        """Save a screenshot of the current state."""
        path = self.shots / f"{len(self.taken) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path

    def axe_violations(self) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (axe-core vendored, served by the service)."""
        self.page.add_script_tag(url=AXE)
        return list(self.page.evaluate(_AXE_RUN))
