"""Offline log upload: a counter-signed batch of 1,000 verification records through gunicorn.

Target (issue 5): <= 1 s per batch. Printed, never asserted. Records name real licenses, so each is
resolved to its holder and lands in their access log.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_load import gunicorn  # noqa: E402
from wallet_service_common import backends, login, prepare, service_env  # noqa: E402

RECORDS, BATCHES = 1000, 5


def main() -> None:
    """Register a counter device, then time signed uploads of 1,000 records on each database."""
    from wallet import cose
    from wallet.holder import generate_device_key
    from wallet.keys import spki_der

    for name, url in backends():
        prepare(url)
        with gunicorn("app:app", env=service_env(url)) as base:
            http = httpx.Client(base_url=base, timeout=30)
            clerk = login(base, "clerk01")
            citizen = login(base, "13800000001")
            owned = http.get("/api/v1/me/licenses", headers=citizen).json()["items"]
            identifiers = [item["identifier"] for item in owned]
            key = generate_device_key()
            me = http.get("/api/v1/me", headers=clerk).json()
            nonce = http.post("/api/v1/nonces", headers=clerk).json()["nonce"]
            proof = cose.sign_raw(key, cose.ALG_ES256, f"zwt-device-binding|{nonce}|{me['subject']}".encode())
            device = http.post("/api/v1/verifier/devices", headers=clerk, json={
                "name": "bench", "public_key": base64.b64encode(spki_der(key.public_key())).decode(),
                "nonce": nonce, "signature": base64.b64encode(proof).decode()}).json()["id"]
            times = []
            for _ in range(BATCHES):
                now = dt.datetime.now(dt.timezone.utc).isoformat()
                records = [{"record_id": uuid.uuid4().hex, "verified_at": now, "license_id": identifiers[i % 5],
                            "license_type": "driving_license", "verdict": "valid", "fields": ["holder_name"],
                            "impl_code": None} for i in range(RECORDS)]
                raw = json.dumps({"batch_id": uuid.uuid4().hex, "device_id": device, "hall_code": me["hall_code"],
                                  "counter_code": me["counter_code"], "records": records}).encode()
                body = {"payload": base64.b64encode(raw).decode(),
                        "signature": base64.b64encode(cose.sign_raw(key, cose.ALG_ES256, raw)).decode()}
                started = time.perf_counter()
                response = http.post("/api/v1/verifier/logs", headers=clerk, json=body)
                times.append(time.perf_counter() - started)
                assert response.status_code == 201 and response.json()["stored"] == RECORDS, response.text
        print(f"log upload of {RECORDS:,} records, {name:<10}: median {statistics.median(times) * 1000:6.0f} ms, "
              f"max {max(times) * 1000:6.0f} ms over {BATCHES} batches ({len(raw) // 1024} KiB payload; "
              "target <= 1 s)")


if __name__ == "__main__":
    main()
