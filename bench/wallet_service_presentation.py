"""Presentation endpoint through gunicorn vs a bare Flask JSON endpoint, same run, SQLite and PostgreSQL.

Target (issue 5): >= 30 % of the bare rate, p99 <= 50 ms at that load. Printed, never asserted.
Each request signs an ES256 credential, stores the presentation and an access-log row.

Reference endpoints (``bench/reference_app.py``) show the ceiling the database sets: Flask with one
ORM read, and with one read, one insert and one commit (the least a request that leaves a durable log
row does), through SQLAlchemy and straight on the driver, on the same engine settings as the service.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_app  # noqa: E402
from http_load import Load, gunicorn, wrk  # noqa: E402
from wallet_service_common import backends, login, prepare, service_env  # noqa: E402

SECONDS, CONNECTIONS = 5, 8


def _row(label: str, load: Load, bare: Load, note: str = "") -> None:
    print(f"{label:<44} {load.rps:8.0f} req/s  p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  "
          f"= {100 * load.rps / bare.rps:4.0f} % of bare{note}" + (f"  errors {load.errors}" if load.errors else ""))


def _post_script(body: str | None) -> str:
    """A wrk script that POSTs ``body`` as JSON (or nothing); the caller deletes the file."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write('wrk.method = "POST"\n')
        if body is not None:
            script.write(f"wrk.body = {json.dumps(body)}\n" 'wrk.headers["Content-Type"] = "application/json"\n')
    return script.name


def main() -> None:
    """Measure bare Flask, the database references and the presentation endpoint on each database."""
    print(f"wrk: {SECONDS} s, {CONNECTIONS} connections, gunicorn 2 sync workers, 127.0.0.1 only")
    with gunicorn("bench.bare_app:app", health="/bare") as bare_url:
        bare = wrk(bare_url + "/bare", seconds=SECONDS, connections=CONNECTIONS)
    print(f"{'bare Flask JSON':<44} {bare.rps:8.0f} req/s  p50 {bare.p50_ms:6.2f} ms  p99 {bare.p99_ms:6.2f} ms")
    post_empty, post_profile = _post_script(None), _post_script(json.dumps({"profile": "standard"}))
    try:
        for name, url in backends():
            prepare(url)
            reference_app.prepare(url)
            with gunicorn("bench.reference_app:app", env=service_env(url), health="/read") as ref:
                _row(f"Flask + 1 ORM read, {name}", wrk(ref + "/read", seconds=SECONDS, connections=CONNECTIONS),
                     bare)
                _row(f"Flask + read, insert, commit, {name}",
                     wrk(ref + "/write", seconds=SECONDS, connections=CONNECTIONS, script=post_empty), bare)
                _row(f"  the same on the bare driver, {name}",
                     wrk(ref + "/write-raw", seconds=SECONDS, connections=CONNECTIONS, script=post_empty), bare)
            with gunicorn("app:app", env=service_env(url)) as base:
                headers = login(base, "13800000001")
                items = httpx.get(base + "/api/v1/me/licenses", headers=headers).json()["items"]
                lic = next(item["id"] for item in items if item["license_type"] == "driving_license")
                me = wrk(base + "/api/v1/me", seconds=SECONDS, connections=CONNECTIONS, headers=headers)
                _row(f"GET /api/v1/me (auth only), {name}", me, bare)
                load = wrk(f"{base}/api/v1/me/licenses/{lic}/presentations", seconds=SECONDS,
                           connections=CONNECTIONS, headers=headers, script=post_profile)
                _row(f"presentation, {name}", load, bare, " (target >= 30 %, p99 <= 50 ms)")
    finally:
        Path(post_empty).unlink()
        Path(post_profile).unlink()


if __name__ == "__main__":
    main()
