"""Benchmark: what a failed login costs for a known account, an unknown one and a disabled one (issue 11).

An unknown account must cost the same work as a known one with a wrong password (one scrypt check against
a hash made once per process), or timing tells which accounts exist. Also prints the cost of one scrypt
check and of a successful login, as references measured in the same run.

Run: ``.venv/bin/python bench/auth_login.py [--rounds N]``. In-process (Flask test client) on a fresh
SQLite file, real scrypt; each failure comes from a new client address so no throttle answers early.
Medians in milliseconds, figures not assertions.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from services_catalog.fakes import fake_departments
from zwt import create_app
from zwt.auth.passwords import hash_password, verify_password
from zwt.migrate import upgrade


def main() -> None:
    """Time each kind of login ``--rounds`` times and print the medians beside the scrypt reference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="zwt-bench-login-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    app = create_app({"ZWT_DATABASE_URL": url, "ZWT_SMS_OUTBOX_PATH": "off", "ZWT_SANDBOX_REGISTRY_PATH": "off",
                      "ZWT_LIVENESS_SESSIONS_PATH": "off", "ZWT_LOG_LEVEL": "ERROR",
                      "ZWT_LOGIN_MAX_FAILURES_ACCOUNT": "100000", "ZWT_LOGIN_DELAY_AFTER_FAILURES": "100000"},
                     departments=fake_departments())
    client = app.test_client()
    outbox = app.extensions["zwt"].proofing.sandbox.outbox
    for phone, id_number in (("13900000001", "11010519491231002X"), ("13900000002", "370202199203154519")):
        person = {"name": "李雷", "id_number": id_number, "phone": phone, "password": "Secret2026ok"}
        started = client.post("/api/v1/auth/register", json=person).json
        code = re.search(r"\d{6}", outbox.last(phone).text).group(0)
        client.post("/api/v1/auth/register/confirm", json={"challenge_id": started["challenge_id"], "code": code})
    with app.app_context():
        from zwt.db import session
        from zwt.models import Account

        session().query(Account).filter_by(phone="13900000002").one().status = "disabled"
        session().commit()

    counter = iter(range(10**6))

    def timed(username: str, password: str) -> float:
        address = f"10.{next(counter) // 65536 % 256}.{next(counter) // 256 % 256}.{next(counter) % 256}"
        began = time.perf_counter()
        client.post("/api/v1/auth/login", json={"username": username, "password": password},
                    environ_base={"REMOTE_ADDR": address})
        return (time.perf_counter() - began) * 1000

    stored = hash_password("Secret2026ok", "scrypt")
    kinds = {
        "one scrypt check (reference)": lambda: _time(lambda: verify_password(stored, "wrong")),
        "known account, wrong password": lambda: timed("13900000001", "Wrong2026pass"),
        "unknown account": lambda: timed("13900000009", "Wrong2026pass"),
        "disabled account, right password": lambda: timed("13900000002", "Secret2026ok"),
        "known account, right password": lambda: timed("13900000001", "Secret2026ok"),
    }
    timed("13900000008", "warm-up")  # the dummy hash is made once per process, here
    samples: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(args.rounds):  # interleaved, so drift hits every kind alike
        for name, run in kinds.items():
            samples[name].append(run())
    reference = statistics.median(samples["known account, wrong password"])
    print(f"login cost, median of {args.rounds} interleaved rounds, ms (SQLite, in-process, real scrypt):")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:<34} {median:7.2f}   = {median / reference * 100:5.0f} % of a known account's failure")


def _time(work: object) -> float:
    began = time.perf_counter()
    work()  # type: ignore[operator]
    return (time.perf_counter() - began) * 1000


if __name__ == "__main__":
    main()
