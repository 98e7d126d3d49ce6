"""GET /api/v1/me and the presentation endpoint through gunicorn, each against its database reference, paired.

Targets (issue 10), each the median of per-run ratios over alternating runs (``http_load.paired``):
``GET /api/v1/me`` >= 80 % of one ORM read (``/read``); a presentation (signs an ES256 credential,
stores the presentation and an access-log row) >= 50 % of one read, one insert and one commit
(``/write``) with p99 <= 50 ms. Printed, never asserted. Bare Flask is printed beside them for scale.

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
from http_load import RUNS, SECONDS, Load, gunicorn, paired, paired_row, wrk  # noqa: E402
from wallet_service_common import backends, login, prepare, service_env  # noqa: E402

CONNECTIONS = 8


def _row(label: str, load: Load, bare: Load) -> None:
    print(f"{label:<44} {load.rps:8.0f} req/s  p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  "
          f"= {100 * load.rps / bare.rps:4.0f} % of bare" + (f"  errors {load.errors}" if load.errors else ""))


def _post_script(body: str | None) -> str:
    """A wrk script that POSTs ``body`` as JSON (or nothing); the caller deletes the file."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write('wrk.method = "POST"\n')
        if body is not None:
            script.write(f"wrk.body = {json.dumps(body)}\n" 'wrk.headers["Content-Type"] = "application/json"\n')
    return script.name


def main() -> None:
    """Measure bare Flask once, then /me against /read and presentations against /write on each database."""
    print(f"wrk: {CONNECTIONS} connections, gunicorn 2 sync workers, 127.0.0.1 only; paired: {RUNS} runs "
          f"of {SECONDS} s per side, median of the per-run ratios")
    with gunicorn("bench.bare_app:app", health="/bare") as bare_url:
        bare = wrk(bare_url + "/bare", seconds=SECONDS, connections=CONNECTIONS)
    print(f"{'bare Flask JSON':<44} {bare.rps:8.0f} req/s  p50 {bare.p50_ms:6.2f} ms  p99 {bare.p99_ms:6.2f} ms")
    post_empty, post_profile = _post_script(None), _post_script(json.dumps({"profile": "standard"}))
    try:
        for name, url in backends():
            prepare(url)
            reference_app.prepare(url)
            with gunicorn("bench.reference_app:app", env=service_env(url), health="/read") as ref, \
                    gunicorn("app:app", env=service_env(url)) as base:
                _row(f"  the driver's read-insert-commit, {name}",
                     wrk(ref + "/write-raw", seconds=SECONDS, connections=CONNECTIONS, script=post_empty), bare)
                headers = login(base, "13800000001")
                items = httpx.get(base + "/api/v1/me/licenses", headers=headers).json()["items"]
                lic = next(item["id"] for item in items if item["license_type"] == "driving_license")
                me = paired(lambda s: wrk(base + "/api/v1/me", seconds=s, connections=CONNECTIONS, headers=headers),
                            lambda s: wrk(ref + "/read", seconds=s, connections=CONNECTIONS))
                paired_row(f"GET /api/v1/me, {name}", me, "/read", "(target >= 80 %)")
                show = paired(lambda s: wrk(f"{base}/api/v1/me/licenses/{lic}/presentations", seconds=s,
                                            connections=CONNECTIONS, headers=headers, script=post_profile),
                              lambda s: wrk(ref + "/write", seconds=s, connections=CONNECTIONS, script=post_empty))
                paired_row(f"presentation, {name}", show, "/write", "(target >= 50 %, p99 <= 50 ms)")
                print(f"{'':<44} /read {100 * me.reference.rps / bare.rps:.0f} %, /write "
                      f"{100 * show.reference.rps / bare.rps:.0f} % of bare Flask")
    finally:
        Path(post_empty).unlink()
        Path(post_profile).unlink()


if __name__ == "__main__":
    main()
