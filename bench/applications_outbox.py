"""Benchmark: the application outbox draining 1,000 applications to a department answering in 50 ms (#18).

Target: <= 15 s on PostgreSQL with 2 workers (each up to ``ZWT_OUTBOX_CONCURRENCY`` = 8 deliveries in flight),
median of 5 runs. Reference, measured in the same run: the same 1,000 calls made straight to the sandbox
department from 16 threads, no database (what the department's latency alone costs at that concurrency).
Each worker is its own process with its own police sandbox (``Script(latency_s=0.05)``) reached through the
real adapter; the runs re-queue the same applications. Printed, never asserted.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wallet_service_common import _admin, PG_DB, postgres_url, prepare, service_env  # noqa: E402

from services_catalog.adapters.police import PoliceAdapter  # noqa: E402
from services_catalog.departments import Department, Departments  # noqa: E402
from services_catalog.examples import example_item  # noqa: E402
from services_catalog.items import FormField  # noqa: E402
from services_catalog.ports import ApplicationSubmission  # noqa: E402
from services_catalog.sandbox.common import SandboxTransport  # noqa: E402
from services_catalog.sandbox.police import PoliceSandbox  # noqa: E402
from services_catalog.sandbox.script import Script  # noqa: E402

APPLICATIONS, WORKERS, RUNS, LATENCY_S = 1000, 2, 5, 0.05


def _police() -> Departments:
    client = httpx.Client(transport=SandboxTransport(PoliceSandbox(Script(latency_s=LATENCY_S))),
                          base_url="http://police.sandbox")
    return Departments([Department("police", "police", PoliceAdapter("police", client))], clients=[client])


def _app(url: str):  # type: ignore[no-untyped-def]
    from zwt import create_app

    return create_app({**service_env(url), "ZWT_OUTBOX_CONCURRENCY": "8"}, departments=_police())


def _fill(url: str) -> None:
    """Publish an item taking online applications and submit the applications as the demo citizen."""
    from zwt.applications.handling import submit
    from zwt.catalog.repository import save_item
    from zwt.db import session
    from zwt.models import Account

    app = _app(url)
    svc = app.extensions["zwt"]
    item = example_item(status="published", department_code="police", accepts_online=True,
                        form_fields=(FormField("address", required=True),))
    with app.app_context():
        save_item(session(), item, source="registration", actor="bench", action="create", now=svc.clock.now())
        session().commit()
        account = session().scalar(select(Account).where(Account.phone == "13800000001"))
        for n in range(APPLICATIONS):
            submit(account, item.impl_code, {"address": f"市南区{n}号"}, svc=svc)
            session().commit()


def _worker(url: str) -> None:
    from zwt.applications.outbox import drain_once

    app = _app(url)
    svc = app.extensions["zwt"]
    with cf.ThreadPoolExecutor(max_workers=8) as pool:
        while _pending(svc):
            if not drain_once(svc, pool):
                time.sleep(0.01)


def _pending(svc) -> int:  # type: ignore[no-untyped-def]
    from zwt.models import OutboxRow

    with svc.db.sessions() as sess:
        return sess.scalar(select(func.count()).select_from(OutboxRow)
                           .where(OutboxRow.status.in_(("pending", "in_flight")))) or 0


def _requeue(url: str) -> None:
    from zwt.models import ApplicationRow, OutboxRow

    svc = _app(url).extensions["zwt"]
    with svc.db.sessions() as sess:
        sess.execute(update(OutboxRow).values(status="pending", attempts=0,
                                              next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)))
        sess.execute(update(ApplicationRow).values(state="submitted", delivery_state="queued"))
        sess.commit()


def _drain(url: str) -> float:
    _requeue(url)
    started = time.monotonic()
    workers = [multiprocessing.get_context("fork").Process(target=_worker, args=(url,)) for _ in range(WORKERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.monotonic() - started


def _reference() -> float:
    adapter = _police()["police"].adapter
    now = dt.datetime.now(dt.timezone.utc)
    calls = [ApplicationSubmission(f"ref-{n}", "x", "张伟", "x", {}, now) for n in range(APPLICATIONS)]
    started = time.monotonic()
    with cf.ThreadPoolExecutor(max_workers=WORKERS * 8) as pool:
        list(pool.map(lambda s: adapter.submit_application(s, timeout=5.0), calls))  # type: ignore[union-attr]
    return time.monotonic() - started


def main() -> None:
    """On PostgreSQL: fill once, then drain RUNS times beside the reference."""
    url = postgres_url()
    if url is None:
        print("PostgreSQL is needed for this benchmark (FOR UPDATE SKIP LOCKED across workers)")
        return
    try:
        prepare(url)
        _fill(url)
        drains, refs = [], []
        for _ in range(RUNS):
            drains.append(_drain(url))
            refs.append(_reference())
        print(f"outbox: {APPLICATIONS} applications, {WORKERS} worker processes x 8 in flight, department "
              f"{LATENCY_S * 1000:.0f} ms; median of {RUNS} runs")
        print(f"  drain             {statistics.median(drains):6.2f} s   (target <= 15 s)   runs: "
              + ", ".join(f"{d:.2f}" for d in drains))
        print(f"  reference (calls) {statistics.median(refs):6.2f} s   the same calls from {WORKERS * 8} threads, "
              "no database")
    finally:
        _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
