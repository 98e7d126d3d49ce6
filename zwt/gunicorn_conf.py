"""gunicorn settings for the service: ``gunicorn --config python:zwt.gunicorn_conf app:app``.

Each worker builds its in-memory search replica before it takes its first request, so no citizen's
search waits the 1-3 s a cold replica of 10,000 items takes to build. It then moves everything loaded
so far (the app, the replica, pinyin tables: some 400,000 objects) out of the garbage collector's
reach: they live as long as the worker, and a full collection no longer walks them in the middle of a
request. Frozen objects are never collected, not even at exit, so nothing whose leftovers are reported
at exit may be loaded before the freeze: ``wallet.qr`` imports zxing-cpp on first use for that reason
(its nanobind module otherwise reports ``nanobind: leaked 1 instances! ... 14 types!`` as a worker exits).

Metrics run in prometheus_client's multiprocess mode: before any worker starts, the master creates a
directory of this run and names it in ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client reads it when first
imported, in the workers, which load the app after the fork); each worker writes its values there and a
scrape merges them (``zwt.metrics``). When a worker dies its live gauges are dropped
(``multiprocess.mark_process_dead``); its counters stay, so a node's totals survive a worker's restart.
The directory is removed when the master exits, so a new run never adds up an old run's files.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from typing import Any

_METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def on_starting(server: Any) -> None:
    """Create this run's metrics directory before the first worker is forked."""
    os.environ[_METRICS_DIR] = tempfile.mkdtemp(prefix="zwt-metrics-")
    server.log.info("metrics directory %s", os.environ[_METRICS_DIR])


def child_exit(server: Any, worker: Any) -> None:
    """Drop a dead worker's live gauges (the master calls this for every worker that exits)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    """Remove this run's metrics directory."""
    path = os.environ.pop(_METRICS_DIR, None)
    if path:
        shutil.rmtree(path, ignore_errors=True)


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
