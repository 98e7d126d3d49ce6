"""gunicorn settings for the service: ``gunicorn --config python:zwt.gunicorn_conf app:app``.

Each worker builds its in-memory search replica before it takes its first request, so no citizen's
search waits the 1-3 s a cold replica of 10,000 items takes to build. It then moves everything loaded
so far (the app, the replica, pinyin tables: some 400,000 objects) out of the garbage collector's
reach: they live as long as the worker, and a full collection no longer walks them in the middle of a
request. Frozen objects are never collected, not even at exit, so nothing whose leftovers are reported
at exit may be loaded before the freeze: ``wallet.qr`` imports zxing-cpp on first use for that reason
(its nanobind module otherwise reports ``nanobind: leaked 1 instances! ... 14 types!`` as a worker exits).
"""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Warm the worker's caches (gunicorn calls this after loading the app, before serving)."""
    from flask import Flask

    from zwt.catalog.browse import warm

    app = worker.wsgi
    if isinstance(app, Flask) and "zwt" in app.extensions:
        with app.app_context():
            warm()
    gc.collect()
    gc.freeze()
