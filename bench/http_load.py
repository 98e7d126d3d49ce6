"""Benchmark helpers: start gunicorn on loopback and measure it with wrk (bounded in time).

Only 127.0.0.1 is ever targeted. Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str] | None = None, workers: int = 2,
             health: str = "/healthz", args: tuple[str, ...] = ()) -> Iterator[str]:
    """Run ``gunicorn app_spec`` on a free loopback port until the block ends; yield its base URL.

    ``args`` are further gunicorn options (a worker class, threads).
    """
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:zwt.gunicorn_conf", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", *args, app_spec],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                if httpx.get(url + health, timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError(f"gunicorn {app_spec} did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Load:
    """What a load run measured."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str | None) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)", text or "")
    if found is None:
        return float("nan")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _field(pattern: str, out: str) -> str | None:
    found = re.search(pattern, out, re.MULTILINE)
    return found.group(1) if found else None


def wrk(url: str, *, seconds: int = 5, connections: int = 8, threads: int = 1,
        headers: dict[str, str] | None = None, script: str | None = None, script_args: tuple[str, ...] = ()) -> Load:
    """Drive ``url`` with wrk for ``seconds`` and parse throughput, latency percentiles and errors
    (``script_args`` reach the Lua script's ``init(args)``)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for HTTP benchmarks: apt-get install wrk")
    cmd = ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    for key, value in (headers or {}).items():
        cmd += ["-H", f"{key}: {value}"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    if script_args:
        cmd += ["--", *script_args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(_field(r"Requests/sec:\s+([\d.]+)", out) or "nan")
    # Anchored: a Stdev column such as "75.50%" in the thread stats also contains "50%".
    p50, p99 = _ms(_field(r"^\s+50%\s+(\S+)", out)), _ms(_field(r"^\s+99%\s+(\S+)", out))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    return Load(rps, p50, p99, errors)


RUNS = int(os.environ.get("ZWT_BENCH_RUNS", "5"))
SECONDS = int(os.environ.get("ZWT_BENCH_SECONDS", "10"))


@dataclass
class Paired:
    """A target measured against its reference in alternating runs: the median of the per-run ratios."""

    target: Load
    reference: Load
    ratio: float
    ratios: list[float]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _median_load(loads: list[Load]) -> Load:
    return Load(_median([x.rps for x in loads]), _median([x.p50_ms for x in loads]),
                _median([x.p99_ms for x in loads]), sum(x.errors for x in loads))


def paired(target: Callable[[int], Load], reference: Callable[[int], Load], *, runs: int = RUNS,
           seconds: int = SECONDS) -> Paired:
    """Run ``reference`` and ``target`` alternately ``runs`` times for ``seconds`` each.

    Machine noise on a shared 2-core VM moves single runs by 5-10 points; alternating the two and
    taking the median of the per-pair ratios lets a slow patch hit both sides. Each callable takes the
    run length in seconds and returns what wrk measured.
    """
    targets: list[Load] = []
    references: list[Load] = []
    for _ in range(runs):
        references.append(reference(seconds))
        targets.append(target(seconds))
    ratios = [t.rps / r.rps if r.rps else float("nan") for t, r in zip(targets, references)]
    return Paired(_median_load(targets), _median_load(references), _median(ratios), ratios)


def paired_row(label: str, result: Paired, reference_label: str, target: str = "") -> None:
    """Print one paired figure: the target's median rate and p99 beside its reference and the ratio."""
    spread = ", ".join(f"{100 * r:.0f}" for r in result.ratios)
    print(f"{label:<44} {result.target.rps:8.0f} req/s  p99 {result.target.p99_ms:6.2f} ms  "
          f"= {100 * result.ratio:4.0f} % of {reference_label} ({result.reference.rps:.0f} req/s; runs: {spread})"
          + (f"  {target}" if target else "")
          + (f"  errors {result.target.errors}" if result.target.errors else ""))
