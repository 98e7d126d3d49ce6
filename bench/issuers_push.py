"""Benchmark: the first load of a department's licenses through the issuing interface (issue #21).

Pushes ``--records`` business licenses (each with its own representative; none has an account yet, as on
a first load) as one signed ``application/jsonl`` body, then the same body again (every record
``unchanged``), and prints records per second for both. The target for the first load is 2,000
records/s on PostgreSQL. Two references are measured in the same run and printed beside it: the ORM
insert of as many comparable rows (a table with the ledger's columns, unique key and index, rows of the
same sizes, ``session.add_all`` + commit per chunk of 1,000 like the ledger's chunks) on the same database,
and the cost of parsing and sealing the records alone (no database), the floor the push cannot go under.

Run: ``.venv/bin/python bench/issuers_push.py [--records N] [--database-url postgresql://...]``. In-process
(Flask test client); SQLite in a temporary folder unless a database URL is given (in a schema ``zwt_bench``
of its own, dropped at the end). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import Boolean, Index, Integer, LargeBinary, String, UniqueConstraint, create_engine, text
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from services_catalog.fakes import fake_departments
from services_catalog.issuing import JSON_LINES, IssuingClient
from services_catalog.sandbox.issuers import key_from_seed
from wallet.identifiers import resident_id_check_digit, unified_credit_code_check_char
from wallet.issuance import parse_record
from zwt import create_app
from zwt.clock import SystemClock
from zwt.config import normalize_database_url
from zwt.db import make_engine
from zwt.issuers.demo import PosixClock
from zwt.issuers.ledger import CHUNK
from zwt.migrate import upgrade
from zwt.models.base import UTCDateTime

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


class _Base(DeclarativeBase):
    """The reference table only."""


class ReferenceLedger(_Base):
    """A table like ``issuer_ledger``: the same columns, unique key and index."""

    __tablename__ = "bench_reference_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    department_code: Mapped[str] = mapped_column(String(40))
    license_type: Mapped[str] = mapped_column(String(40))
    serial_bidx: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    holder_bidx: Mapped[str] = mapped_column(String(64))
    holder_key: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    content_digest: Mapped[str] = mapped_column(String(64))
    record_enc: Mapped[bytes] = mapped_column(LargeBinary)
    record_key_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("department_code", "license_type", "serial_bidx", name="uq_bench_ref_serial"),
                      Index("ix_bench_ref_holder", "holder_bidx"))


def _orm_insert(url: str, count: int, sealed_size: int) -> float:
    """Seconds to insert ``count`` ledger-like rows through the ORM, ``add_all`` + commit per chunk."""
    engine = make_engine(url)
    _Base.metadata.create_all(engine)
    blob, now = b"\x00" * sealed_size, dt.datetime.now(dt.timezone.utc)
    try:
        started = time.perf_counter()
        with Session(engine) as sess:
            for start in range(0, count, CHUNK):
                sess.add_all([ReferenceLedger(
                    public_id=f"iss_{n:032x}", department_code="market_regulation", license_type="business_license",
                    serial_bidx=f"{n:064x}", version=1, state="valid", holder_bidx=f"{n * 7:064x}",
                    holder_key=f"{n * 3:064x}", organisation=True, content_digest=f"{n * 5:064x}", record_enc=blob,
                    record_key_version=1, created_at=now, updated_at=now)
                    for n in range(start, min(start + CHUNK, count))])
                sess.commit()
        return time.perf_counter() - started
    finally:
        _Base.metadata.drop_all(engine)
        engine.dispose()


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
    key = key_from_seed(b"bench-issuers-push")
    public_key = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    client.post("/api/v1/admin/issuers/market_regulation/keys", headers={
        "Authorization": f"Bearer {token['access_token']}"}, json={
        "key_id": "bench-1", "public_key": base64.b64encode(public_key).decode(),
        "allowed_types": ["business_license"]})
    signer = IssuingClient(httpx.Client(base_url="http://localhost"), "market_regulation", "bench-1", key,
                           PosixClock(SystemClock()))
    records = [_record(n) for n in range(count)]
    body = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)
    svc = app.extensions["zwt"]

    started = time.perf_counter()
    sealed = 0
    for record in records:
        parsed = parse_record(record)
        sealed += len(svc.pii.encrypt(json.dumps(dict(parsed.canonical), ensure_ascii=False), table="t", column="c",
                                      row="r")[0])
    floor = time.perf_counter() - started
    orm = _orm_insert(url, count, sealed // max(1, count))

    path = "/api/v1/issuers/market_regulation/licenses"
    for label in ("first load", "repeat (unchanged)"):
        headers = dict(signer.signed_request(body, JSON_LINES).headers)
        started = time.perf_counter()
        response = client.post(path, data=body, headers=headers)
        took = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        print(f"{label:<20} {count / took:>9,.0f} records/s  ({took:.2f} s, {response.json['stored']} stored, "
              f"{response.json['unchanged']} unchanged)")
    print(f"{'ORM insert':<20} {count / orm:>9,.0f} records/s  (reference: add_all + commit per {CHUNK} "
          f"ledger-like rows, same database)")
    print(f"{'parse + seal only':<20} {count / floor:>9,.0f} records/s  (reference, no database)")
    print(f"database: {url.split('://')[0]}  at {dt.datetime.now(dt.timezone.utc):%Y-%m-%dT%H:%MZ}")


if __name__ == "__main__":
    main()
