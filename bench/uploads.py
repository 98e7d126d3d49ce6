"""Benchmark: uploading a 5 MB PDF into the materials library vs writing the same file to disk (issue 19).

Target: the upload takes at most 3x the time of writing the file to disk in the same run. The upload goes
through the whole app in-process (Flask test client; the multipart body is encoded beforehand, as a client
would send it): token check, werkzeug's multipart parser spooling the part to a temporary file, type
sniffing, SHA-256, the filesystem store's write + fsync + rename, and the database rows (SQLite file).
Each round uploads different bytes, so no round is answered from an already stored blob. The reference
writes the same 5 MB to a new file on the same file system, with fsync (the store syncs too, so a stored
file survives a crash); the plain write without fsync is printed as well.

Run: ``.venv/bin/python bench/uploads.py [--rounds 5] [--mb 5]``. Medians in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from werkzeug.test import encode_multipart

from services_catalog.fakes import fake_departments
from zwt import create_app
from zwt.migrate import upgrade


def _pdf(size: int, round_no: int) -> bytes:
    """A PDF-shaped file of ``size`` bytes, different in every round."""
    head = b"%PDF-1.4\n%" + round_no.to_bytes(4, "big").hex().encode() + b"\n"
    return head + os.urandom(size - len(head))


def _write(path: Path, data: bytes, sync: bool) -> float:
    started = time.perf_counter()
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        if sync:
            os.fsync(out.fileno())
    return time.perf_counter() - started


def main() -> None:
    """Time ``--rounds`` uploads and disk writes of the same size and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024)
    folder = Path(tempfile.mkdtemp(prefix="zwt-bench-uploads-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_SMS_OUTBOX_PATH": "off", "ZWT_SANDBOX_REGISTRY_PATH": "off",
                      "ZWT_LIVENESS_SESSIONS_PATH": "off", "ZWT_LOG_LEVEL": "ERROR",
                      "ZWT_UPLOAD_STORE": str(folder / "uploads")}, departments=fake_departments())
    client = app.test_client()
    outbox = app.extensions["zwt"].proofing.sandbox.outbox
    person = {"name": "李雷", "id_number": "11010519491231002X", "phone": "13900000001", "password": "Secret2026ok"}
    started = client.post("/api/v1/auth/register", json=person).json
    code = re.search(r"\d{6}", outbox.last(person["phone"]).text).group(0)
    token = client.post("/api/v1/auth/register/confirm",
                        json={"challenge_id": started["challenge_id"], "code": code}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    uploads, synced, plain = [], [], []
    for round_no in range(args.rounds + 1):  # round 0 warms the app up and is not counted
        data = _pdf(size, round_no)
        boundary, body = encode_multipart({"file": _file(data)})
        t0 = time.perf_counter()
        answer = client.post("/api/v1/me/materials", data=body, headers=headers,
                             content_type=f"multipart/form-data; boundary={boundary}")
        elapsed = time.perf_counter() - t0
        assert answer.status_code == 201, answer.json
        ref_synced = _write(folder / f"ref-{round_no}.pdf", data, sync=True)
        ref_plain = _write(folder / f"ref-plain-{round_no}.pdf", data, sync=False)
        if round_no:
            uploads.append(elapsed)
            synced.append(ref_synced)
            plain.append(ref_plain)
    up, ref, ref_plain = (statistics.median(x) * 1000 for x in (uploads, synced, plain))
    print(f"upload of a {args.mb:g} MB PDF through the app: {up:8.1f} ms (median of {args.rounds})")
    print(f"reference, the same bytes written to disk + fsync: {ref:8.1f} ms")
    print(f"reference, written without fsync:                 {ref_plain:8.1f} ms")
    print(f"ratio upload / (write + fsync): {up / ref:.2f}x (target <= 3x); "
          f"upload / plain write: {up / ref_plain:.2f}x")


def _file(data: bytes):  # noqa: ANN202 - a werkzeug FileStorage for encode_multipart
    import io

    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(data), filename="户口本.pdf", content_type="application/pdf")


if __name__ == "__main__":
    main()
