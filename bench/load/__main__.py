"""``python -m bench.load [--short]``: provision, then the four load runs of issue 17, a table per run.

1. ``--seconds`` (600) at ``--users`` (100) citizens, one counter per 20;
2. the same with the police sandbox slowed to 1 s (``ZWT_SANDBOX_LATENCY_MS=police=1000``, nodes restarted);
3. the same with one gunicorn worker SIGKILLed every ``--kill-every`` (60) s, the nodes taking turns;
4. a ramp from ``--ramp-step`` citizens by ``--ramp-step`` until the p99 of all requests crosses 300 ms;
5. each route alone (one user, no think time): the CPU the nodes spend per request beside its latency.
``--short`` does all four in about a minute of load (20 users, 12 s each) for trying the harness.
"""

from __future__ import annotations

import locust  # noqa: F401  (first: locust patches the standard library for gevent on import)

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from typing import Any, Callable  # noqa: E402

import gevent  # noqa: E402
import httpx  # noqa: E402
import psutil  # noqa: E402
from locust import constant  # noqa: E402
from locust.env import Environment  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from zwt.config import Config  # noqa: E402

from . import nodes  # noqa: E402
from .people import ensure_people, migrate  # noqa: E402
from .report import CpuWindow, Target, measured, print_cpu, print_table, route_rows  # noqa: E402
from .tally import count_lost  # noqa: E402
from .users import PLAN, CitizenUser, CounterUser  # noqa: E402

P99_MS = 300.0
SLOW_DEPARTMENT = "police=1000"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="about a minute of load in all, for trying")
    parser.add_argument("--runs", default="1,2,3,4,5", help="which runs, e.g. 1,4 (5: CPU cost per route)")
    parser.add_argument("--users", type=int, help="citizens (default 100; 20 with --short)")
    parser.add_argument("--seconds", type=int, help="measured seconds of runs 1-3 (600; 12 with --short)")
    parser.add_argument("--kill-every", type=int, help="run 3: seconds between worker kills (60; 4)")
    parser.add_argument("--ramp-step", type=int, help="run 4: citizens added per step (25; 20)")
    parser.add_argument("--step-seconds", type=int, help="run 4: measured seconds per step (45; 6)")
    parser.add_argument("--pool", type=int, help="citizen accounts to provision, the ramp's ceiling (250; 60)")
    parser.add_argument("--fresh", action="store_true", help="drop and re-provision the scratch database")
    parser.add_argument("--workers", type=int, default=nodes.WORKERS,
                        help=f"sync workers per node ({nodes.WORKERS}); a sign-in holds one for its scrypt hash")
    args = parser.parse_args()
    nodes.WORKERS = args.workers
    short = args.short
    for name, full, brief in (("users", 100, 20), ("seconds", 600, 12), ("kill_every", 60, 4),
                              ("ramp_step", 25, 20), ("step_seconds", 45, 6), ("pool", 250, 60)):
        if getattr(args, name) is None:
            setattr(args, name, brief if short else full)
    return args


def _machine() -> None:
    print(f"machine: {platform.node()}, {psutil.cpu_count()} cores ({platform.processor() or platform.machine()}), "
          f"{psutil.virtual_memory().total / 2**30:.1f} GiB, Python {platform.python_version()}, "
          f"locust {locust.__version__}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {_pressure()}")


def _pressure() -> str:
    """The kernel's CPU pressure (PSI): the share of time some runnable task waited for a core."""
    try:
        line = open("/proc/pressure/cpu", encoding="ascii").readline().split()
    except OSError:
        return "CPU pressure unknown"
    return "CPU pressure " + " ".join(line[1:3])


def _impl_codes(base: str) -> list[str]:
    codes: list[str] = []
    for page in range(1, 6):
        answer = httpx.get(base + "/api/v1/services", params={"page": page, "per_page": 50}, timeout=30)
        codes.extend(item["impl_code"] for item in answer.json()["items"])
    return codes


