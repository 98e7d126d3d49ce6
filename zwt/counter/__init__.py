"""The counter console: the page a service-hall clerk verifies QD1 codes with, offline (``/counter``).

Everything it runs is in ``zwt/static/counter/`` (the page's ES modules, style and service worker) and
``zwt/static/qd1/`` (the QD1 verifier); this blueprint only serves the page and its service worker, each
with the page's own Content-Security-Policy. The page talks to the ordinary API for everything else.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response

from ..policy import public
from ..security_headers import COUNTER_CSP

__all__ = ["bp", "PAGE_DIR", "SCOPE", "offline_files"]

STATIC = Path(__file__).resolve().parent.parent / "static"
PAGE_DIR = STATIC / "counter"
#: What the service worker keeps: the page's own files, the QD1 library and the vendored packages it loads
_OFFLINE_DIRS = ("counter", "qd1", "vendor/cborg", "vendor/zxing-wasm")
_OFFLINE_SUFFIXES = (".mjs", ".js", ".css", ".wasm")
#: The service worker's scope: the page and nothing else of the site
SCOPE = "/counter"

bp = Blueprint("counter", __name__)


def offline_files() -> list[Path]:
    """Every static file the console needs offline (the service worker itself excluded), sorted."""
    found = [path for folder in _OFFLINE_DIRS for path in (STATIC / folder).rglob("*")
             if path.suffix in _OFFLINE_SUFFIXES and path.is_file() and path.name != "sw.js"]
    return sorted(found)


@bp.get(SCOPE)
@public
def page() -> Response:
    """The counter console's HTML page."""
    return Response((PAGE_DIR / "index.html").read_bytes(), mimetype="text/html",
                    headers={"Content-Security-Policy": COUNTER_CSP, "Cache-Control": "no-cache"})


@bp.get(SCOPE + "/sw.js")
@public
def service_worker() -> Response:
    """The service worker that keeps the page and its modules for offline use (scope ``/counter``)."""
    files = offline_files()
    digest = hashlib.sha256((PAGE_DIR / "index.html").read_bytes())
    for path in files:
        digest.update(path.relative_to(STATIC).as_posix().encode() + b"\0" + path.read_bytes())
    urls = [SCOPE] + ["/static/" + path.relative_to(STATIC).as_posix() for path in files]
    script = (PAGE_DIR / "sw.js").read_text(encoding="utf-8")
    script = script.replace("'__VERSION__'", json.dumps(digest.hexdigest()[:16])).replace("__FILES__", json.dumps(urls))
    return Response(script, mimetype="text/javascript",
                    headers={"Content-Security-Policy": COUNTER_CSP, "Cache-Control": "no-cache",
                             "Service-Worker-Allowed": SCOPE})
