"""The wallet walk-through (``make demo``): show a driving licence, verify it offline, revoke, resync, see it refused.

Starts its own service (a fresh SQLite database, demo data, gunicorn on a free loopback port) unless
``ZWT_BASE_URL`` points at a running one that has the demo data loaded (``make run``). Every step is
printed and the transcript is saved to the path given as the first argument, by default
``instance/demo-transcript.txt`` (untracked); ``docs/demo-transcript.txt`` is a sample kept in the
repository, refreshed on purpose with ``make demo TRANSCRIPT=docs/demo-transcript.txt``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Demo2026pass"
CITIZEN, CLERK, POLICE = "13800000001", "clerk01", "police_admin"
RESTRICTED = "13800000006"  # 赵磊, on the list of dishonest judgment debtors
TRANSCRIPT: list[str] = []


def say(text: str = "") -> None:
    """Print a line and keep it for the transcript."""
    print(text, flush=True)
    TRANSCRIPT.append(text)


def step(title: str) -> None:
    """Print a step heading."""
    say()
    say(f"== {title}")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_service(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Migrate a fresh SQLite database, load the demo data and start gunicorn on a free port."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ZWT_DATABASE_URL": f"sqlite:///{workdir / 'demo.db'}", "ZWT_LOG_LEVEL": "WARNING",
           "ZWT_PUBLIC_BASE_URL": base,  # the QR image links point at this demo server
           "ZWT_SANDBOX_REGISTRY_PATH": str(workdir / "people.json"), "ZWT_SMS_OUTBOX_PATH": str(workdir / "sms.jsonl"),
           "ZWT_LIVENESS_SESSIONS_PATH": str(workdir / "liveness.jsonl"),
           # A worker trusts the wallet generation it read for up to a second; the walk-through resyncs right
           # after the revocation, possibly on the other worker, so it asks every worker to read it each time.
           "ZWT_BUNDLE_FRESHNESS_SECONDS": "0"}
    flask = [str(BIN / "flask"), "--app", "app"]
    subprocess.run([*flask, "db-upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    loaded = subprocess.run([*flask, "load-demo", "--catalog-items", "3000"], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    for line in loaded.stdout.splitlines():
        if line.startswith(("wallet:", "wallets:", "issuing departments", "  push ", "  pull ", "  1380000000")):
            say("  " + line.strip())
    proc = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # the application worker, as `make run` starts it beside gunicorn (stopped with the service below)
    WORKERS.append(subprocess.Popen([*flask, "worker", "--poll", "0.2"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for _ in range(100):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the service did not start")


WORKERS: list[subprocess.Popen[bytes]] = []


def login(http: httpx.Client, username: str) -> dict[str, str]:
    """Sign in and return the Authorization header."""
    response = http.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": "Bearer " + response.json()["access_token"]}


def find_driving_item(http: httpx.Client) -> dict[str, Any]:
    """A published service item whose materials accept an electronic driving licence."""
    page = http.get("/api/v1/services", params={"q": "驾驶证", "per_page": 50}).json()
    for summary in page["items"]:
        item = http.get(f"/api/v1/services/{summary['impl_code']}").json()
        if any(m.get("e_license_type") == "driving_license" for m in item.get("materials", [])):
            return dict(item)
    raise SystemExit("no service item takes an electronic driving licence; load the demo catalog")


def wallet_verify(bundle: Path, root: Path, text: str) -> dict[str, Any]:
    """Run the counter's offline verifier ``python -m wallet verify --bundle ...`` and return its JSON."""
    state = bundle.parent / "counter-state"  # the counter remembers: newest bundle, replays, clock
    command = [sys.executable, "-m", "wallet", "verify", "--bundle", str(bundle), "--root", str(root),
               "--state", str(state), "--json", text]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    say(f"$ python -m wallet verify --bundle {bundle.name} --root {root.name} --state {state.name} --json 'QD1:...'"
        f"   (exit {result.returncode})")
    verdict: dict[str, Any] = json.loads(result.stdout)
    return verdict


def sync_bundle(http: httpx.Client, path: Path, etag: str | None) -> str:
    """Download the trust bundle like a counter (If-None-Match) and save it."""
    response = http.get("/api/v1/verifier/bundle", headers={"If-None-Match": etag} if etag else {})
    if response.status_code == 200:
        path.write_bytes(response.content)
    say(f"GET /api/v1/verifier/bundle -> {response.status_code}, seq {response.headers.get('X-Bundle-Seq')}, "
        f"{len(response.content)} bytes, ETag {response.headers['ETag']}")
    return response.headers["ETag"]


