"""Citizen ID numbers: sealed to their row, found by blind index, masked, never stored in the clear."""

from __future__ import annotations

import base64
import os

import pytest
from sqlalchemy import select, text

from zwt.models import Account, Base
from zwt.pii import PiiCipher, PiiError, mask_id_number, mask_phone

KEY1, KEY2, BLIND = os.urandom(32), os.urandom(32), os.urandom(32)


def test_round_trip_and_row_binding():
    """A value opens only for the table, column and row it was sealed for."""
    cipher = PiiCipher({1: KEY1}, 1, BLIND)
    blob, version = cipher.encrypt("11010519491231002X", table="accounts", column="id_number", row="u_a")
    assert cipher.decrypt(blob, version, table="accounts", column="id_number", row="u_a") == "11010519491231002X"
    with pytest.raises(PiiError):
        cipher.decrypt(blob, version, table="accounts", column="id_number", row="u_b")
    with pytest.raises(PiiError):
        cipher.decrypt(blob, version, table="accounts", column="phone", row="u_a")


def test_ciphertexts_differ_and_tampering_is_detected():
    """Nonces are random, and a flipped bit fails authentication."""
    cipher = PiiCipher({1: KEY1}, 1, BLIND)
    a, _ = cipher.encrypt("x", table="t", column="c", row="r")
    b, _ = cipher.encrypt("x", table="t", column="c", row="r")
    assert a != b
    broken = bytes([a[0]]) + bytes([a[1] ^ 1]) + a[2:]
    with pytest.raises(PiiError):
        cipher.decrypt(broken, 1, table="t", column="c", row="r")


def test_key_rotation_keeps_old_values_readable():
    """Values sealed under an older key version still open; new ones use the active key."""
    old = PiiCipher({1: KEY1}, 1, BLIND)
    blob, version = old.encrypt("v", table="t", column="c", row="r")
    rotated = PiiCipher({1: KEY1, 2: KEY2}, 2, BLIND)
    assert rotated.decrypt(blob, version, table="t", column="c", row="r") == "v"
    assert rotated.needs_rotation(version) and not rotated.needs_rotation(2)
    assert rotated.encrypt("v", table="t", column="c", row="r")[1] == 2


def test_blind_index_is_keyed_and_deterministic():
    """The same value gives the same index under one key and a different one under another."""
    a = PiiCipher({1: KEY1}, 1, BLIND).blind_index("11010519491231002X")
    assert a == PiiCipher({1: KEY2}, 1, BLIND).blind_index("11010519491231002X")
    assert a != PiiCipher({1: KEY1}, 1, os.urandom(32)).blind_index("11010519491231002X")


@pytest.mark.parametrize("value, masked", [
    ("11010519491231002X", "1101**********002X"), ("370202198803124538", "3702**********4538"), ("123", "***")])
def test_mask_id_number(value, masked):
    """Masks keep the region prefix and the last four characters."""
    assert mask_id_number(value) == masked


def test_mask_phone():
    """Phones keep three leading and four trailing digits."""
    assert mask_phone("13812345678") == "138****5678"


def test_database_dump_holds_no_plaintext_id_number(app, auth):
    """Dumping every table finds neither the ID number nor its birth-date core."""
    citizen = auth.register(id_number="11010519491231002X")
    svc = app.extensions["zwt"]
    dump = []
    with svc.db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                dump.append(repr(tuple(row)))
                dump.extend(bytes(v).hex() for v in row if isinstance(v, (bytes, memoryview)))
    text_dump = "\n".join(dump)
    assert citizen.id_number not in text_dump and "19491231" not in text_dump
    assert citizen.id_number.encode().hex() not in text_dump
    if svc.db.dialect == "sqlite":
        raw = open(svc.db.engine.url.database, "rb").read()
        assert citizen.id_number.encode() not in raw


def test_rotate_pii_keys_command_re_encrypts(make_app, auth, app):
    """After adding a key version, the CLI re-seals stored ID numbers under it and they still log in."""
    citizen = auth.register()
    keys = f"1:{base64.b64encode(KEY1).decode()}"
    # The default dev keyring is derived; move to an explicit ring holding that key as version 1.
    svc = app.extensions["zwt"]
    dev_key = svc.config.pii_keys[1]
    keys = f"1:{base64.b64encode(dev_key).decode()},2:{base64.b64encode(KEY2).decode()}"
    blind = base64.b64encode(svc.config.blind_index_key).decode()
    rotated = make_app({"ZWT_PII_KEYS": keys, "ZWT_PII_ACTIVE_VERSION": "2", "ZWT_BLIND_INDEX_KEY": blind})
    result = rotated.test_cli_runner().invoke(args=["rotate-pii-keys"])
    assert "re-encrypted 1" in result.output
    with rotated.app_context():
        from zwt.db import session

        account = session().scalar(select(Account).where(Account.subject == citizen.subject))
        assert account.id_number_key_version == 2
    assert rotated.test_client().post("/api/v1/auth/login", json={
        "username": citizen.id_number, "password": citizen.password}).status_code == 200
    with rotated.extensions["zwt"].db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM accounts WHERE id_number_key_version = 1")).scalar() == 0
