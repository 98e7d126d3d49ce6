"""Catalog API speed: in-process search latency on 10,000 items (SQLite and PostgreSQL) and
throughput of GET /api/v1/services?q=... through gunicorn beside a bare Flask JSON endpoint.

Run: .venv/bin/python bench/catalog_api.py [--pg postgresql://postgres@127.0.0.1:5432/test] [--seconds 5]
Prints figures; asserts nothing. The 10k-item databases are built once and kept under bench/.data/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench.http_load import gunicorn, wrk  # noqa: E402

QUERIES = {
    "hanzi 2": ["社保", "户口", "驾照", "出生", "退休", "医保", "结婚", "残疾", "公积", "营业"],
    "hanzi 3-4": ["公积金", "身份证", "营业执照", "养老保险", "不动产", "机动车", "居住证", "社会保险"],
    "pinyin": ["shebao", "hukou", "jiazhao", "gongjijin", "yingye", "tuixiu", "yibao", "jiehun"],
    "initials": ["sb", "gjj", "sfz", "jsz", "yyzz", "hk", "bdc", "ylbx"],
}
DATA = Path(__file__).resolve().parent / ".data"


def prepare(url: str, count: int) -> None:
    """Migrate and load the demo catalog unless it is already there."""
    from zwt import create_app
    from zwt.catalog.demo import load_demo_catalog
    from zwt.db import session
    from zwt.migrate import upgrade

    upgrade(url)
    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING"})
    with app.app_context():
        have = session().execute(text("SELECT count(*) FROM service_items")).scalar()
        if have < count:
            started = time.perf_counter()
            print(f"  loading {count} demo items into {url.split('@')[-1][:60]} ...", flush=True)
            load_demo_catalog(session(), now=app.extensions["zwt"].clock.now(), count=count)
            print(f"  loaded in {time.perf_counter() - started:.1f} s", flush=True)


def postgres_url(raw: str) -> str:
    """A URL whose search_path is the benchmark's own schema (created if missing)."""
    from zwt.config import normalize_database_url

    url = normalize_database_url(raw)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE SCHEMA IF NOT EXISTS bench_catalog"))
    engine.dispose()
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dbench_catalog"


def in_process(url: str, repeat: int) -> dict[str, tuple[float, float, float]]:
    """p50/p95/max in ms of the search endpoint per query class, through the Flask test client."""
    from zwt import create_app

    # The result cache is off: this measures the search itself, not a cache hit.
    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING", "ZWT_SEARCH_CACHE_SIZE": "0"})
    client = app.test_client()
    out = {}
    for kind, queries in QUERIES.items():
        for q in queries:  # warm the per-process document cache, as a running worker would be
            client.get("/api/v1/services", query_string={"q": q})
        times = []
        for _ in range(repeat):
            for q in queries:
                started = time.perf_counter()
                response = client.get("/api/v1/services", query_string={"q": q})
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
        times.sort()
        out[kind] = (statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1])
    return out


def throughput(url: str, seconds: int, cache_size: int) -> object:
    """wrk against the search endpoint under 2 gunicorn workers (result cache of ``cache_size`` pages)."""
    env = {"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING", "ZWT_SEARCH_CACHE_SIZE": str(cache_size)}
    path = "/api/v1/services?q=" + quote("社保")
    with gunicorn("app:app", env) as base:
        # Warm both workers (each builds its in-memory search index on its first search) before measuring.
        with httpx.Client(timeout=120) as client:
            for _ in range(12):
                client.get(base + path)
        return wrk(base + path, seconds=seconds)


def bare_throughput(seconds: int) -> object:
    """wrk against a bare Flask JSON endpoint under the same gunicorn settings (the reference)."""
    with gunicorn("bench.bare_app:app", health="/bare") as base:
        return wrk(base + "/bare", seconds=seconds)


def main() -> None:
    """Build the data sets, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default=os.environ.get("ZWT_BENCH_DATABASE_URL",
                                                       "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    targets = {"SQLite": f"sqlite:///{DATA / f'catalog-{args.count}.db'}"}
    if not args.no_pg:
        targets["PostgreSQL"] = postgres_url(args.pg)
    for name, url in targets.items():
        prepare(url, args.count)
    print(f"\nSearch over {args.count} items, in-process (Flask test client, warm), ms:")
    print(f"  {'query class':<12}" + "".join(f"{n + ' p50/p95/max':>30}" for n in targets))
    results = {name: in_process(url, args.repeat) for name, url in targets.items()}
    for kind in QUERIES:
        row = "".join(f"{'%.2f / %.2f / %.2f' % results[n][kind]:>30}" for n in targets)
        print(f"  {kind:<12}{row}")
    print(f"\nThroughput through gunicorn (2 workers, wrk 8 connections, {args.seconds} s each), "
          "GET /api/v1/services?q=社保:")
    for name, url in targets.items():
        bare = bare_throughput(args.seconds)
        for label, size in (("result cache on ", 1024), ("result cache off", 0)):
            ours = throughput(url, args.seconds, size)
            print(f"  {name:<11} {label} {ours.rps:7.0f} req/s p99 {ours.p99_ms:6.1f} ms errors {ours.errors}"
                  f" | bare Flask {bare.rps:7.0f} req/s | ratio {ours.rps / bare.rps:.0%}")


if __name__ == "__main__":
    main()
