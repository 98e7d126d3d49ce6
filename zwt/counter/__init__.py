"""The counter console: the page a service-hall clerk verifies QD1 codes with, offline (``/counter``).

Everything it runs is in ``zwt/static/counter/`` (the page's ES modules and style), ``zwt/static/common/`` (what
it shares with the web wallet: the API client, IndexedDB, device proof, labels, the service worker) and
``zwt/static/qd1/`` (the QD1 verifier); this blueprint only serves the page and its service worker, each with
the page's own Content-Security-Policy (``zwt.offline_page``). The page talks to the ordinary API for everything
else.
"""

from __future__ import annotations

from pathlib import Path

from ..offline_page import OfflinePage
from ..security_headers import COUNTER_CSP

__all__ = ["bp", "PAGE", "PAGE_DIR", "SCOPE", "offline_files"]

#: The service worker's scope: the page and nothing else of the site
SCOPE = "/counter"
#: What the service worker keeps besides the page's own files: the QD1 library and the vendored packages it loads
PAGE = OfflinePage(scope=SCOPE, folder="counter", offline_dirs=("qd1", "vendor/cborg", "vendor/zxing-wasm"),
                   csp=COUNTER_CSP)
PAGE_DIR = PAGE.page_dir

bp = PAGE.blueprint("counter")


def offline_files() -> list[Path]:
    """Every static file the console needs offline (the service worker itself excluded), sorted."""
    return PAGE.offline_files()
