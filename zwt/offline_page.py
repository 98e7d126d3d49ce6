"""Serving a browser page that works offline: its HTML under its own Content-Security-Policy, and the service
worker that keeps the page and the static files it loads (one rule for the counter console and the web wallet).

Each page is an :class:`OfflinePage`: its path (also the worker's scope), its folder under ``zwt/static/``, the
static folders it loads, and its CSP. The worker script is ``zwt/static/common/sw.js``; the service fills in a
digest of every file it keeps (so any change installs a new worker with a fresh cache), the list of files and the
page's cache-name prefix when it serves it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response

from .policy import public

__all__ = ["STATIC", "OfflinePage"]

STATIC = Path(__file__).resolve().parent / "static"
_OFFLINE_SUFFIXES = (".mjs", ".js", ".css", ".wasm")
_WORKER = STATIC / "common" / "sw.js"


@dataclass(frozen=True)
class OfflinePage:
    """One offline page: served at ``scope``, from ``STATIC / folder / "index.html"``, loading ``offline_dirs``."""

    scope: str
    folder: str
    offline_dirs: tuple[str, ...]
    csp: str

    @property
    def page_dir(self) -> Path:
        """The page's own folder of static files."""
        return STATIC / self.folder

    def offline_files(self) -> list[Path]:
        """Every static file the page needs offline (the service worker itself excluded), sorted."""
        found = {path for folder in (self.folder, "common", *self.offline_dirs) for path in (STATIC / folder).rglob("*")
                 if path.suffix in _OFFLINE_SUFFIXES and path.is_file() and path != _WORKER}
        return sorted(found)

    def blueprint(self, name: str) -> Blueprint:
        """A blueprint serving the page at ``scope`` and its worker at ``scope + "/sw.js"`` (endpoints ``page``
        and ``service_worker``), both public."""
        bp = Blueprint(name, __name__)

        def page() -> Response:  # a function of its own: the route policy's mark cannot go on a bound method
            return self.page()

        def service_worker() -> Response:
            return self.service_worker()

        bp.add_url_rule(self.scope, "page", public(page), methods=["GET"])
        bp.add_url_rule(self.scope + "/sw.js", "service_worker", public(service_worker), methods=["GET"])
        return bp

    def page(self) -> Response:
        """The page's HTML."""
        return Response((self.page_dir / "index.html").read_bytes(), mimetype="text/html",
                        headers={"Content-Security-Policy": self.csp, "Cache-Control": "no-cache"})

    def service_worker(self) -> Response:
        """The worker that keeps the page and its files (scope: the page and nothing else of the site)."""
        files = self.offline_files()
        digest = hashlib.sha256((self.page_dir / "index.html").read_bytes() + _WORKER.read_bytes())
        for path in files:
            digest.update(path.relative_to(STATIC).as_posix().encode() + b"\0" + path.read_bytes())
        urls = [self.scope] + ["/static/" + path.relative_to(STATIC).as_posix() for path in files]
        script = (_WORKER.read_text(encoding="utf-8").replace("'__VERSION__'", json.dumps(digest.hexdigest()[:16]))
                  .replace("'__PREFIX__'", json.dumps(f"zwt{self.scope.replace('/', '-')}-"))
                  .replace("__FILES__", json.dumps(urls)))
        return Response(script, mimetype="text/javascript",
                        headers={"Content-Security-Policy": self.csp, "Cache-Control": "no-cache",
                                 "Service-Worker-Allowed": self.scope})
