"""Properties over many inputs: every type and profile round-trips, bit flips are caught, junk never crashes."""

from __future__ import annotations

import subprocess
import sys
import zlib

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptography.hazmat.primitives.asymmetric import ec

from tests.wallet.conftest import NOW, TODAY, World, driving_licence, resident_id
from wallet.base45 import b45encode
from wallet.codec import decode_text, encode_text
from wallet.holder import present
from wallet.keys import PrivateKey
from wallet.license_types import PROFILES, REGISTRY
from wallet.licenses import License, sample_license
from wallet.replay import MemoryReplayCache
from wallet.testing import licenses
from wallet.trust import TrustBundle
from wallet.verdict import REASONS
from wallet.verify import verify

FIXTURES = [HealthCheck.function_scoped_fixture]


def _bundle_for_all_types(world: World) -> TrustBundle:
    return world.bundle(issuers=[world.issuer_entry(allowed_types=frozenset(REGISTRY))])


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(license=licenses(today=TODAY), profile=st.sampled_from(PROFILES), bound=st.booleans())
def test_every_type_and_profile_round_trips(world: World, license: License, profile: str, bound: bool) -> None:
    """Any license of any type, issued in any profile, bare or holder-bound, verifies to exactly its view."""
    bundle = _bundle_for_all_types(world)
    text = world.credential(license=license, profile=profile, bound=bound)
    if bound:
        text = present(text, world.device, now=NOW)
    verdict = verify(text, bundle, now=NOW, replay_cache=MemoryReplayCache())
    assert verdict.valid, verdict.detail
    assert verdict.license_type == license.type_code and verdict.license_id == license.identifier
    assert dict(verdict.fields) == license.view(profile).fields
    assert verdict.holder_bound is bound


@pytest.mark.parametrize("type_code", sorted(REGISTRY))
def test_each_registered_type_in_each_profile(world: World, type_code: str) -> None:
    """Every one of the registered license types verifies in every profile (not only those Hypothesis drew)."""
    license = sample_license(type_code, holder_name="李四", holder_code=resident_id(), serial="2025000042",
                             today=TODAY)
    bundle = _bundle_for_all_types(world)
    for profile in PROFILES:
        verdict = verify(world.credential(license=license, profile=profile), bundle, now=NOW)
        assert verdict.valid and dict(verdict.fields) == license.view(profile).fields, (profile, verdict.detail)


@pytest.fixture(scope="module")
def flip_world(world_keys: tuple[PrivateKey, PrivateKey, ec.EllipticCurvePrivateKey]) -> World:
    """A module-wide world for the bit-flip and junk properties."""
    root, issuer, device = world_keys
    return World(root, issuer, device, driving_licence())


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_bit_flip_in_the_signed_message_is_rejected(flip_world: World, data: st.DataObject) -> None:
    """Flipping any single bit of the COSE message inside the QR text never yields a valid verdict."""
    raw = decode_text(flip_world.credential())
    bit = data.draw(st.integers(0, len(raw) * 8 - 1))
    flipped = bytearray(raw)
    flipped[bit // 8] ^= 1 << (bit % 8)
    verdict = verify(encode_text(bytes(flipped)), flip_world.bundle(), now=NOW)
    assert not verdict.valid and verdict.reason in REASONS


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_bit_flip_in_a_presentation_is_rejected(flip_world: World, data: st.DataObject) -> None:
    """Flipping any single bit of a holder-bound presentation never yields a valid verdict."""
    raw = decode_text(flip_world.presentation())
    bit = data.draw(st.integers(0, len(raw) * 8 - 1))
    flipped = bytearray(raw)
    flipped[bit // 8] ^= 1 << (bit % 8)
    verdict = verify(encode_text(bytes(flipped)), flip_world.bundle(), now=NOW, replay_cache=MemoryReplayCache())
    assert not verdict.valid and verdict.reason in REASONS


def test_every_bit_flip_in_the_qr_text_is_caught_or_harmless(flip_world: World) -> None:
    """Each of the text's bits, flipped, is rejected, or (deflate padding bits only) decodes to the same message."""
    text = flip_world.credential()
    original = decode_text(text)
    bundle = flip_world.bundle()
    harmless = 0
    for pos in range(len(text)):
        for bit in range(7):
            changed = text[:pos] + chr(ord(text[pos]) ^ (1 << bit)) + text[pos + 1:]
            verdict = verify(changed, bundle, now=NOW)
            if verdict.valid:
                assert decode_text(changed) == original  # same signed bytes: not a forgery
                harmless += 1
    assert harmless <= 7  # at most the unused bits of the deflate stream's last byte


@settings(max_examples=400, deadline=None)
@given(junk=st.binary(max_size=600))
def test_random_bytes_never_crash_the_verifier(flip_world: World, junk: bytes) -> None:
    """Random bytes behind the prefix (raw, zlib-wrapped or CBOR-wrapped) only ever give a rejected verdict."""
    bundle = flip_world.bundle()
    for text in ("QD1:" + b45encode(junk), encode_text(junk), encode_text(cbor2.dumps(cbor2.CBORTag(18, [
            junk[:13], {}, junk, junk[-64:]])))):
        verdict = verify(text, bundle, now=NOW)
        assert not verdict.valid and verdict.reason in REASONS


@settings(max_examples=300, deadline=None)
@given(junk=st.text(max_size=400))
def test_random_text_never_crashes_the_verifier(flip_world: World, junk: str) -> None:
    """Random strings, with or without the prefix, only ever give a rejected verdict."""
    bundle = flip_world.bundle()
    for text in (junk, "QD1:" + junk):
        verdict = verify(text, bundle, now=NOW)
        assert not verdict.valid and verdict.reason in REASONS


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.binary(max_size=40)
KEYS = st.integers(-70000, 70000) | st.text(max_size=5)
CBOR_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=5), max_leaves=30
)


@settings(max_examples=200, deadline=None)
@given(value=CBOR_VALUES)
def test_random_cbor_structures_are_rejected_cleanly(flip_world: World, value: object) -> None:
    """Well-formed CBOR of the wrong shape, also as a signed-looking COSE payload, is rejected cleanly."""
    bundle = flip_world.bundle()
    kid = flip_world.issuer_entry().kid
    protected = cbor2.dumps({1: -7, 4: kid})
    for obj in (value, cbor2.CBORTag(18, [protected, {}, cbor2.dumps(value), b"\0" * 64]), [1, b"", 0, value]):
        verdict = verify(encode_text(cbor2.dumps(obj)), bundle, now=NOW)
        assert not verdict.valid and verdict.reason in REASONS


def test_importing_wallet_loads_no_web_or_database_framework() -> None:
    """`import wallet` (and the verifier) never imports flask, sqlalchemy, httpx or zxing-cpp."""
    code = ("import sys, wallet, wallet.verify, wallet.cli; "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'httpx', 'zxingcpp', 'hypothesis') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_deflate_padding_is_the_only_slack(flip_world: World) -> None:
    """Recompressing the same message at another level changes the text but not what verify decides."""
    raw = decode_text(flip_world.credential())
    other = "QD1:" + b45encode(zlib.compress(raw, 1))
    assert verify(other, flip_world.bundle(), now=NOW).valid
