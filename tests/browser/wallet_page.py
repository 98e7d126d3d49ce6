"""The web wallet as a test drives it: sign in, step up with the SMS code, fetch a bound credential, show its
QR code and read it back from a screenshot (zxing-cpp), lock the wallet, read the access log."""

from __future__ import annotations

import io
from typing import Any, Callable

import zxingcpp
from PIL import Image

from .pages import BrowserPage


class WalletPage(BrowserPage):
    """One /wallet page; screenshots of each state go to ``shots``."""

    path = "/wallet"

    def sign_in(self, username: str, password: str) -> None:
        """Sign in with the password and wait for the licenses, devices and access log to load."""
        super().sign_in(username, password)
        self.page.wait_for_selector("#licenses li")

    def fetch(self, license_id: str, purpose: str, sms_code: Callable[[], str]) -> None:
        """Fetch a bound credential for a license and ``profile:NAME`` or ``item:IMPL_CODE``; when the page asks
        for a step-up (the first device registration), answer with ``sms_code()`` (the phone's newest code)."""
        self.page.evaluate("delete document.body.dataset.fetched")
        self.page.select_option("#license", license_id)
        self.page.select_option("#purpose", purpose)
        self.page.click("#fetch")
        self.wait_until("document.body.dataset.stepUp === 'asked' || document.body.dataset.fetched !== undefined")
        if self.page.evaluate("document.body.dataset.fetched === undefined"):
            self.shot("step-up-asked")
            self.page.fill("#sms-code", sms_code())
            self.page.click("#stepup-form button[type=submit]")
            self.page.wait_for_selector("body[data-fetched]", state="attached")

    def show_code(self, index: int = 0) -> None:
        """Open the index-th held credential's live code."""
        self.page.locator("#held button.show").nth(index).click()
        self.page.wait_for_selector("#qr[data-t]")

    def code_serial(self) -> int:
        """How many codes the page has made since it opened (each refresh adds one)."""
        return int(self.page.locator("#qr").get_attribute("data-count") or 0)

    def code_time(self) -> int:
        """The signing time (epoch seconds) of the code on screen."""
        return int(self.page.locator("#qr").get_attribute("data-t") or 0)

    def read_code(self) -> str:
        """The text of the QR code on screen, read from a screenshot of it with zxing-cpp, as a scanner would."""
        image = Image.open(io.BytesIO(self.page.locator("#qr").screenshot()))
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert len(found) == 1, f"{len(found)} QR codes in the screenshot"
        return str(found[0].text)

    def made_in_ms(self) -> float:
        """The time the page took to make and draw the code on screen, as it measured it."""
        return float(self.page.locator("#made-in").get_attribute("data-ms") or "nan")

    def lock(self) -> str:
        """Lock the wallet (two clicks, as a citizen confirms) and return what the page says."""
        self.page.click("#lock")
        self.page.click("#lock-confirm")
        self.page.wait_for_selector("body[data-locked]", state="attached")
        return str(self.page.locator("#lock-result").inner_text())

    def access_log(self) -> list[dict[str, Any]]:
        """The access log rows on screen after a refresh: event, source, verdict and the row's words."""
        self.page.evaluate("delete document.body.dataset.logLoaded")
        self.page.click("#load-log")
        self.page.wait_for_selector("body[data-log-loaded]", state="attached")
        return list(self.page.evaluate("""[...document.querySelectorAll('#log tbody tr')].map(tr => ({
            event: tr.dataset.event, source: tr.dataset.source,
            verdict: tr.querySelector('[data-verdict]').dataset.verdict, text: tr.innerText}))"""))
