"""Benchmark: the shared-data layer fetching 4 sources about one person, on the real clock.

Sandboxes answer in 50 ms: police (household registration), social security (payment record), housing
fund (deposit record) and civil affairs (marriage status), through their real adapters over httpx's WSGI
transport. Prints, in the same run:

- the reference: the slowest of the four departments, each asked alone (the same calls, one after another);
- ``fetch_shared`` of all four in parallel through the aggregator (breakers, bulkheads, deadline);
- the layer's share: fetch p95 minus the reference p95. The #19 pre-check target is p95 <= slowest + 30 ms,
  so this layer's share must leave room for the rest of the pre-check.

Run: ``.venv/bin/python bench/shared_data.py [--runs 200]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import statistics
import time

from services_catalog.aggregator import Aggregator
from services_catalog.clock import RealWaitingClock
from services_catalog.sandbox import DEMO_DEPARTMENTS, sandbox_departments
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from services_catalog.shared_data import fetch_shared
from services_catalog.shared_records import SHARED_SOURCES

LATENCY_MS = 50
DEADLINE_S = 1.0


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(int(round(len(ordered) * q)) - 1, 0)]


def main() -> None:
    """Measure the reference and the layer, interleaved run by run, and print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    clock = RealWaitingClock()
    deps = sandbox_departments(latency_ms=LATENCY_MS, clock=clock, departments=DEMO_DEPARTMENTS)
    citizen = DEMO_CITIZENS[0].citizen
    names = list(SHARED_SOURCES)
    by_source = {name: next(d for d in deps.values() if d.kind == SHARED_SOURCES[name].department_kind)
                 for name in names}
    slowest, fetched = [], []
    with cf.ThreadPoolExecutor(max_workers=32) as executor:
        agg = Aggregator(deps, clock=clock, executor=executor, deadline_s=DEADLINE_S, per_source_timeout_s=DEADLINE_S)
        fetch_shared(agg, deps, citizen, names, deadline_s=DEADLINE_S)  # warm-up
        for _ in range(runs):
            alone = []
            for name in names:
                start = time.perf_counter()
                by_source[name].adapter.shared_record(name, citizen, timeout=DEADLINE_S)  # type: ignore[attr-defined]
                alone.append((time.perf_counter() - start) * 1000)
            slowest.append(max(alone))
            start = time.perf_counter()
            results = fetch_shared(agg, deps, citizen, names, deadline_s=DEADLINE_S)
            fetched.append((time.perf_counter() - start) * 1000)
            assert all(r.state == "ok" for r in results.values()), {n: r.state for n, r in results.items()}
    deps.close()
    ref95, p95 = percentile(slowest, 0.95), percentile(fetched, 0.95)
    print(f"shared data: {len(names)} sources, departments answering in {LATENCY_MS} ms, {runs} runs, deadline "
          f"{DEADLINE_S * 1000:.0f} ms")
    print(f"  reference, slowest department alone: median {statistics.median(slowest):6.1f} ms   p95 {ref95:6.1f} ms")
    print(f"  fetch_shared, all in parallel:       median {statistics.median(fetched):6.1f} ms   p95 {p95:6.1f} ms")
    verdict = "meets" if p95 <= ref95 + 30 else "MISSES"
    print(f"  layer's share at p95: {p95 - ref95:+.1f} ms  (pre-check target: slowest + 30 ms; {verdict} it alone)")


if __name__ == "__main__":
    main()
