"""Benchmark: the pre-check of an application with 6 materials (2 licenses, 2 shared-data, 2 uploads) over HTTP.

The app runs on SQLite with the police, hrss and housing-fund sandboxes answering in 50 ms through their real
adapters (real clock). The item needs two of the citizen's wallet licenses, the social-security and
housing-fund records (fetched in parallel, stored with their digest, logged) and two library files. Prints, in
the same run, interleaved round by round:

- the reference: the slowest of the two shared-data departments, each asked alone through its adapter;
- ``POST /api/v1/me/applications/pre-check`` through the app;
- the target of issue #19: pre-check p95 <= reference p95 + 30 ms.

Run: ``.venv/bin/python bench/precheck.py [--runs 100]``.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import tempfile
import time
from pathlib import Path

from services_catalog.examples import example_item
from services_catalog.handling import Satisfier
from services_catalog.items import Material
from services_catalog.records import Citizen
from services_catalog.sandbox import sandbox_departments
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from zwt import create_app
from zwt.catalog.repository import save_item
from zwt.migrate import upgrade

LATENCY_MS = 50


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(int(round(len(ordered) * q)) - 1, 0)]


def _pdf(n: int) -> bytes:
    return b"%PDF-1.4\n% bench " + str(n).encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def main() -> None:
    """Measure the reference and the pre-check, interleaved run by run, and print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="zwt-bench-precheck-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    departments = sandbox_departments(latency_ms=LATENCY_MS)
    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_SMS_OUTBOX_PATH": "off", "ZWT_SANDBOX_REGISTRY_PATH": "off",
                      "ZWT_LIVENESS_SESSIONS_PATH": "off", "ZWT_LOG_LEVEL": "ERROR",
                      "ZWT_UPLOAD_STORE": str(folder / "uploads")}, departments=departments)
    client, svc = app.test_client(), app.extensions["zwt"]
    demo = DEMO_CITIZENS[0]
    person = {"name": demo.citizen.name, "id_number": demo.citizen.id_number, "phone": demo.phone,
              "password": "Secret2026ok"}
    started = client.post("/api/v1/auth/register", json=person).json
    code = re.search(r"\d{6}", svc.proofing.sandbox.outbox.last(person["phone"]).text).group(0)
    token = client.post("/api/v1/auth/register/confirm",
                        json={"challenge_id": started["challenge_id"], "code": code}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    held = sorted({lic["license_type"] for lic in client.get("/api/v1/me/licenses", headers=headers).json["items"]})
    assert len(held) >= 2, held
    files = []
    for n in range(2):
        made = client.post("/api/v1/me/materials", headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(_pdf(n)), f"m{n}.pdf", "application/pdf")})
        files.append(made.json["id"])
    materials = (Material("证照一", satisfied_by=(Satisfier("license", held[0], ("holder",)),)),
                 Material("证照二", satisfied_by=(Satisfier("license", held[1], ("holder",)),)),
                 Material("社保", satisfied_by=(Satisfier("shared_data", source="social_security_record"),)),
                 Material("公积金", satisfied_by=(Satisfier("shared_data", source="housing_fund_record"),)),
                 Material("上传一", satisfied_by=(Satisfier("upload"),)),
                 Material("上传二", satisfied_by=(Satisfier("upload"),)))
    item = example_item(status="published", department_code="police", accepts_online=True, online_depth=3,
                        materials=materials)
    with svc.db.sessions() as sess:
        save_item(sess, item, source="registration", actor="bench", action="create", now=svc.clock.now())
        sess.commit()
    body = {"impl_code": item.impl_code, "uploads": {"上传一": files[0], "上传二": files[1]}}
    citizen = Citizen(demo.citizen.id_number, demo.citizen.name)
    adapters = {code: departments.get(code).adapter for code in ("hrss", "housing_fund")}
    sources = {"hrss": "social_security_payments", "housing_fund": "housing_fund_deposits"}

    checks, reference = [], []
    for run in range(args.runs + 1):  # run 0 warms up and is not counted
        slowest = 0.0
        for code, adapter in adapters.items():
            t0 = time.perf_counter()
            adapter.shared_record(sources[code], citizen, timeout=1.0)
            slowest = max(slowest, time.perf_counter() - t0)
        t0 = time.perf_counter()
        answer = client.post("/api/v1/me/applications/pre-check", json=body, headers=headers)
        elapsed = time.perf_counter() - t0
        assert answer.status_code == 200 and answer.json["complete"], answer.json
        if run:
            checks.append(elapsed * 1000)
            reference.append(slowest * 1000)
    ref95, chk95 = percentile(reference, 0.95), percentile(checks, 0.95)
    print(f"reference, slowest shared-data department alone: p50 {percentile(reference, 0.5):6.1f} ms  "
          f"p95 {ref95:6.1f} ms")
    print(f"pre-check, 6 materials over HTTP:                 p50 {percentile(checks, 0.5):6.1f} ms  "
          f"p95 {chk95:6.1f} ms")
    print(f"p95 over the slowest department: {chk95 - ref95:+.1f} ms (target <= +30 ms) over {args.runs} runs; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    departments.close()


if __name__ == "__main__":
    main()
