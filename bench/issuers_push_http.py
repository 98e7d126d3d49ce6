"""Benchmark: a single signed push through gunicorn against the ORM read + insert + commit reference (#21).

Target: one push (``POST /api/v1/issuers/market_regulation/licenses``, one business licence as
``application/json``) >= 30 % of ``/write`` in ``bench/reference_app.py`` (one ORM read, one insert, one
commit), as the median of per-run ratios over alternating runs (``http_load.paired``). Printed, never asserted.

Every request wrk sends is a new license (a new serial, version 1, into the wallet of its legal
representative, the demo citizen 王芳) signed with its own ``created``: the requests are signed in advance with
the production ``IssuingClient.signed_request`` (the demo's market-regulation sandbox key, which ``load-demo``
registered), written to a file, and a Lua script replays them in order, each run starting where the last one
stopped. They are signed just before the paired runs, which end well inside the server's 300 s window; a run
that would need more requests than were signed is reported (the repeats would be ``unchanged``).
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_app  # noqa: E402
from http_load import RUNS, SECONDS, Load, gunicorn, paired, paired_row, wrk  # noqa: E402
from wallet_service_common import backends, prepare, service_env  # noqa: E402

from services_catalog.issuing import JSON, encode_record  # noqa: E402
from services_catalog.sandbox.issued import DEPARTMENT_RECORDS  # noqa: E402
from services_catalog.sandbox.issuers import DEMO_SEED, sandbox_issuers  # noqa: E402
from zwt.clock import SystemClock  # noqa: E402
from zwt.issuers.demo import PosixClock  # noqa: E402

CONNECTIONS = 8
DEPARTMENT = "market_regulation"
#: requests signed per backend: enough for RUNS runs of SECONDS at up to this many pushes a second
CEILING_RPS = int(os.environ.get("ZWT_BENCH_PUSH_CEILING", "1000"))  # a quiet 2-core machine pushes ~630/s
#: the service's allowed signature age for this run: every push is signed before the first is sent, and on a
#: busy machine signing them all takes longer than the default 300 s, after which the early ones would be
#: refused and the rate would measure refusals (it did once: docs/BENCHMARKS.md)
SIGNATURE_SKEW_SECONDS = 7200

LUA = r"""
local requests, position, last = {}, 0, 0
function init(args)
  for line in io.lines(args[1]) do
    local input, signature, digest, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", args[3], {["Content-Type"] = "application/json",
      ["Content-Digest"] = digest, ["Signature-Input"] = input, ["Signature"] = signature}, body)
  end
  position, last = tonumber(args[2]), #requests
end
function request()
  position = position + 1
  if position > last then position = 1 end
  return requests[position]
end
"""


def _sign(count: int, first: int, path: Path) -> None:
    """Sign ``count`` pushes of new business licences (serials from ``first``) into ``path``, one per line."""
    issuer = sandbox_issuers(DEMO_SEED)[DEPARTMENT]
    template = next(r for r in DEPARTMENT_RECORDS[DEPARTMENT] if r["license_type"] == "business_license")
    with httpx.Client(base_url="http://localhost") as http, path.open("w", encoding="utf-8") as out:
        client = issuer.issuing_client(http, PosixClock(SystemClock()))
        for n in range(first, first + count):
            record = copy.deepcopy(template)
            record["serial"] = f"370202MRB{n:010d}"
            body = encode_record(record)
            headers = client.signed_request(body.encode("utf-8"), JSON).headers
            out.write(f"{headers['Signature-Input']}\t{headers['Signature']}\t{headers['Content-Digest']}\t{body}\n")


def main() -> None:
    """On each database: sign the pushes, then measure them paired with ``/write``."""
    path = f"/api/v1/issuers/{DEPARTMENT}/licenses"
    count = CEILING_RPS * RUNS * SECONDS
    print(f"wrk: {CONNECTIONS} connections, gunicorn 2 sync workers, 127.0.0.1 only; paired: {RUNS} runs of "
          f"{SECONDS} s per side, median of the per-run ratios; {count} pushes signed in advance per database, "
          f"accepted for {SIGNATURE_SKEW_SECONDS} s")
    with tempfile.TemporaryDirectory() as tmp:
        script, signed, post_empty = Path(tmp) / "push.lua", Path(tmp) / "signed.tsv", Path(tmp) / "post.lua"
        script.write_text(LUA)
        post_empty.write_text('wrk.method = "POST"\n')
        for name, url in backends():
            prepare(url)
            reference_app.prepare(url)
            with gunicorn("bench.reference_app:app", env=service_env(url), health="/read") as ref, \
                    gunicorn("app:app", env={**service_env(url),
                                             "ZWT_ISSUER_SIGNATURE_SKEW_SECONDS": str(SIGNATURE_SKEW_SECONDS)}) as base:
                started = time.monotonic()
                _sign(count, 0, signed)
                print(f"  signed {count} pushes in {time.monotonic() - started:.1f} s")
                check = httpx.post(base + path, content=signed.read_text(encoding="utf-8").split("\n", 1)[0]
                                   .split("\t", 3)[3].encode(), headers={"Content-Type": "application/json"})
                assert check.status_code == 401, check.text  # unsigned: refused (the route is really checking)
                used = [0]

                def push(seconds: int) -> Load:
                    load = wrk(base + path, seconds=seconds, connections=CONNECTIONS, script=str(script),
                               script_args=(str(signed), str(used[0]), path))
                    used[0] += int(load.rps * seconds) + CONNECTIONS * 2
                    return load

                result = paired(push, lambda s: wrk(ref + "/write", seconds=s, connections=CONNECTIONS,
                                                    script=str(post_empty)))
                paired_row(f"one signed push, {name}", result, "/write", "(target >= 30 %)")
                print(f"{'':<44} p50 {result.target.p50_ms:.2f} ms; /write p50 {result.reference.p50_ms:.2f} ms, "
                      f"p99 {result.reference.p99_ms:.2f} ms; ~{used[0]} pushes sent"
                      + (" (MORE THAN SIGNED: repeats were 'unchanged')" if used[0] > count else ""))


if __name__ == "__main__":
    main()
