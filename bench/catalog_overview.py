"""Benchmark: the home-screen overview over three sandbox departments, on the real clock.

Departments answer in 100, 200 and 300 ms (in-process sandboxes through httpx's WSGI transport).
Prints, for each scenario, the overview's wall time against its target:

1. all healthy: total vs the slowest department (target: slowest + 30 ms);
2. housing fund hung: total vs the deadline, with the fund reported ``timeout``;
3. housing fund still hung, its breaker open: total vs the slower healthy department, fund ``circuit_open``;
4. hrss and housing fund hung, both breakers open: total vs the fastest department (target: fastest + 30 ms).

Run: ``.venv/bin/python bench/catalog_overview.py [--runs 20]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import statistics
import time

from services_catalog.aggregator import Aggregator
from services_catalog.breaker import BreakerPolicy
from services_catalog.clock import RealWaitingClock
from services_catalog.records import Citizen
from services_catalog.sandbox import SandboxDepartments, sandbox_departments
from services_catalog.sandbox.citizens import DEMO_CITIZENS

LATENCY_MS = {"police": 100, "hrss": 200, "housing_fund": 300}
DEADLINE_S = 0.5


def timed(agg: Aggregator, citizen: Citizen, runs: int) -> tuple[list[float], dict[str, str]]:
    """Run ``runs`` overviews; return their wall times in ms and the last one's source states."""
    times, states = [], {}
    for _ in range(runs):
        start = time.perf_counter()
        overview = agg.overview(citizen)
        times.append((time.perf_counter() - start) * 1000)
        states = {code: r.state for code, r in overview.sources.items()}
    return times, states


def report(title: str, times: list[float], target_ms: float, states: dict[str, str]) -> None:
    """Print one scenario's figures."""
    ordered = sorted(times)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    verdict = "meets" if p95 <= target_ms else "MISSES"
    print(f"{title}\n  median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   max {max(times):7.1f} ms"
          f"   target <= {target_ms:.0f} ms ({verdict} at p95)\n  states {states}")


def hang(deps: SandboxDepartments, code: str) -> None:
    """Make a department hang for longer than any request waits."""
    deps.scripts[code].set(fault="hang", hang_max_s=30.0)


def main() -> None:
    """Run the four scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    clock = RealWaitingClock()
    deps = sandbox_departments(latency_ms=LATENCY_MS, clock=clock)
    citizen = DEMO_CITIZENS[0].citizen
    with cf.ThreadPoolExecutor(max_workers=64) as executor:
        agg = Aggregator(deps, clock=clock, executor=executor, deadline_s=DEADLINE_S,
                         per_source_timeout_s=DEADLINE_S, breaker_policy=BreakerPolicy(3, 60.0, 600.0),
                         bulkhead_size=16)
        agg.overview(citizen)  # warm-up: connection setup, first JSON encoders
        print(f"overview of 3 sandbox departments answering in {LATENCY_MS} ms; deadline {DEADLINE_S * 1000:.0f} "
              f"ms; {runs} runs per scenario\n")
        times, states = timed(agg, citizen, runs)
        report("1. all healthy: total vs slowest (300 ms) + 30", times, 330, states)

        hang(deps, "housing_fund")
        times, states = timed(agg, citizen, 3)  # three timeouts open the fund's breaker
        report("2. housing fund hung: answered at the deadline", times, DEADLINE_S * 1000 + 30, states)

        times, states = timed(agg, citizen, runs)
        report("3. housing fund breaker open: total vs slower healthy department (200 ms) + 30", times, 230,
               states)

        hang(deps, "hrss")
        timed(agg, citizen, 3)  # open hrss's breaker too
        times, states = timed(agg, citizen, runs)
        report("4. hrss and housing fund breakers open: total vs fastest (100 ms) + 30", times, 130, states)
        deps.release_all()
    deps.close()


if __name__ == "__main__":
    main()
