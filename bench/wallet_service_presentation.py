"""GET /api/v1/me and the presentation endpoint through gunicorn, each against its database reference, paired.

Targets (issue 10), each the median of per-run ratios over alternating runs (``http_load.paired``):
``GET /api/v1/me`` >= 80 % of one ORM read (``/read``); a presentation (signs an ES256 credential,
stores the presentation and an access-log row) >= 50 % of one read, one insert and one commit
(``/write``) with p99 <= 50 ms. Printed, never asserted. Bare Flask is printed beside them for scale.

Beside each ratio of rates, the server CPU time per request (gunicorn master and workers, from
``/proc``) of target and reference: on a machine shared with other work the rates move by tens of
points from run to run, the CPU a request costs much less.

Reference endpoints (``bench/reference_app.py``) show the ceiling the database sets: Flask with one
ORM read, and with one read, one insert and one commit (the least a request that leaves a durable log
row does), through SQLAlchemy and straight on the driver, on the same engine settings as the service.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_app  # noqa: E402
from http_load import RUNS, SECONDS, Load, Paired, gunicorn, paired, paired_row, wrk  # noqa: E402
from wallet_service_common import backends, login, prepare, service_env  # noqa: E402

CONNECTIONS = 8


def _row(label: str, load: Load, bare: Load) -> None:
    print(f"{label:<44} {load.rps:8.0f} req/s  p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  "
          f"= {100 * load.rps / bare.rps:4.0f} % of bare" + (f"  errors {load.errors}" if load.errors else ""))


def _server_cpu(url: str) -> float:
    """CPU seconds the gunicorn processes bound to ``url``'s port (master and workers) have used so far."""
    bind = f"127.0.0.1:{url.rsplit(':', 1)[1]}".encode()
    total = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
            if b"--bind" not in argv or bind not in argv:
                continue
            fields = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _with_cpu(url: str, run: Callable[[int], Load], sink: list[float]) -> Callable[[int], Load]:
    """``run``, also appending the server CPU milliseconds per request of each call to ``sink``."""
    def measured(seconds: int) -> Load:
        before = _server_cpu(url)
        load = run(seconds)
        sink.append(1000 * (_server_cpu(url) - before) / max(1.0, load.rps * seconds))
        return load
    return measured


def _compare(label: str, target_url: str, target: Callable[[int], Load], reference_url: str,
             reference: Callable[[int], Load], reference_label: str, goal: str) -> Paired:
    """Measure ``target`` paired with ``reference``; print the rates' ratio and both CPU costs per request."""
    target_cpu: list[float] = []
    reference_cpu: list[float] = []
    result = paired(_with_cpu(target_url, target, target_cpu), _with_cpu(reference_url, reference, reference_cpu))
    paired_row(label, result, reference_label, goal)
    ratios = sorted(r / t for r, t in zip(reference_cpu, target_cpu) if t)
    print(f"{'':<44} server CPU per request {sorted(target_cpu)[len(target_cpu) // 2]:.2f} ms, "
          f"{reference_label} {sorted(reference_cpu)[len(reference_cpu) // 2]:.2f} ms: "
          f"= {100 * ratios[len(ratios) // 2]:.0f} % by CPU (runs: {', '.join(f'{100 * r:.0f}' for r in ratios)})")
    return result


def _post_script(body: str | None) -> str:
    """A wrk script that POSTs ``body`` as JSON (or nothing); the caller deletes the file."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write('wrk.method = "POST"\n')
        if body is not None:
            script.write(f"wrk.body = {json.dumps(body)}\n" 'wrk.headers["Content-Type"] = "application/json"\n')
    return script.name


def main() -> None:
    """Measure bare Flask once, then /me against /read and presentations against /write on each database."""
    print(f"wrk: {CONNECTIONS} connections, gunicorn 2 sync workers, 127.0.0.1 only; paired: {RUNS} runs "
          f"of {SECONDS} s per side, median of the per-run ratios")
    with gunicorn("bench.bare_app:app", health="/bare") as bare_url:
        bare = wrk(bare_url + "/bare", seconds=SECONDS, connections=CONNECTIONS)
    print(f"{'bare Flask JSON':<44} {bare.rps:8.0f} req/s  p50 {bare.p50_ms:6.2f} ms  p99 {bare.p99_ms:6.2f} ms")
    post_empty, post_profile = _post_script(None), _post_script(json.dumps({"profile": "standard"}))
    try:
        for name, url in backends():
            prepare(url)
            reference_app.prepare(url)
            with gunicorn("bench.reference_app:app", env=service_env(url), health="/read") as ref, \
                    gunicorn("app:app", env=service_env(url)) as base:
                _row(f"  the driver's read-insert-commit, {name}",
                     wrk(ref + "/write-raw", seconds=SECONDS, connections=CONNECTIONS, script=post_empty), bare)
                headers = login(base, "13800000001")
                items = httpx.get(base + "/api/v1/me/licenses", headers=headers).json()["items"]
                lic = next(item["id"] for item in items if item["license_type"] == "driving_license")
                me = _compare(f"GET /api/v1/me, {name}", base,
                              lambda s: wrk(base + "/api/v1/me", seconds=s, connections=CONNECTIONS, headers=headers),
                              ref, lambda s: wrk(ref + "/read", seconds=s, connections=CONNECTIONS),
                              "/read", "(target >= 80 %)")
                show = _compare(f"presentation, {name}", base,
                                lambda s: wrk(f"{base}/api/v1/me/licenses/{lic}/presentations", seconds=s,
                                              connections=CONNECTIONS, headers=headers, script=post_profile),
                                ref, lambda s: wrk(ref + "/write", seconds=s, connections=CONNECTIONS,
                                                   script=post_empty),
                                "/write", "(target >= 50 %, p99 <= 50 ms)")
                print(f"{'':<44} /read {100 * me.reference.rps / bare.rps:.0f} %, /write "
                      f"{100 * show.reference.rps / bare.rps:.0f} % of bare Flask")
    finally:
        Path(post_empty).unlink()
        Path(post_profile).unlink()


if __name__ == "__main__":
    main()
