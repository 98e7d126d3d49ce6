"""One JSON log line per request, with a request id; tokens and ID numbers never reach the log."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request

__all__ = ["JsonFormatter", "init_request_logging", "request_id", "scrub"]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}\Z")
_SECRETS = [
    (re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[token]"),
    (re.compile(r"(?<!\d)[1-9]\d{16}[\dXx](?!\d)"), "[id-number]"),
    (re.compile(r"QD1:[0-9A-Z $%*+\-./:]{20,}"), "QD1:[credential]"),
]


def scrub(text: str) -> str:
    """Blank out anything that looks like a JWT, a resident ID number or a credential."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def request_id() -> str:
    """The current request's id: the client's ``X-Request-ID`` when well-formed, else a new one, fixed on first use.

    Taken lazily, so a response made before any hook ran (a 413 raised while an earlier hook reads the
    body) carries the same id in its problem and its header as every other response.
    """
    current: str | None = g.get("request_id")
    if current is None:
        given = request.headers.get("X-Request-ID", "")
        current = g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    return current


class JsonFormatter(logging.Formatter):
    """Format records as one JSON object a line, scrubbed."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "remote_addr", "subject", "event", "object",
              "role")

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON."""
        out = {"ts": round(record.created, 3), "level": record.levelname, "logger": record.name,
               "msg": scrub(record.getMessage())}
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False)


def init_request_logging(app: Flask, level: str) -> None:
    """Attach a request id to every request and log one access line per response."""
    logger = logging.getLogger("zwt")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(level)
    access = logging.getLogger("zwt.access")

    def _start() -> None:
        request_id()
        g.started = time.perf_counter()

    # First of all hooks, so the time covers the others (one of them may answer early, e.g. a 413).
    app.before_request_funcs.setdefault(None, []).insert(0, _start)

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = request_id()
        if not access.isEnabledFor(logging.INFO):
            return response  # nothing to log: skip timing and scrubbing the path
        started = g.get("started")
        duration = round((time.perf_counter() - started) * 1000, 2) if started else None
        access.info("request", extra={
            "request_id": request_id(), "method": request.method, "path": scrub(request.path),
            "status": response.status_code, "duration_ms": duration, "remote_addr": request.remote_addr,
        })
        return response
