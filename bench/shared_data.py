"""Benchmark: the shared-data layer fetching 4 sources about one person, on the real clock.

Sandboxes answer in 50 ms: police (household registration), social security (payment record) and housing
fund (deposit record) through their real adapters over httpx's WSGI transport, plus a stand-in for the
civil-affairs department (marriage status, the adapter arrives with issue #18) that sleeps 50 ms on the same
script. Prints, in the same run:

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
from services_catalog.departments import Department
from services_catalog.records import Citizen
from services_catalog.sandbox import sandbox_departments
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from services_catalog.sandbox.script import Script
from services_catalog.shared_data import fetch_shared
from services_catalog.shared_records import SHARED_SOURCES, SharedRecord, SharedSource

LATENCY_MS = 50
DEADLINE_S = 1.0
MARRIAGE = SharedSource("marriage_status", "civil_affairs", "婚姻状况", "Marriage status")
KNOWN = {**SHARED_SOURCES, MARRIAGE.name: MARRIAGE}


class CivilAffairsStandIn:
    """Answers marriage status after the scripted latency, like a sandbox department (no wire format)."""

    def __init__(self, script: Script) -> None:
        self.department_code = "civil_affairs"
        self.script = script

    def shared_record(self, source: str, citizen: Citizen, *, timeout: float) -> SharedRecord | None:
        """The person's marriage status (married since 2014 for every demo person)."""
        self.script.begin("shared")
        return SharedRecord(source, self.department_code, {"status": "married", "registered_on": "2014-05-20"})


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
    deps = sandbox_departments(latency_ms=LATENCY_MS, clock=clock)
    stand_in = CivilAffairsStandIn(Script(clock, latency_s=LATENCY_MS / 1000))
    departments = dict(deps) | {"civil_affairs": Department("civil_affairs", "civil_affairs", stand_in)}  # type: ignore
    citizen = DEMO_CITIZENS[0].citizen
    names = list(KNOWN)
    by_source = {name: next(d for d in departments.values() if d.kind == KNOWN[name].department_kind)
                 for name in names}
    slowest, fetched = [], []
    with cf.ThreadPoolExecutor(max_workers=32) as executor:
        agg = Aggregator(deps, clock=clock, executor=executor, deadline_s=DEADLINE_S, per_source_timeout_s=DEADLINE_S)
        fetch_shared(agg, departments, citizen, names, deadline_s=DEADLINE_S, known=KNOWN)  # warm-up
        for _ in range(runs):
            alone = []
            for name in names:
                start = time.perf_counter()
                by_source[name].adapter.shared_record(name, citizen, timeout=DEADLINE_S)  # type: ignore[attr-defined]
                alone.append((time.perf_counter() - start) * 1000)
            slowest.append(max(alone))
            start = time.perf_counter()
            results = fetch_shared(agg, departments, citizen, names, deadline_s=DEADLINE_S, known=KNOWN)
            fetched.append((time.perf_counter() - start) * 1000)
            assert all(r.state == "ok" for r in results.values()), {n: r.state for n, r in results.items()}
    deps.close()
    ref95, p95 = percentile(slowest, 0.95), percentile(fetched, 0.95)
    print(f"shared data: 4 sources, departments answering in {LATENCY_MS} ms, {runs} runs, deadline "
          f"{DEADLINE_S * 1000:.0f} ms")
    print(f"  reference, slowest department alone: median {statistics.median(slowest):6.1f} ms   p95 {ref95:6.1f} ms")
    print(f"  fetch_shared, 4 in parallel:         median {statistics.median(fetched):6.1f} ms   p95 {p95:6.1f} ms")
    verdict = "meets" if p95 <= ref95 + 30 else "MISSES"
    print(f"  layer's share at p95: {p95 - ref95:+.1f} ms  (pre-check target: slowest + 30 ms; {verdict} it alone)")


if __name__ == "__main__":
    main()
