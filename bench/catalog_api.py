"""Catalog API speed on 10,000 demo items: in-process search latency, and the throughput of uncached
GET /api/v1/services?q=... through gunicorn against bare Flask, SQLite and PostgreSQL.

Issue 10's target: search with the page cache off (``ZWT_SEARCH_CACHE_SIZE=0``) and every query distinct
at >= 25 % of bare Flask (``bench.bare_app:app``), as the median of paired runs (``http_load.paired``:
5 runs of 10 s, 8 connections; ``ZWT_BENCH_RUNS`` / ``ZWT_BENCH_SECONDS`` shorten them). A wrk script
walks a list of distinct queries taken from the demo catalog's own names (hanzi parts of 2-4
characters, their pinyin and their initials, interleaved), each run from its own offset.

Run: .venv/bin/python bench/catalog_api.py [--pg postgresql://postgres@127.0.0.1:5432/test] [--no-pg]
Prints figures; asserts nothing. The 10k-item databases are built once (under bench/.data/ and in the
PostgreSQL schema ``--pg-schema``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench.http_load import SECONDS, Load, Paired, gunicorn, paired, paired_row, wrk  # noqa: E402

QUERIES = {
    "hanzi 2": ["社保", "户口", "驾照", "出生", "退休", "医保", "结婚", "残疾", "公积", "营业"],
    "hanzi 3-4": ["公积金", "身份证", "营业执照", "养老保险", "不动产", "机动车", "居住证", "社会保险"],
    "pinyin": ["shebao", "hukou", "jiazhao", "gongjijin", "yingye", "tuixiu", "yibao", "jiehun"],
    "initials": ["sb", "gjj", "sfz", "jsz", "yyzz", "hk", "bdc", "ylbx"],
}
DATA = Path(__file__).resolve().parent / ".data"
CONNECTIONS = 8


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


def postgres_url(raw: str, schema: str) -> str:
    """A URL whose search_path is the benchmark's own schema (created if missing)."""
    from zwt.config import normalize_database_url

    url = normalize_database_url(raw)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine.dispose()
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


def distinct_queries(count: int) -> list[str]:
    """Queries a citizen might type, all different: parts of the demo names, in hanzi, pinyin and initials."""
    from services_catalog.demo_catalog import demo_items
    from services_catalog.textnorm import initials_of, is_hanzi, joined_pinyin, normalize, pinyin_of

    hanzi: dict[str, None] = {}
    for item in demo_items(count=count):
        name = normalize(item.name)
        for size in (2, 3, 4):
            for start in range(len(name) - size + 1):
                part = name[start:start + size]
                if all(is_hanzi(c) for c in part):
                    hanzi.setdefault(part, None)
    out: dict[str, None] = {}
    for part in hanzi:
        syllables = pinyin_of(part)
        for form in (part, joined_pinyin(part, syllables)[0], initials_of(part, syllables)):
            out.setdefault(form, None)
    return list(out)


def query_script(queries: list[str], offset: int) -> str:
    """A wrk script requesting ``/api/v1/services?q=`` with the next query of the list on every request."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("local queries = {\n")
        script.writelines(f'"{quote(q)}",\n' for q in queries)
        script.write(f"}}\nlocal i = {offset}\n"
                     "request = function()\n  i = i + 1\n"
                     '  return wrk.format("GET", "/api/v1/services?q=" .. queries[(i % #queries) + 1])\nend\n')
    return script.name


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


def _search_runs(base: str, queries: list[str]) -> Callable[[int], Load]:
    """A wrk run per call, each from where the last stopped, so no query repeats across the runs."""
    offset = 0

    def run(seconds: int) -> Load:
        nonlocal offset
        script = query_script(queries, offset)
        try:
            load = wrk(base + "/api/v1/services", seconds=seconds, connections=CONNECTIONS, script=script)
        finally:
            Path(script).unlink()
        if load.rps == load.rps:  # not NaN
            offset += int(load.rps * seconds) + 1
        return load

    return run


def uncached_search(url: str, queries: list[str], bare: Callable[[int], Load]) -> Paired:
    """Paired runs: uncached distinct-query search under 2 gunicorn workers against bare Flask."""
    env = {"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING", "ZWT_SEARCH_CACHE_SIZE": "0"}
    with gunicorn("app:app", env) as base:
        with httpx.Client(timeout=120) as client:  # both workers built their replica at start; touch each
            for q in QUERIES["hanzi 2"]:
                client.get(base + "/api/v1/services", params={"q": q + "x"})
        return paired(_search_runs(base, queries), bare)


def cached_search(url: str, bare: Callable[[int], Load]) -> Paired:
    """Paired runs: the one query 社保 repeated, answered from the page cache, against bare Flask."""
    env = {"ZWT_DATABASE_URL": url, "ZWT_LOG_LEVEL": "WARNING"}
    path = "/api/v1/services?q=" + quote("社保")
    with gunicorn("app:app", env) as base:
        httpx.get(base + path, timeout=120)
        return paired(lambda s: wrk(base + path, seconds=s, connections=CONNECTIONS), bare)


def main() -> None:
    """Build the data sets, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default=os.environ.get("ZWT_BENCH_DATABASE_URL",
                                                       "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--pg-schema", default="bench_catalog")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-latency", action="store_true", help="skip the in-process latency table")
    parser.add_argument("--no-cached", action="store_true", help="skip the page-cache throughput figure")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    targets = {"SQLite": f"sqlite:///{DATA / f'catalog-{args.count}.db'}"}
    if not args.no_pg:
        targets["PostgreSQL"] = postgres_url(args.pg, args.pg_schema)
    for name, url in targets.items():
        prepare(url, args.count)
    if not args.no_latency:
        print(f"\nSearch over {args.count} items, in-process (Flask test client, warm, page cache off), ms:")
        print(f"  {'query class':<12}" + "".join(f"{n + ' p50/p95/max':>30}" for n in targets))
        results = {name: in_process(url, args.repeat) for name, url in targets.items()}
        for kind in QUERIES:
            row = "".join(f"{'%.2f / %.2f / %.2f' % results[n][kind]:>30}" for n in targets)
            print(f"  {kind:<12}{row}")
    queries = distinct_queries(args.count)
    print(f"\nThroughput through gunicorn (2 workers, wrk {CONNECTIONS} connections, paired runs of {SECONDS} s; "
          f"{len(queries)} distinct queries):")
    with gunicorn("bench.bare_app:app", health="/bare") as bare_base:
        def bare(seconds: int) -> Load:
            return wrk(bare_base + "/bare", seconds=seconds, connections=CONNECTIONS)

        for name, url in targets.items():
            paired_row(f"search, page cache off, {name}", uncached_search(url, queries, bare),
                       "bare Flask", "(target >= 25 %)")
            if not args.no_cached:
                paired_row(f"search 社保, page cache on, {name}", cached_search(url, bare),
                           "bare Flask")


if __name__ == "__main__":
    main()