def upload(http: httpx.Client, clerk: dict[str, str], device: tuple[Any, str], verdict: dict[str, Any],
           impl_code: str) -> None:
    """Upload one offline verification as a batch signed by the counter device key."""
    from wallet import cose

    key, device_id = device
    me = http.get("/api/v1/me", headers=clerk).json()
    record = {"record_id": uuid.uuid4().hex, "verified_at": dt.datetime.now(dt.timezone.utc).isoformat(),
              "license_id": verdict["license_id"], "license_type": verdict["type"],
              "verdict": "valid" if verdict["valid"] else verdict["reason"], "fields": sorted(verdict["fields"]),
              "impl_code": impl_code}
    raw = json.dumps({"batch_id": uuid.uuid4().hex, "device_id": device_id, "hall_code": me["hall_code"],
                      "counter_code": me["counter_code"], "records": [record]}).encode()
    signature = cose.sign_raw(key, cose.ALG_ES256, raw)
    response = http.post("/api/v1/verifier/logs", headers=clerk, json={
        "payload": base64.b64encode(raw).decode(), "signature": base64.b64encode(signature).decode()})
    say(f"POST /api/v1/verifier/logs (1 record, signed by the counter device) -> {response.status_code} "
        f"{response.json()}")


def register_counter(http: httpx.Client, clerk: dict[str, str]) -> tuple[Any, str]:
    """Register a fresh counter device key (proof of possession over a server nonce)."""
    from wallet import cose
    from wallet.holder import generate_device_key
    from wallet.keys import spki_der

    key = generate_device_key()
    subject = http.get("/api/v1/me", headers=clerk).json()["subject"]
    nonce = http.post("/api/v1/nonces", headers=clerk).json()["nonce"]
    signature = cose.sign_raw(key, cose.ALG_ES256, f"zwt-device-binding|{nonce}|{subject}".encode())
    response = http.post("/api/v1/verifier/devices", headers=clerk, json={
        "name": "窗口扫码设备", "public_key": base64.b64encode(spki_der(key.public_key())).decode(), "nonce": nonce,
        "signature": base64.b64encode(signature).decode()})
    response.raise_for_status()
    body = response.json()
    say(f"counter device {body['id']} registered to {body['hall_code']} / {body['counter_code']}")
    return key, body["id"]


