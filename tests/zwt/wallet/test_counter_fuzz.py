"""Properties of the counter log upload under hostile batches: ``POST /api/v1/verifier/logs`` answers 2xx or a
clean 4xx (problem+json naming the field), never 500, and a refusal writes nothing.

Batches are signed by the registered counter device, so they pass the signature check and reach every
check after it: mutants of a real batch (records, dates, fields, ids replaced, dropped or added), any JSON,
any bytes, nesting past the parser's stack. The envelope itself (payload, signature) is mutated too.
"""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.mutations import JSON_VALUES, assert_refused_cleanly, examples, mutants
from wallet import cose
from wallet.holder import generate_device_key

from .conftest import COUNTER, HALL
from .test_counter import _register_counter

UPLOAD = "/api/v1/verifier/logs"
SETTINGS = settings(max_examples=examples(40), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def counter(world):
    """A clerk, their registered device key and a real batch document of three records."""
    clerk, key = world.clerk(), generate_device_key()
    device_id = _register_counter(world, clerk, key)
    records = [{"record_id": f"r-{i}", "verified_at": "2026-11-26T17:00:00+08:00", "verdict": "valid",
                "license_type": "driving_license", "fields": ["holder_name"], "license_id": None,
                "impl_code": None} for i in range(3)]
    batch = {"batch_id": "b-0001", "device_id": device_id, "hall_code": HALL, "counter_code": COUNTER,
             "records": records}
    return clerk, key, batch


def _written(world) -> tuple[int, int]:
    svc = world.app.extensions["zwt"]
    with svc.db.engine.connect() as conn:
        return (conn.execute(text("SELECT count(*) FROM wallet_access_log")).scalar(),
                conn.execute(text("SELECT count(*) FROM counter_log_batches")).scalar())


def _post(world, clerk, body) -> None:
    before = _written(world)
    # serialised here: json.dumps escapes a lone surrogate, which the test client's own encoder cannot write
    response = world.client.post(UPLOAD, data=json.dumps(body), content_type="application/json", headers=clerk)
    assert_refused_cleanly(response)
    if response.status_code >= 400:
        assert _written(world) == before


def _envelope(key, raw: bytes) -> dict[str, str]:
    signature = cose.sign_raw(key, cose.ALG_ES256, raw)
    return {"payload": base64.b64encode(raw).decode(), "signature": base64.b64encode(signature).decode()}


@st.composite
def payloads(draw: st.DrawFn, batch: dict) -> bytes:
    """The bytes a counter might sign: a mutant of a real batch, any JSON, any bytes, or deep nesting."""
    how = draw(st.sampled_from(["mutant", "mutant", "mutant", "json", "bytes", "deep"]))
    if how == "mutant":
        mutant = draw(mutants(batch, JSON_VALUES, max_changes=4))
        return json.dumps(mutant, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if how == "json":
        return json.dumps(draw(JSON_VALUES)).encode("utf-8", "surrogatepass")
    if how == "bytes":
        return draw(st.binary(min_size=3, max_size=80))
    return draw(st.sampled_from([b"[", b'{"records":[', b'{"a":'])) * draw(st.sampled_from([1_000, 100_000]))


def test_signed_hostile_batches_are_answered_cleanly(world, counter):
    """Any batch the registered device signed: stored, or refused with a clean 4xx and nothing written."""
    clerk, key, batch = counter

    @SETTINGS
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        _post(world, clerk, _envelope(key, data.draw(payloads(batch))))

    check()


def test_hostile_upload_envelopes_are_answered_cleanly(world, counter):
    """The upload body itself mutated (payload and signature replaced, dropped, added to): a clean 4xx."""
    clerk, key, batch = counter
    envelope = _envelope(key, json.dumps(batch).encode())

    @SETTINGS
    @given(body=mutants(envelope, JSON_VALUES) | JSON_VALUES)
    def check(body: object) -> None:
        _post(world, clerk, body)

    check()
