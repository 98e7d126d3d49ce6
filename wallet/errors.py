"""The one exception for every way a credential, presentation, trust bundle or status list is bad."""

from __future__ import annotations

__all__ = ["InvalidCredential"]


class InvalidCredential(Exception):
    """Raised for any bad input to the wallet; ``reason`` is a machine code, ``detail`` says what broke."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