class Harness:
    """One locust environment at a time against the current cluster."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.engine = create_engine(nodes.database_url())
        self.cluster: nodes.Cluster | None = None

    def cluster_up(self, **extra: str) -> None:
        if self.cluster:
            self.cluster.stop()
        self.cluster = nodes.Cluster(nodes.node_env(**extra))
        started = time.monotonic()
        PLAN.nodes = self.cluster.start()
        settings = " with " + ", ".join(f"{k}={v}" for k, v in extra.items()) if extra else ""
        print(f"nodes {', '.join(PLAN.nodes)} ({nodes.WORKERS} sync workers each) up in "
              f"{time.monotonic() - started:.0f} s{settings}", flush=True)

    def _start(self, citizens: int) -> tuple[Environment, Any]:
        PLAN.reset()
        CounterUser.fixed_count = max(1, citizens // 20)
        env = Environment(user_classes=[CitizenUser, CounterUser])
        runner = env.create_local_runner()
        self._grow(runner, citizens)
        return env, runner

    def _grow(self, runner: Any, citizens: int) -> None:
        CounterUser.fixed_count = max(1, citizens // 20)
        total = citizens + CounterUser.fixed_count
        runner.start(total, spawn_rate=25)
        deadline = time.monotonic() + 120
        while runner.user_count < total and time.monotonic() < deadline:
            gevent.sleep(0.5)
        gevent.sleep(3)  # the first sign-ins settle

    def steady(self, title: str, target: Target, *, during: Callable[[], None] | None = None) -> bool:
        """A run at ``--users`` citizens for ``--seconds``, then the tally checked in the database."""
        assert self.cluster
        env, runner = self._start(self.args.users)
        env.stats.reset_all()
        window = CpuWindow(self.cluster.pids, nodes.DATABASE)
        worker = gevent.spawn(during) if during else None
        gevent.sleep(self.args.seconds)
        if worker:
            worker.kill()
        cpu = window.finish()
        runner.quit()
        lost = count_lost(self.engine, PLAN.tally)
        ok = print_table(f"{title}, N={self.args.users} (+{CounterUser.fixed_count} counters)", env.stats, target,
                         lost, cpu[0])
        print_cpu(cpu, requests=env.stats.total.num_requests)
        return ok

    def kill_workers(self) -> None:
        assert self.cluster
        turn = 0
        while True:
            gevent.sleep(self.args.kill_every)
            pid = nodes.kill_a_worker(self.cluster, turn)
            print(f"  SIGKILL worker {pid} of node {turn % 2} at +{(turn + 1) * self.args.kill_every} s", flush=True)
            turn += 1

    def ramp(self) -> bool:
        """Add citizens step by step until the p99 of all requests crosses 300 ms."""
        assert self.cluster
        citizens = self.args.ramp_step
        env, runner = self._start(citizens)
        print("\n### run 4: ramp (step: settle, then measure)")
        print("| N citizens | counters | req/s | error % | p50 ms | p99 ms | slowest routes by p99 |")
        print("|---:|---:|---:|---:|---:|---:|---|")
        crossed: tuple[int, Any, Any] | None = None
        while True:
            gevent.sleep(max(3, self.args.step_seconds // 4))  # the new users' first sign-ins settle
            env.stats.reset_all()
            window = CpuWindow(self.cluster.pids, nodes.DATABASE)
            gevent.sleep(self.args.step_seconds)
            cpu = window.finish()
            total = measured(env.stats)
            p99 = total.get_response_time_percentile(0.99)
            rps = total.num_requests / cpu[0]
            slow = sorted(route_rows(env.stats), key=lambda r: -r[5])[:3]
            print(f"| {citizens} | {CounterUser.fixed_count} | {rps:.1f} | "
                  f"{100.0 * total.num_failures / max(1, total.num_requests):.2f} | "
                  f"{total.get_response_time_percentile(0.5):.0f} | {p99:.0f} | "
                  f"{', '.join(f'{r[0]} {r[5]:.0f}' for r in slow)} |", flush=True)
            if p99 > P99_MS:
                crossed = (citizens, env.stats, cpu)
                break
            if citizens + self.args.ramp_step > self.args.pool:
                break
            citizens += self.args.ramp_step
            self._grow(runner, citizens)
        if crossed:
            n, stats, cpu = crossed
            print(f"p99 crossed {P99_MS:.0f} ms at N={n} citizens, {measured(stats).num_requests / cpu[0]:.1f} req/s; "
                  "where the time went at that step:")
            print_table(f"run 4 at N={n}", stats, Target(100.0, P99_MS), None, cpu[0])
            print_cpu(cpu, requests=stats.total.num_requests)
        else:
            print(f"p99 stayed under {P99_MS:.0f} ms up to N={citizens} (the account pool, --pool)")
        runner.quit()
        return True

    def costs(self, seconds: int) -> None:
        """Run 5: each route alone, one user, no think time, for ``seconds``: CPU per request and latency.

        The CPU the nodes and their PostgreSQL backends spend per request does not depend on how busy the
        machine is; the latency does. Set side by side they tell our code's cost from waiting for a core.
        """
        assert self.cluster
        idle = CpuWindow(self.cluster.pids, nodes.DATABASE)
        gevent.sleep(seconds)
        idle_s, idle_used, _ = idle.finish()
        baseline = sum(v for g, v in idle_used.items() if g.startswith(("gunicorn", "postgres: " + nodes.DATABASE)))
        baseline /= idle_s
        print(f"\n### run 5: cost per route (one user, no think time, alone on the nodes; the nodes' idle CPU, "
              f"{baseline:.3f} cores, subtracted)")
        print("| route | requests | CPU ms / request (nodes + PostgreSQL) | p50 ms | p99 ms | p50 / CPU |")
        print("|---|---:|---:|---:|---:|---:|")
        routes = [(CitizenUser, name, getattr(CitizenUser, method)) for name, method in (
            ("search", "search"), ("service detail", "service_detail"), ("overview", "overview"),
            ("licenses", "licenses"), ("presentation", "present"), ("login", "login"))]
        routes += [(CounterUser, "bundle sync", CounterUser.bundle_sync), (CounterUser, "log upload",
                                                                           CounterUser.upload_log)]
        for base, name, method in routes:
            PLAN.reset()
            probe = type("Probe", (base,), {"tasks": [method], "wait_time": constant(0), "fixed_count": 0,
                                            "weight": 1})
            env = Environment(user_classes=[probe])
            runner = env.create_local_runner()
            runner.start(1, spawn_rate=1)
            gevent.sleep(2)
            env.stats.reset_all()
            window = CpuWindow(self.cluster.pids, nodes.DATABASE)
            gevent.sleep(seconds)
            elapsed, used, _load = window.finish()
            runner.quit()
            entry = env.stats.get(name, "POST" if name in ("presentation", "login", "log upload") else "GET")
            cpu = sum(v for g, v in used.items() if g.startswith(("gunicorn", f"postgres: {nodes.DATABASE}")))
            per = 1000 * max(0.0, cpu - baseline * elapsed) / max(1, env.stats.total.num_requests)
            p50 = entry.get_response_time_percentile(0.5)
            print(f"| {name} | {entry.num_requests} | {per:.1f} | {p50:.0f} | "
                  f"{entry.get_response_time_percentile(0.99):.0f} | {p50 / per if per else 0:.1f} |", flush=True)

    def close(self) -> None:
        if self.cluster:
            self.cluster.stop()
        self.engine.dispose()


def main() -> int:
    args = _arguments()
    runs = {int(r) for r in args.runs.split(",")}
    _machine()
    created = nodes.create_database(fresh=args.fresh)
    if created:
        for stale in ("accounts.json", "sandbox-people.json", "sms.jsonl"):
            (nodes.STATE / stale).unlink(missing_ok=True)
    print(f"database {nodes.database_url()} ({'created, migrating and loading the demo' if created else 'reused'}); "
          f"Redis {nodes.REDIS_URL}", flush=True)
    migrate(nodes.node_env(), demo=created)
    harness = Harness(args)
    results = {}
    try:
        harness.cluster_up()
        started = time.monotonic()
        PLAN.people = ensure_people(PLAN.nodes, nodes.node_env(), citizens=args.pool,
                                    counters=args.pool // 20 + 1)
        PLAN.impl_codes = _impl_codes(PLAN.nodes[0])
        print(f"{len(PLAN.people.citizens)} citizens, {len(PLAN.people.counters)} counters ready "
              f"({time.monotonic() - started:.0f} s); users pick nodes alternately (no balancer)", flush=True)
        deadline = Config.from_env(nodes.node_env()).overview_deadline_s
        if 1 in runs:
            results[1] = harness.steady("run 1: steady", Target(0.1, P99_MS))
        if 2 in runs:
            harness.cluster_up(ZWT_SANDBOX_LATENCY_MS=SLOW_DEPARTMENT)
            results[2] = harness.steady(f"run 2: police sandbox slowed to 1 s (overview deadline {deadline:g} s)",
                                        Target(0.1, P99_MS, deadline * 1000 + 50))
            harness.cluster_up()
        if 3 in runs:
            results[3] = harness.steady(f"run 3: a worker SIGKILLed every {args.kill_every} s", Target(0.5, P99_MS),
                                        during=harness.kill_workers)
        if 4 in runs:
            results[4] = harness.ramp()
        if 5 in runs:
            harness.costs(6 if args.short else 20)
    finally:
        harness.close()
    print("\nsummary: " + ", ".join(f"run {n} {'PASS' if ok else 'FAIL'}" for n, ok in sorted(results.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
