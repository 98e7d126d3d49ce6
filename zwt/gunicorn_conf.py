"""gunicorn settings for the service: ``gunicorn --config python:zwt.gunicorn_conf app:app``.

Each worker builds its in-memory search replica before it takes its first request, so no citizen's
search waits the 1-3 s a cold replica of 10,000 items takes to build. It then moves everything loaded
so far (the app, the replica, pinyin tables: some 400,000 objects) out of the garbage collector's
reach: they live as long as the worker, and a full collection no longer walks them in the middle of a
request. When the worker exits it hands them back, so the interpreter's shutdown frees them: frozen
objects are never collected, and zxing-cpp's nanobind module otherwise reports every object of its
own still alive at exit (``nanobind: leaked 1 instances! ... 14 types! ... 38 functions!``). The price
is the ordinary one of a Python exit: freeing the heap takes a worker ~2 s instead of ~0.1 s on a loaded
2-core machine (a fraction of gunicorn's 30 s graceful timeout).
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


def worker_exit(server: Any, worker: Any) -> None:
    """Unfreeze what ``post_worker_init`` froze (gunicorn calls this in the worker as it exits), so it is freed."""
    gc.unfreeze()
