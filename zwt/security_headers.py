"""Response headers every answer carries, and the cache rule for personal data (one place for both).

- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and ``Referrer-Policy: no-referrer`` on
  every response.
- A default ``Content-Security-Policy`` of ``default-src 'none'; frame-ancestors 'none'`` (JSON and images
  need nothing more); a page that needs more (Swagger UI at ``/docs``, the counter console at ``/counter``,
  the web wallet at ``/wallet``) sets its own, and the default never overwrites it.
- ``Cache-Control: no-store`` on sign-in answers and on anything answered to a bearer token, unless the
  view chose its own caching (the QR images: ``private``, short-lived, with an ETag). Tokens, licenses and
  revealed numbers never rest in a browser or proxy cache.
"""

from __future__ import annotations

from flask import Flask, Response, request

__all__ = ["init_security_headers", "API_CSP", "DOCS_CSP", "COUNTER_CSP", "WALLET_CSP"]

API_CSP = "default-src 'none'; frame-ancestors 'none'"
#: Swagger UI: its own scripts and styles (some inline), images from itself, never framed
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'")
#: The counter console (/counter): its own origin only, WebAssembly compiled (the QR decoder), camera frames
#: and dropped photos as blob: images; no inline script or style, never framed
COUNTER_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
               "img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; "
               "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
#: The web wallet (/wallet): its own origin only, the QR code drawn on a canvas; no WebAssembly, no inline script
#: or style, never framed
WALLET_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
              "worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_NO_STORE_PREFIXES = ("/api/v1/auth/",)


def init_security_headers(app: Flask) -> None:
    """Add the headers to every response of ``app``."""

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if "Content-Security-Policy" not in headers:
            headers["Content-Security-Policy"] = DOCS_CSP if request.path.startswith("/docs") else API_CSP
        personal = "Authorization" in request.headers or request.path.startswith(_NO_STORE_PREFIXES)
        if personal and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store"
        return response
