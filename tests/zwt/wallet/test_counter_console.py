"""What the counter console needs from the service: the page and its service worker under the page's own CSP,
the list of items a wallet license stands in for, and uploads of every verdict the page records."""

from __future__ import annotations

import base64
import json
import re

from wallet import cose
from wallet.holder import generate_device_key
from zwt.security_headers import COUNTER_CSP

from .conftest import COUNTER, HALL
from .test_counter import _batch, _register_counter


def test_the_page_and_its_service_worker_carry_the_page_csp(client):
    """Own origin only and WebAssembly allowed; no inline script, never framed; the worker's scope is /counter."""
    page = client.get("/counter")
    assert page.status_code == 200 and page.mimetype == "text/html"
    csp = page.headers["Content-Security-Policy"]
    assert csp == COUNTER_CSP and "'wasm-unsafe-eval'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp.replace("'wasm-unsafe-eval'", "")
    assert b'<script type="module" src="/static/counter/app.mjs">' in page.data
    assert b"<script>" not in page.data and b"cdn" not in page.data.lower()
    worker = client.get("/counter/sw.js")
    assert worker.mimetype == "text/javascript" and worker.headers["Service-Worker-Allowed"] == "/counter"
    files = json.loads(re.search(rb"const FILES = (\[.*?\])\n", worker.data).group(1))
    assert "/counter" in files and "/static/counter/app.mjs" in files and "/static/qd1/verify.mjs" in files
    for path in files[1:]:
        assert client.get(path).status_code == 200, path
    assert b"__VERSION__" not in worker.data


def test_items_list_each_item_with_its_fields_per_license_type(world):
    """Only published items a license stands in for; the wallet fields as presentations use them; ETag and 304."""
    item = world.service_item()
    clerk = world.clerk()
    listed = world.client.get("/api/v1/verifier/items", headers=clerk)
    assert listed.status_code == 200, listed.json
    assert listed.json["items"] == [{"impl_code": item, "name": "驾驶证期满换证", "department_name": listed.json[
        "items"][0]["department_name"], "needs": {"driving_license": [
            "holder_name", "holder_code", "valid_from", "valid_until", "license_class"]}}]
    again = world.client.get("/api/v1/verifier/items", headers={**clerk, "If-None-Match": listed.headers["ETag"]})
    assert again.status_code == 304
    world.service_item("11370200MB0000001X4370200002", license_type="id_card", required=("holder", "gender"))
    changed = world.client.get("/api/v1/verifier/items", headers={**clerk, "If-None-Match": listed.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != listed.headers["ETag"]
    assert {i["impl_code"]: i["needs"] for i in changed.json["items"]}["11370200MB0000001X4370200002"] == {
        "id_card": ["holder_name", "holder_code_masked", "valid_from", "valid_until", "gender"]}
    citizen = world.citizen(0)  # the web wallet offers a license for these items too
    assert world.client.get("/api/v1/verifier/items", headers=citizen.headers).json == changed.json
    assert world.client.get("/api/v1/verifier/items", headers=world.admin("police")).status_code == 403


def test_every_verdict_the_page_records_uploads(world):
    """The reasons with digits (not_qd1, bad_base45) are verdicts a record may carry."""
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    records = [{"record_id": f"r-{reason}", "verified_at": "2026-11-26T09:00:00.000Z", "license_id": None,
                "license_type": None, "verdict": reason, "fields": [], "impl_code": None}
               for reason in ("not_qd1", "bad_base45", "bad_zlib")]
    raw = _batch(device_id, records, hall=HALL, counter=COUNTER)
    signature = cose.sign_raw(key, cose.ALG_ES256, raw)
    stored = world.client.post("/api/v1/verifier/logs", headers=clerk, json={
        "payload": base64.b64encode(raw).decode(), "signature": base64.b64encode(signature).decode()})
    assert stored.status_code == 201, stored.json
    assert (stored.json["accepted"], stored.json["refused"]) == (3, [])
