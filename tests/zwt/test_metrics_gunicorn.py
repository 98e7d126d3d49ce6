"""``/metrics`` under a real gunicorn with two workers: every worker's counts merged, whichever answers."""

from __future__ import annotations

import os
import re
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from .live_nodes import STOP_SECONDS, environment, spawn, wait_until_up
from .metrics_helpers import SCRAPE, TOKEN, parse, value

pytestmark = pytest.mark.slow


def _healthz_count(url: str) -> float:
    """The node's count of answered ``GET /healthz``, read from one scrape."""
    response = httpx.get(url + "/metrics", headers=SCRAPE, timeout=30)
    assert response.status_code == 200, response.text
    return value(parse(response.text), "zwt_http_requests_total", route="/healthz", method="GET", status="200")


def _workers(master: int) -> list[int]:
    """The pids of the gunicorn master's workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_scrape_merges_every_workers_counts_and_survives_a_worker_killed(
        make_app, database_url, redis_url, tmp_path):
    """Forty health checks sent eight at a time spread over both workers; every scrape, whichever worker
    answers it, reports all forty. A worker SIGKILLed and replaced takes none of its counts with it, and the
    run's metrics directory is gone once gunicorn stops."""
    prefix = make_app().extensions["zwt"].config.redis_prefix
    env = environment(database_url, redis_url, tmp_path, prefix, ZWT_METRICS_TOKEN=TOKEN)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log, directory = tmp_path / "node.log", None
    proc, url = spawn(env, log, workers=2)
    try:
        wait_until_up(url)
        before = _healthz_count(url)
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda _: httpx.get(url + "/healthz", timeout=30).status_code, range(40)))
        assert codes == [200] * 40
        counts = {_healthz_count(url) for _ in range(8)}
        assert counts == {before + 40}
        victim = _workers(proc.pid)[0]
        os.kill(victim, signal.SIGKILL)
        wait_until_up(url)
        assert _healthz_count(url) >= before + 41  # the dead worker's counts stay; wait_until_up added one
        found = re.search(r"metrics directory (\S+)", log.read_text())
        assert found, log.read_text()
        directory = Path(found.group(1))
        assert directory.is_dir()
    finally:
        proc.terminate()
        proc.wait(timeout=STOP_SECONDS)
    assert directory is not None and not directory.exists()
