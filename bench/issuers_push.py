"""Benchmark: the first load of a department's licenses through the issuing interface (issue #21).

Pushes ``--records`` business licenses (each with its own representative; none has an account yet, as on
a first load) as one signed ``application/jsonl`` body, then the same body again (every record
``unchanged``), and prints records per second for both. The target for the first load is 2,000
records/s on PostgreSQL. As a reference measured in the same run, it prints the cost of parsing and
sealing the records alone (no database), the floor the push cannot go under.

Run: ``.venv/bin/python bench/issuers_push.py [--records N] [--database-url postgresql://...]``. In-process
(Flask test client); SQLite in a temporary folder unless a database URL is given (in a schema ``zwt_bench``
of its own, dropped at the end). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from services_catalog.fakes import fake_departments
from wallet.identifiers import resident_id_check_digit, unified_credit_code_check_char
from wallet.issuance import parse_record
from zwt import create_app
from zwt.config import normalize_database_url
from zwt.migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.zwt.issuers.signing import DepartmentKey  # noqa: E402 - the test signing client

ISSUER = "11370200MB0000006" + unified_credit_code_check_char("11370200MB0000006")


def _record(n: int) -> dict[str, object]:
    first17 = f"370202{1950 + n % 50}0101{n % 1000:03d}"
    rep = first17 + resident_id_check_digit(first17)
    body = f"91370200MA{n:07d}"
    return {"op": "issue", "license_type": "business_license", "serial": f"370200MR{n:010d}", "version": 1,
            "holder": {"uscc": body + unified_credit_code_check_char(body), "name": f"青岛第{n}号有限公司",
                       "representative": {"id_number": rep, "name": "张伟"}},
            "issuer_code": ISSUER, "issuer_name": "青岛市市场监督管理局", "issued_on": "2019-05-20",
            "valid_from": "2019-05-20", "valid_until": None,
            "fields": {"entity_type": "有限责任公司", "legal_representative": "张伟", "registered_capital": "50万元人民币",
                       "established_date": "2019-05-20", "domicile": "山东省青岛市市南区香港中路1号",
                       "business_scope": "一般项目：日用百货销售。"}}


def _schema(url: str, *statements: str) -> None:
    engine = create_engine(normalize_database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _database(url: str | None) -> str:
    if not url:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='zwt-bench-issuers-')) / 'bench.db'}"
    _schema(url, "DROP SCHEMA IF EXISTS zwt_bench CASCADE", "CREATE SCHEMA zwt_bench")
    sep = "&" if "?" in url else "?"
    return f"{normalize_database_url(url)}{sep}options=-csearch_path%3Dzwt_bench"


def main() -> None:
    """Push the records twice and print the rates beside the parse-and-seal reference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = _database(args.database_url)
    try:
        _run(url, args.records)
    finally:
        if args.database_url:
            _schema(args.database_url, "DROP SCHEMA IF EXISTS zwt_bench CASCADE")


def _run(url: str, count: int) -> None:
    upgrade(url)
    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_SMS_OUTBOX_PATH": "off", "ZWT_SANDBOX_REGISTRY_PATH": "off",
                      "ZWT_LIVENESS_SESSIONS_PATH": "off", "ZWT_LOG_LEVEL": "ERROR",
                      "ZWT_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}, departments=fake_departments())
    client = app.test_client()
    from zwt.cli import create_staff_account

    with app.app_context():
        create_staff_account(role="platform_admin", username="bench", display_name="bench", password="Bench2026ok")
    token = client.post("/api/v1/auth/login", json={"username": "bench", "password": "Bench2026ok"}).json
    key = DepartmentKey("bench-1")
    client.post("/api/v1/admin/issuers/market_regulation/keys", headers={
        "Authorization": f"Bearer {token['access_token']}"}, json={
        "key_id": key.key_id, "public_key": key.public_key_b64, "allowed_types": ["business_license"]})
    records = [_record(n) for n in range(count)]
    body = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)
    svc = app.extensions["zwt"]

    started = time.perf_counter()
    for record in records:
        parsed = parse_record(record)
        svc.pii.encrypt(json.dumps(dict(parsed.canonical), ensure_ascii=False), table="t", column="c", row="r")
    floor = time.perf_counter() - started

    path = "/api/v1/issuers/market_regulation/licenses"
    for label in ("first load", "repeat (unchanged)"):
        now = int(time.time())
        headers = key.sign("POST", path, body, "application/jsonl", created=now)
        started = time.perf_counter()
        response = client.post(path, data=body, headers=headers)
        took = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        print(f"{label:<20} {count / took:>9,.0f} records/s  ({took:.2f} s, {response.json['stored']} stored, "
              f"{response.json['unchanged']} unchanged)")
    print(f"{'parse + seal only':<20} {count / floor:>9,.0f} records/s  (reference, no database)")
    print(f"database: {url.split('://')[0]}  at {dt.datetime.now(dt.timezone.utc):%Y-%m-%dT%H:%MZ}")


if __name__ == "__main__":
    main()
