"""Trust bundle with 1,000,000 licenses on record (0.1 % revoked): fresh build time and the 304 path.

Targets (issue 5): 304 path >= 50 % of the bare Flask rate (same run, through gunicorn); fresh build
<= 1 s. Printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_load import gunicorn, wrk  # noqa: E402
from wallet_service_common import backends, prepare, service_env  # noqa: E402

LICENSES = int(os.environ.get("BENCH_LICENSES", "1000000"))
REVOKED_EVERY, CHUNK = 1000, 50_000


def fill(url: str) -> float:
    """Insert a million license rows for one citizen into the police list; return seconds taken."""
    from zwt import create_app
    from zwt.models import Account, StatusListRow, WalletLicense

    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING"})
    svc = app.extensions["zwt"]
    started = time.perf_counter()
    with svc.db.sessions() as sess:
        account_id = sess.scalar(select(Account.id).where(Account.phone == "13800000001"))
        status_list = sess.scalar(select(StatusListRow).where(StatusListRow.department_code == "police"))
        base = status_list.next_index
        now = dt.datetime.now(dt.timezone.utc)
        for start in range(0, LICENSES, CHUNK):
            end = min(start + CHUNK, LICENSES)
            rows = [{"public_id": f"lic_bench{i:08d}", "account_id": account_id, "department_code": "police",
                     "license_type": "driving_license", "identifier": f"bench.{i}", "serial_bidx": f"b{i}",
                     "issuer_name": "bench", "valid_from": dt.date(2020, 1, 1), "valid_until": None,
                     "record_enc": b"\0" * 16, "record_key_version": 1,
                     "status": "revoked" if i % REVOKED_EVERY == 0 else "valid", "status_list_id": status_list.id,
                     "status_idx": base + i, "fetched_at": now} for i in range(start, end)]
            sess.execute(insert(WalletLicense), rows)
        sess.execute(update(StatusListRow).where(StatusListRow.id == status_list.id)
                     .values(next_index=base + LICENSES))
        sess.commit()
    svc.db.dispose()
    return time.perf_counter() - started


def build_times(url: str) -> tuple[list[float], int]:
    """Seconds of three fresh bundle builds, and the bundle size."""
    from zwt import create_app
    from zwt.wallet_service.bundle import build_fresh
    from zwt.wallet_service.runtime import WalletRuntime

    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING"})
    svc = app.extensions["zwt"]
    runtime = WalletRuntime()
    times, size = [], 0
    with app.app_context():
        build_fresh(svc, runtime)  # unseal the root key once, as a running node has
        for _ in range(3):
            started = time.perf_counter()
            built = build_fresh(svc, runtime)
            times.append(time.perf_counter() - started)
            size = len(built.data)
    svc.db.dispose()
    return times, size


def main() -> None:
    """Fill each database, time fresh builds, and load the 304 path beside bare Flask."""
    seconds = int(os.environ.get("BENCH_SECONDS", "5"))
    with gunicorn("bench.bare_app:app", health="/bare") as bare_url:
        bare = wrk(bare_url + "/bare", seconds=seconds, connections=8)
    print(f"{'bare Flask JSON':<36} {bare.rps:8.0f} req/s  p99 {bare.p99_ms:6.2f} ms")
    for name, url in backends():
        prepare(url)
        print(f"{name}: inserted {LICENSES:,} licenses ({LICENSES // REVOKED_EVERY:,} revoked) in {fill(url):.1f} s")
        times, size = build_times(url)
        print(f"{'fresh bundle build, ' + name:<36} median {statistics.median(times) * 1000:7.1f} ms "
              f"(min {min(times) * 1000:.1f}), {size:,} bytes (target <= 1 s)")
        with gunicorn("app:app", env=service_env(url)) as base:
            etag = httpx.get(base + "/api/v1/verifier/bundle").headers["ETag"]
            for _ in range(20):  # every worker builds its own cached bundle once; measure the steady state
                httpx.get(base + "/api/v1/verifier/bundle", headers={"If-None-Match": etag})
            load = wrk(base + "/api/v1/verifier/bundle", seconds=seconds, connections=8,
                       headers={"If-None-Match": etag})
        print(f"{'bundle 304 path, ' + name:<36} {load.rps:8.0f} req/s  p99 {load.p99_ms:6.2f} ms  = "
              f"{100 * load.rps / bare.rps:4.0f} % of bare (target >= 50 %)"
              + (f"  non-304/errors {load.errors}" if load.errors else ""))


if __name__ == "__main__":
    main()
