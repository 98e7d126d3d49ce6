"""Presentation endpoint through gunicorn vs a bare Flask JSON endpoint, same run, SQLite and PostgreSQL.

Target (issue 5): >= 30 % of the bare rate, p99 <= 50 ms at that load. Printed, never asserted.
Each request signs an ES256 credential, stores the presentation and an access-log row.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import gunicorn, wrk  # noqa: E402
from wallet_service_common import backends, login, prepare, service_env  # noqa: E402

SECONDS, CONNECTIONS = 5, 8


def main() -> None:
    """Measure bare Flask and the presentation endpoint on each database."""
    print(f"wrk: {SECONDS} s, {CONNECTIONS} connections, gunicorn 2 sync workers, 127.0.0.1 only")
    with gunicorn("bench.bare_app:app", health="/bare") as bare_url:
        bare = wrk(bare_url + "/bare", seconds=SECONDS, connections=CONNECTIONS)
    print(f"{'bare Flask JSON':<34} {bare.rps:8.0f} req/s  p50 {bare.p50_ms:6.2f} ms  p99 {bare.p99_ms:6.2f} ms")
    for name, url in backends():
        prepare(url)
        with gunicorn("app:app", env=service_env(url)) as base:
            headers = login(base, "13800000001")
            items = httpx.get(base + "/api/v1/me/licenses", headers=headers).json()["items"]
            lic = next(item["id"] for item in items if item["license_type"] == "driving_license")
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write('wrk.method = "POST"\n'
                             f"wrk.body = {json.dumps(json.dumps({'profile': 'standard'}))}\n"
                             'wrk.headers["Content-Type"] = "application/json"\n')
            me = wrk(base + "/api/v1/me", seconds=SECONDS, connections=CONNECTIONS, headers=headers)
            print(f"{'GET /api/v1/me (auth only), ' + name:<34} {me.rps:8.0f} req/s  p50 {me.p50_ms:6.2f} ms  "
                  f"p99 {me.p99_ms:6.2f} ms  = {100 * me.rps / bare.rps:4.0f} % of bare")
            load = wrk(f"{base}/api/v1/me/licenses/{lic}/presentations", seconds=SECONDS, connections=CONNECTIONS,
                       headers=headers, script=script.name)
            Path(script.name).unlink()
        ratio = 100 * load.rps / bare.rps
        print(f"{'presentation, ' + name:<34} {load.rps:8.0f} req/s  p50 {load.p50_ms:6.2f} ms  "
              f"p99 {load.p99_ms:6.2f} ms  = {ratio:4.0f} % of bare (target >= 30 %, p99 <= 50 ms)"
              + (f"  errors {load.errors}" if load.errors else ""))


if __name__ == "__main__":
    main()
