"""Probes, request ids and logs: operable, and never leaking a token or an ID number."""

from __future__ import annotations

import json
import logging

import pytest

from zwt.logging_setup import JsonFormatter, scrub


def test_healthz_and_readyz(client, app):
    """Both probes answer 200 when the database (and Redis, if configured) is up."""
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz").json
    assert ready["status"] == "ready" and ready["checks"]["database"] == "ok"
    if app.extensions["zwt"].redis is not None:
        assert ready["checks"]["redis"] == "ok"


def test_readyz_is_503_when_redis_is_down(make_app):
    """A configured Redis that does not answer makes the node not ready."""
    client = make_app({"ZWT_REDIS_URL": "redis://127.0.0.1:1/0"}).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["checks"]["redis"] == "unavailable"


@pytest.mark.parametrize("given, kept", [("abc12345-req", True), ("bad id with spaces", False), (None, False)])
def test_request_id_is_honoured_or_generated(client, given, kept):
    """A well-formed X-Request-ID is echoed; otherwise one is generated."""
    headers = {"X-Request-ID": given} if given else {}
    echoed = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert (echoed == given) is kept and len(echoed) >= 8


def test_access_log_is_json_without_secrets(make_app, auth):
    """One JSON line per request, with the request id, and no token or ID number in it."""
    citizen = auth.register(id_number="11010519491231002X")
    client = make_app({"ZWT_LOG_LEVEL": "INFO"}).test_client()
    handler = logging.StreamHandler()
    lines: list[str] = []
    handler.emit = lambda record: lines.append(JsonFormatter().format(record))  # type: ignore[method-assign]
    logging.getLogger("zwt.access").addHandler(handler)
    try:
        client.get(f"/api/v1/nowhere/{citizen.id_number}", headers={**citizen.headers, "X-Request-ID": "req-12345678"})
    finally:
        logging.getLogger("zwt.access").removeHandler(handler)
    record = json.loads(lines[-1])
    assert record["request_id"] == "req-12345678" and record["status"] == 404
    assert citizen.id_number not in lines[-1] and citizen.access_token not in lines[-1]


@pytest.mark.parametrize("text, hidden", [
    ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "eyJhbGciOiJIUzI1NiJ9"),
    ("id 11010519491231002X here", "11010519491231002X"),
    ("qr QD1:6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3DSPTLRR+%3", "6BFOXN*TS0BI$ZD"),
])
def test_scrub_blanks_secrets(text, hidden):
    """Tokens, ID numbers and credentials are blanked from any log text."""
    assert hidden not in scrub(text)
