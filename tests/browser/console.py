"""The counter console as a test drives it: sign in, scan, read the verdict, the counts and the trust line."""

from __future__ import annotations

from dataclasses import dataclass

from .pages import BrowserPage


@dataclass
class Verdict:
    """What the page shows: the colour, the reason (``valid`` when accepted), the words and the field labels."""

    colour: str
    reason: str
    text: str
    fields: dict[str, str]


class Console(BrowserPage):
    """One counter console page; screenshots of each state go to ``shots``."""

    path = "/counter"

    def pick_item(self, impl_code: str) -> None:
        """Choose the service item being handled."""
        self.page.select_option("#item", impl_code)

    def scan(self, text: str) -> Verdict:
        """Type a code into the focused scan field and press Enter, as a keyboard-wedge scanner does."""
        self.page.evaluate("document.getElementById('verdict').className = 'verdict idle'")
        assert self.page.evaluate("document.activeElement.id") == "scan", "the scan field lost focus"
        self.page.keyboard.insert_text(text)
        self.page.keyboard.press("Enter")
        self.page.wait_for_selector("#verdict:not(.idle)")
        return self.verdict()

    def verdict(self) -> Verdict:
        """The verdict on screen."""
        box = self.page.locator("#verdict")
        fields = {}
        for dt in self.page.locator("#fields dt").all():
            fields[dt.get_attribute("data-field")] = dt.inner_text()
        return Verdict(colour=box.get_attribute("data-colour") or "", reason=box.get_attribute("data-reason") or "",
                       text=box.inner_text(), fields=fields)

    def waiting(self) -> int:
        """How many records the page says are waiting for upload."""
        self.page.wait_for_selector("#waiting-line[data-count]", state="attached")
        return int(self.page.locator("#waiting-line").get_attribute("data-count"))

    def wait_waiting(self, count: int) -> None:
        """Wait until the waiting count is ``count``."""
        self.wait_until(f"document.getElementById('waiting-line').dataset.count === '{count}'")

    def trust_line(self) -> str:
        """The trust-data freshness line."""
        return self.page.locator("#trust-line").inner_text()

    def elapsed_ms(self) -> float:
        """The last verification's time in the page, as it printed it."""
        text = self.page.locator("#elapsed-line").inner_text()
        return float("".join(ch for ch in text if ch.isdigit() or ch == "."))
