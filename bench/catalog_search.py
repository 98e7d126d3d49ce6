"""Catalog search on 10,000 demo items: the in-memory index beside what a database could do instead
(FTS5 trigram, LIKE scan, a (term, item_id) table), SQLite and PostgreSQL.

Run: ``.venv/bin/python bench/catalog_search.py [--pg postgresql://postgres@127.0.0.1:5432/test]
[--repeat 5]``. Prints p50/p95 in milliseconds per query class and method, and hit counts, side by
side. "in-memory index+rank" is the design (``services_catalog.search_index.SearchIndex``, which each
worker keeps as its replica); "terms" keeps the same postings in a table of this benchmark's own and
fetches the candidates' documents to rank them ("terms+rank"), the path the service no longer has.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import time
from typing import Any, Callable, Iterable, Sequence

from services_catalog.demo_catalog import demo_items, demo_popularity
from services_catalog.ranking import score
from services_catalog.search import Query, SearchDoc, analyze_query, doc_terms, search_document
from services_catalog.search_index import SearchIndex

QUERIES = {
    "hanzi2": ["社保", "户口", "医保", "退休", "补领", "失业", "驾照", "出生"],
    "hanzi3-4": ["公积金", "身份证", "驾驶证", "不动产", "结婚登记", "营业执照", "养老保险", "残疾人证"],
    "pinyin": ["shebao", "gongjijin", "shenfenzheng", "jiashizheng", "hukou", "yibao", "tuixiu", "budongchan"],
    "initials": ["sb", "gjj", "sfz", "jsz", "hk", "yb", "bdc", "jhdj"],
}


def _timed(run: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    times, hits = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        hits = run()
        times.append((time.perf_counter() - start) * 1000)
    return times, hits


def _rank(rows: Iterable[tuple[int, str, int]], query: Query, limit: int = 20) -> list[int]:
    ranked = [(score(SearchDoc.from_dict(json.loads(doc)), query, popularity=pop), key) for key, doc, pop in rows]
    ranked.sort(key=lambda pair: (-pair[0], pair[1]))
    return [key for _, key in ranked[:limit]]


class Backend:
    """One database holding the items, the term table and whatever baseline indexes it supports."""

    placeholder = "?"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        cur = self.conn.cursor()
        cur.execute(sql.replace("?", self.placeholder), params)
        return list(cur.fetchall())

    def candidates(self, query: Query) -> set[int]:
        found: set[int] = set()
        for alt in query.alternatives:
            marks = ",".join("?" * len(alt.terms))
            found.update(r[0] for r in self.execute(
                f"SELECT item_id FROM item_terms WHERE term IN ({marks}) GROUP BY item_id HAVING COUNT(*) >= ?",
                [*sorted(alt.terms), alt.needed]))
        return found

    def search(self, query: Query) -> int:
        ids = sorted(self.candidates(query))
        rows: list[tuple[int, str, int]] = []
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            rows += self.execute(f"SELECT id, doc, popularity FROM items WHERE id IN ({','.join('?' * len(chunk))})",
                                 chunk)
        return len(_rank(rows, query)) and len(ids)

    def like(self, query: Query, kind: str) -> int:
        column = {"pinyin": "spelled", "initials": "initials"}.get(kind, "norm")
        return len(self.execute(f"SELECT id FROM items WHERE {column} LIKE ?", [f"%{query.text}%"]))


def load(backend: Backend, items: list[Any], docs: list[SearchDoc], popularity: dict[str, int]) -> int:
    rows, term_rows = [], []
    for key, (item, doc) in enumerate(zip(items, docs)):
        name = doc.texts[0]
        rows.append((key, item.name, name.text, name.spelled[0], name.initials, json.dumps(doc.to_dict()),
                     popularity[item.impl_code]))
        term_rows += [(term, key) for term in doc_terms(doc)]
    cur = backend.conn.cursor()
    p = backend.placeholder
    cur.executemany(f"INSERT INTO items VALUES ({','.join([p] * 7)})", rows)
    cur.executemany(f"INSERT INTO item_terms VALUES ({p},{p})", term_rows)
    backend.conn.commit()
    return len(term_rows)


def sqlite_backend() -> Backend:
    conn = sqlite3.connect(":memory:")
    conn.executescript("""
        CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, norm TEXT, spelled TEXT, initials TEXT, doc TEXT,
                            popularity INTEGER);
        CREATE TABLE item_terms (term TEXT NOT NULL, item_id INTEGER NOT NULL, PRIMARY KEY (term, item_id))
            WITHOUT ROWID;
        CREATE VIRTUAL TABLE fts USING fts5(name, content='items', content_rowid='id', tokenize='trigram');
    """)
    return Backend(conn)


def pg_backend(url: str) -> Backend:
    import psycopg  # only the benchmark talks to PostgreSQL

    conn = psycopg.connect(url)
    conn.execute("DROP SCHEMA IF EXISTS bench_search CASCADE")
    conn.execute("CREATE SCHEMA bench_search")
    conn.execute("SET search_path TO bench_search")
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, norm TEXT, spelled TEXT, initials TEXT,"
                 " doc TEXT, popularity INTEGER)")
    conn.execute("CREATE TABLE item_terms (term TEXT COLLATE \"C\" NOT NULL, item_id INTEGER NOT NULL,"
                 " PRIMARY KEY (term, item_id))")
    backend = Backend(conn)
    backend.placeholder = "%s"
    return backend


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(title: str, results: dict[str, dict[str, tuple[list[float], list[int]]]]) -> None:
    methods = list(next(iter(results.values())))
    print(f"\n{title}: p50 / p95 ms (mean hits per query)")
    print(f"{'class':<10}" + "".join(f"{m:>28}" for m in methods))
    for cls, per_method in results.items():
        cells = []
        for method in methods:
            times, hits = per_method[method]
            if not times:
                cells.append(f"{'n/a':>28}")
                continue
            p50, p95 = percentile(times, .5), percentile(times, .95)
            cells.append(f"{p50:>9.2f} /{p95:>7.2f} ({statistics.mean(hits):>6.0f})")
        print(f"{cls:<10}" + "".join(cells))


def run(backend: Backend, methods: dict[str, Callable[[Query, str], int]], repeat: int
        ) -> dict[str, dict[str, tuple[list[float], list[int]]]]:
    results: dict[str, dict[str, tuple[list[float], list[int]]]] = {}
    for cls, raws in QUERIES.items():
        results[cls] = {m: ([], []) for m in methods}
        for raw in raws:
            query = analyze_query(raw)
            for name, method in methods.items():
                if name == "fts5 trigram" and cls in ("pinyin", "initials"):
                    continue
                times, hits = _timed(lambda: method(query, cls), repeat)
                results[cls][name][0].extend(times)
                results[cls][name][1].append(hits)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="", help="PostgreSQL URL; schema bench_search is created and dropped")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    items = demo_items()
    popularity = demo_popularity(items)
    docs = [search_document(item) for item in items]
    print(f"{len(items)} items, documents built in {time.perf_counter() - start:.1f} s")

    memory: SearchIndex[int] = SearchIndex()
    memory.add_many((k, d, popularity[i.impl_code]) for k, (i, d) in enumerate(zip(items, docs)))

    lite = sqlite_backend()
    start = time.perf_counter()
    term_count = load(lite, items, docs, popularity)
    lite.conn.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
    print(f"SQLite: {term_count} term rows ({term_count / len(items):.0f} per item), loaded and indexed in "
          f"{time.perf_counter() - start:.1f} s")

    def fts(query: Query, kind: str) -> int:
        return len(lite.execute("SELECT rowid FROM fts WHERE fts MATCH ?", ['"' + query.text + '"']))

    report("SQLite (in-process, in-memory database)", run(lite, {
        "fts5 trigram": fts,
        "like scan": lite.like,
        "terms (candidates)": lambda q, k: len(lite.candidates(q)),
        "terms+rank": lambda q, k: lite.search(q),
        "in-memory index+rank": lambda q, k: len(memory.search(q, limit=20)) and len(memory.candidates(q)),
    }, args.repeat))

    if args.pg:
        pg = pg_backend(args.pg)
        try:
            start = time.perf_counter()
            load(pg, items, docs, popularity)
            pg.conn.execute("ANALYZE")
            print(f"\nPostgreSQL: loaded in {time.perf_counter() - start:.1f} s")
            report("PostgreSQL (localhost)", run(pg, {
                "like scan": pg.like,
                "terms (candidates)": lambda q, k: len(pg.candidates(q)),
                "terms+rank": lambda q, k: pg.search(q),
            }, args.repeat))
        finally:
            pg.conn.rollback()
            pg.conn.execute("DROP SCHEMA IF EXISTS bench_search CASCADE")
            pg.conn.commit()
            pg.conn.close()


if __name__ == "__main__":
    main()
