"""What a run prints: the route table against the targets, the lost count, and where the CPU went.

CPU is read from psutil (``/proc``) at the start and end of a window: the CPU seconds each process used in
between, grouped as the nodes' gunicorn processes, PostgreSQL backends of the scratch database, the other
PostgreSQL processes, Redis, this harness (locust), and everything else by process name (other people's
work on the shared machine), with the load average.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import psutil

from .tally import Lost

__all__ = ["CpuWindow", "Target", "measured", "route_rows", "print_table", "print_cpu"]

#: sign-ins a user makes as it starts: shown, never judged (the mix's own "login" is)
START_UP = ("login (first)", "login (counter)")


def measured(stats: Any) -> Any:
    """All requests of the mix together (locust's StatsEntry), the start-up sign-ins left out."""
    from locust.stats import StatsEntry

    total = StatsEntry(stats, "mix", "", use_response_times_cache=False)
    for entry in stats.entries.values():
        if entry.name not in START_UP:
            total.extend(entry)
    return total


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


class CpuWindow:
    """CPU seconds per process group between ``__init__`` and ``finish``."""

    def __init__(self, gunicorn_pids: Any, database: str) -> None:
        self.gunicorn_pids = gunicorn_pids  # a callable: the nodes' pids now (workers are replaced in run 3)
        self.database = database
        self.started = time.monotonic()
        self.before = self._snapshot()
        self.machine_before = psutil.cpu_times()

    def _snapshot(self) -> dict[int, tuple[str, float]]:
        out = {}
        ours, me = self.gunicorn_pids(), os.getpid()
        for proc in psutil.process_iter():
            try:
                out[proc.pid] = (self._group(proc, ours, me), _cpu(proc))
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        return out

    def _group(self, proc: psutil.Process, ours: set[int], me: int) -> str:
        if proc.pid in ours or proc.ppid() in ours:
            return "gunicorn (both nodes)"
        if proc.pid == me:
            return "locust (this harness)"
        name = proc.name()
        if name.startswith("postgres"):
            cmd = " ".join(proc.cmdline())
            return f"postgres: {self.database}" if f" {self.database} " in cmd else "postgres: other databases"
        if name.startswith("redis"):
            return "redis-server (shared)"
        cmd = proc.cmdline()
        if name.startswith("python") and len(cmd) > 1:
            tail = next((part for part in cmd[1:] if not part.startswith("-")), cmd[1])
            return f"other: python {os.path.basename(tail)[:40]}"
        return f"other: {name}"

    def finish(self) -> tuple[float, dict[str, float], tuple[float, float, float]]:
        """(seconds elapsed, CPU seconds per group, load average)."""
        after, elapsed = self._snapshot(), time.monotonic() - self.started
        machine = psutil.cpu_times()
        used: dict[str, float] = defaultdict(float)
        # the whole machine, short-lived processes included (the per-process sums miss those that came and went)
        used["machine: all processes"] = sum(
            getattr(machine, f) - getattr(self.machine_before, f) for f in ("user", "system", "nice", "irq", "softirq"))
        for pid, (group, cpu) in after.items():
            used[group] += max(0.0, cpu - self.before.get(pid, (group, 0.0))[1])
        return elapsed, dict(used), os.getloadavg()


@dataclass(frozen=True)
class Target:
    """Run targets: the error budget and the p99 bound, with the overview's own bound when it differs."""

    max_error_pct: float
    p99_ms: float
    overview_p99_ms: float | None = None

    def p99_for(self, route: str) -> float:
        return self.overview_p99_ms if route == "overview" and self.overview_p99_ms else self.p99_ms


def route_rows(stats: Any) -> list[tuple[str, int, int, float, float, float]]:
    """(route, count, failures, p50, p95, p99 in ms) per route from locust's stats, busiest first."""
    rows = [(e.name, e.num_requests, e.num_failures, e.get_response_time_percentile(0.5),
             e.get_response_time_percentile(0.95), e.get_response_time_percentile(0.99))
            for e in stats.entries.values() if e.num_requests]
    return sorted(rows, key=lambda r: -r[1])


def print_table(title: str, stats: Any, target: Target, lost: Lost | None, seconds: float) -> bool:
    """Print the run's table; return whether every target was met."""
    rows = route_rows(stats)
    mix = measured(stats)
    total, failures = mix.num_requests, mix.num_failures
    error_pct = 100.0 * failures / total if total else 0.0
    ok = error_pct <= target.max_error_pct and total > 0  # a run that measured nothing passes nothing
    print(f"\n### {title}: {total} requests in {seconds:.0f} s ({total / seconds:.1f} req/s), "
          f"errors {failures} ({error_pct:.3f} %, target <= {target.max_error_pct} %) "
          f"{'PASS' if ok else 'FAIL'}")
    print("| route | count | error % | p50 ms | p95 ms | p99 ms | p99 target ms | pass |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, count, failed, p50, p95, p99 in rows:
        bound = target.p99_for(name)
        good = p99 <= bound
        if name not in START_UP:
            ok = ok and good
        print(f"| {name} | {count} | {100.0 * failed / count:.2f} | {p50:.0f} | {p95:.0f} | {p99:.0f} | "
              f"{bound:.0f} | {'PASS' if good else 'FAIL'} |")
    if lost is not None:
        print(f"nothing lost: {lost.presentations_found}/{lost.presentations_acked} acknowledged presentations and "
              f"{lost.records_found}/{lost.records_acked} acknowledged log records are in the database; "
              f"lost {lost.lost} {'PASS' if lost.lost == 0 else 'FAIL'}")
        ok = ok and lost.lost == 0
    for error in list(stats.errors.values())[:8]:
        print(f"  error: {error.occurrences} x {error.method} {error.name}: {str(error.error)[:140]}")
    return ok


def print_cpu(window: tuple[float, dict[str, float], tuple[float, float, float]], *, requests: int = 0,
              top: int = 6) -> None:
    """CPU per group (cores used on average over the window), ours first, then the top others; load average.

    With ``requests``, the nodes' CPU per request: set beside the latencies, it tells time spent in our code
    from time spent waiting for a core.
    """
    elapsed, used, load = window
    ours = [g for g in used if not g.startswith(("other:", "machine:")) and g != "postgres: other databases"]
    others = sorted((g for g in used if g not in ours and not g.startswith("machine:")), key=lambda g: -used[g])[:top]
    cores = psutil.cpu_count() or 1
    print(f"CPU over {elapsed:.0f} s on {cores} cores (1.00 = one core busy); load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for group in sorted(ours, key=lambda g: -used[g]) + others + ["machine: all processes"]:
        print(f"  {group:<44} {used[group] / elapsed:5.2f}")
    if requests:
        per = 1000 * sum(used[g] for g in ours if g.startswith(("gunicorn", "postgres"))) / requests
        print(f"  the nodes and their PostgreSQL backends used {per:.1f} ms of CPU per request")