def walk(base: str, workdir: Path) -> None:
    """The walk-through itself, against the service at ``base``."""
    http = httpx.Client(base_url=base, timeout=10)
    step("1. The citizen signs in and opens the wallet")
    citizen = login(http, CITIZEN)
    licenses = http.get("/api/v1/me/licenses", headers=citizen).json()["items"]
    for lic in licenses:
        say(f"  {lic['name_zh']:<12} {lic['status']:<8} {lic['issuer_name']}  holder {lic['holder_name']}")
    driving = next(lic for lic in licenses if lic["license_type"] == "driving_license")
    say(f"  driving licence number shown masked: {driving['fields']['holder_code']['value']}")

    step("2. Show the driving licence for a service item (免证办: only the fields the item needs)")
    item = find_driving_item(http)
    say(f"  service item {item['impl_code']} {item['name']}")
    shown = http.post(f"/api/v1/me/licenses/{driving['id']}/presentations", headers=citizen,
                      json={"impl_code": item["impl_code"]}).json()
    say(f"  disclosed fields: {', '.join(shown['fields'])}; holder-bound: {shown['holder_bound']}; "
        f"expires {shown['expires_at']}")
    say(f"  QR text ({len(shown['qd1'])} chars): {shown['qd1'][:60]}...")
    png = http.get(shown["png_url"].replace(base, ""), headers=citizen)
    (workdir / "presentation.png").write_bytes(png.content)
    say(f"  QR image: {len(png.content)} bytes PNG, ETag {png.headers['ETag']}")

    step("3. The counter syncs the trust bundle and verifies offline")
    clerk = login(http, CLERK)
    device = register_counter(http, clerk)
    bundle, root = workdir / "bundle.cbor", workdir / "root.pem"
    root.write_bytes(http.get("/api/v1/verifier/root-key").content)
    etag = sync_bundle(http, bundle, None)
    sync_bundle(http, bundle, etag)
    verdict = wallet_verify(bundle, root, shown["qd1"])
    say(f"  verdict: valid={verdict['valid']} {verdict['message_zh']} / {verdict['message_en']}")
    say(f"  license id: {verdict['license_id']}")
    say(f"  fields the clerk sees: {json.dumps(verdict['fields'], ensure_ascii=False)}")
    upload(http, clerk, device, verdict, item["impl_code"])

    step("4. The police admin revokes the driving licence")
    police = login(http, POLICE)
    revoked = http.post(f"/api/v1/admin/licenses/{verdict['license_id']}/status", headers=police,
                        json={"action": "revoke", "reason": "驾驶证被依法吊销（演示）"})
    say(f"POST /api/v1/admin/licenses/<id>/status revoke -> {revoked.status_code} status={revoked.json()['status']}")

    step("5. The counter resyncs and verifies the same QR code again")
    sync_bundle(http, bundle, etag)
    again = wallet_verify(bundle, root, shown["qd1"])
    say(f"  verdict: valid={again['valid']} reason={again['reason']} {again['message_zh']} / {again['message_en']}")
    upload(http, clerk, device, again, item["impl_code"])

    step("6. The citizen reads who looked at the licence")
    log = http.get("/api/v1/me/access-log", headers=citizen).json()["items"]
    for entry in reversed(log):
        who = entry["actor_name"] or entry["actor_role"]
        where = f" at {entry['hall_code']}/{entry['counter_code']}" if entry["hall_code"] else ""
        fields = f" fields={','.join(entry['fields'])}" if entry["fields"] else ""
        say(f"  {entry['at'][:19]} {entry['event']:<9} {entry['source']:<7} by {who}{where}"
            f" item={entry['impl_code'] or '-'} verdict={entry['verdict'] or '-'}{fields}")
    if again["reason"] != "revoked":
        raise SystemExit("expected the resynced counter to answer revoked")
    apply_online(http, citizen, login(http, POLICE), bundle, root, etag)
    credit_in_handling(http, citizen)


def find_online_item(http: httpx.Client, words: str) -> dict[str, Any]:
    """A published item taking online applications, found by its name."""
    page = http.get("/api/v1/services", params={"q": words, "per_page": 50}).json()
    for summary in page["items"]:
        item = http.get(f"/api/v1/services/{summary['impl_code']}").json()
        if item.get("accepts_online"):
            return dict(item)
    raise SystemExit(f"no item {words} takes online applications; load the demo catalog")


