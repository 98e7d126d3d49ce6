"""Benchmark: an online application submitted through gunicorn against the ORM read + insert + commit reference
(#18).

Target: ``POST /api/v1/me/applications`` (a residence-permit form, signed-in demo citizen at level 2) >= 30 % of
``/write`` in ``bench/reference_app.py``, as the median of per-run ratios over alternating runs
(``http_load.paired``). Each request writes the application, its first step, its message and its outbox row in
one transaction; the department is reached by the worker, not inside the request (no worker runs here).
Printed, never asserted.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_app  # noqa: E402
from http_load import gunicorn, paired, paired_row, wrk  # noqa: E402
from wallet_service_common import backends, login, prepare, service_env  # noqa: E402

from services_catalog.examples import example_item  # noqa: E402
from services_catalog.items import FormField  # noqa: E402

CONNECTIONS = 8


def _publish(url: str) -> str:
    """Publish an item taking online applications, as a department would."""
    from zwt import create_app
    from zwt.catalog.repository import save_item
    from zwt.db import session

    app = create_app(service_env(url))
    item = example_item(status="published", department_code="police", accepts_online=True,
                        form_fields=(FormField("address", required=True),
                                     FormField("reason", type="choice", required=True, options=("work", "study")),
                                     FormField("since", type="date", required=True)))
    with app.app_context():
        save_item(session(), item, source="registration", actor="bench", action="create",
                  now=app.extensions["zwt"].clock.now())
        session().commit()
    return item.impl_code


def main() -> None:
    """On each database: measure submissions paired with ``/write``."""
    print(f"wrk: {CONNECTIONS} connections, gunicorn 2 sync workers, 127.0.0.1 only; paired runs, median of the "
          "per-run ratios")
    with tempfile.TemporaryDirectory() as tmp:
        post_empty = Path(tmp) / "post.lua"
        post_empty.write_text('wrk.method = "POST"\n')
        for name, url in backends():
            prepare(url)
            reference_app.prepare(url)
            impl_code = _publish(url)
            body = json.dumps({"impl_code": impl_code, "form": {"address": "青岛市崂山区海尔路1号", "reason": "work",
                                                                "since": "2026-01-05"}}, ensure_ascii=False)
            script = Path(tmp) / "apply.lua"
            script.write_text('wrk.method = "POST"\nwrk.body = [[' + body + ']]\n'
                              'wrk.headers["Content-Type"] = "application/json"\n', encoding="utf-8")
            with gunicorn("bench.reference_app:app", env=service_env(url), health="/read") as ref, \
                    gunicorn("app:app", env=service_env(url)) as base:
                headers = login(base, "13800000001")
                result = paired(lambda s: wrk(base + "/api/v1/me/applications", seconds=s, connections=CONNECTIONS,
                                              headers=headers, script=str(script)),
                                lambda s: wrk(ref + "/write", seconds=s, connections=CONNECTIONS,
                                              script=str(post_empty)))
                paired_row(f"one application submitted, {name}", result, "/write", "(target >= 30 %)")
                print(f"{'':<44} p50 {result.target.p50_ms:.2f} ms; /write p50 {result.reference.p50_ms:.2f} ms")


if __name__ == "__main__":
    main()