def apply_online(http: httpx.Client, citizen: dict[str, str], police: dict[str, str], bundle: Path, root: Path,
                 etag: str) -> None:
    """Apply for a residence permit, correct it, have it approved, and find the permit in the wallet."""
    step("7. The citizen applies online for a residence permit (居住证申领)")
    item = find_online_item(http, "居住证申领")
    say(f"  item {item['impl_code']} {item['name']}; form: "
        + ", ".join(f"{f['label']}{'*' if f['required'] else ''}" for f in item["form_fields"]))
    form = {"address": "青岛市崂山区海尔路1号", "reason": "就业", "since": "2026-01-05"}
    made = http.post("/api/v1/me/applications", headers={**citizen, "Idempotency-Key": "demo-apply-1"},
                     json={"impl_code": item["impl_code"], "form": form})
    made.raise_for_status()
    app_id = made.json()["id"]
    say(f"POST /api/v1/me/applications -> {made.status_code} {app_id} state={made.json()['state']}")
    view = made.json()
    for _ in range(100):  # the worker delivers it to the police system
        view = http.get(f"/api/v1/me/applications/{app_id}", headers=citizen).json()
        if view["delivery_state"] != "queued":
            break
        time.sleep(0.1)
    say(f"  the worker delivered it: delivery={view['delivery_state']} state={view['state']}")

    step("8. The police ask for a correction, the citizen supplies it, the police approve and conclude")
    moves = f"/api/v1/admin/applications/{app_id}/moves"
    asked = http.post(moves, headers=police, json={"move": "request_correction", "message": "请补充邮政编码"})
    say(f"  request_correction -> {asked.status_code}; citizen is due: {asked.json()['due']}")
    fixed = http.post(f"/api/v1/me/applications/{app_id}/correction", headers=citizen,
                      json={"form": {"postcode": "266100"}})
    say(f"  correction -> {fixed.status_code} state={fixed.json()['state']}")
    permit = {"gender": "男", "ethnicity": "汉", "birth_date": "1985-03-12", "address": form["address"],
              "issuing_authority": "青岛市公安局崂山分局"}
    for body in ({"move": "accept"}, {"move": "decide", "outcome": "approved", "reason": "符合居住证申领条件",
                                      "license_fields": permit}, {"move": "conclude", "delivery": "e_license"}):
        answer = http.post(moves, headers=police, json=body)
        answer.raise_for_status()
        limit = answer.json()["time_limit"]
        say(f"  {body['move']} -> {answer.status_code} state={answer.json()['state']}"
            + (f" due {limit['due']} ({limit['remaining_days']} working days left)" if limit else ""))

    step("9. The permit is in the wallet and verifies offline; the timeline and the messages")
    licenses = http.get("/api/v1/me/licenses", headers=citizen).json()["items"]
    issued = next(lic for lic in licenses if lic["license_type"] == "residence_permit")
    shown = http.post(f"/api/v1/me/licenses/{issued['id']}/presentations", headers=citizen, json={}).json()
    sync_bundle(http, bundle, etag)
    verdict = wallet_verify(bundle, root, shown["qd1"])
    say(f"  {issued['name_zh']} from {issued['issuer_name']}: verdict valid={verdict['valid']} {verdict['message_zh']}")
    detail = http.get(f"/api/v1/me/applications/{app_id}", headers=citizen).json()
    for event in detail["timeline"]:
        say(f"  {event['at'][:19]} {event['move']:<18} {event['actor']:<10} {event['message']}")
    inbox = http.get("/api/v1/me/messages", headers=citizen).json()
    say(f"  messages: {inbox['unread']} unread; newest: {inbox['items'][0]['title']}")
    if not verdict["valid"]:
        raise SystemExit("expected the issued residence permit to verify")


def credit_in_handling(http: httpx.Client, citizen: dict[str, str]) -> None:
    """Pre-check offers a commitment to a citizen in good standing; a restricted one is refused at submission."""
    step("10. Public credit: a commitment (信用承诺) offered, a dishonest judgment debtor refused (失信限制)")
    permit = find_online_item(http, "居住证申领")
    offered = http.post("/api/v1/me/applications/pre-check", headers=citizen,
                        json={"impl_code": permit["impl_code"]}).json()["credit"]
    say(f"  {permit['name']}: verdict={offered['verdict']} deferrable={offered['deferrable']} "
        f"due={(offered['commitment'] or {}).get('due')}")
    allowance = find_online_item(http, "最低生活保障申请")
    debtor = login(http, RESTRICTED)
    form = {"address": "青岛市市南区香港中路1号", "household_size": 3, "monthly_income": 1200}
    refused = http.post("/api/v1/me/applications", headers=debtor,
                        json={"impl_code": allowance["impl_code"], "form": form})
    listing = refused.json()["credit"]["refused_by"][0] if refused.status_code == 403 else {}
    say(f"  {allowance['name']} for 赵磊 -> {refused.status_code} {refused.json().get('code')}: "
        f"{listing.get('list_name')}; 信用修复: {listing.get('repair', {}).get('apply_at')}")
    if refused.status_code != 403:
        raise SystemExit("expected the restricted subject to be refused")


def stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM every process at once, then wait for each within gunicorn's graceful timeout (30 s: a loaded
    machine needs more than a few seconds to stop two workers) before killing what is still there."""
    for running in processes:
        running.terminate()
    for running in processes:
        try:
            running.wait(timeout=35)
        except subprocess.TimeoutExpired:
            running.kill()
            running.wait()


def main() -> int:
    """Run the walk-through and save its transcript."""
    say(f"Zhengwutong wallet walk-through, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    base = os.environ.get("ZWT_BASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        proc = None
        if not base:
            step("0. Start the service: fresh SQLite database, demo data, gunicorn on a free port")
            proc, base = start_service(workdir)
            say(f"  serving on {base}")
        try:
            walk(base.rstrip("/"), workdir)
        finally:
            stop_all(([proc] if proc is not None else []) + WORKERS)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "instance" / "demo-transcript.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(TRANSCRIPT) + "\n", encoding="utf-8")
    print(f"\ntranscript saved to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
