"""Properties of every wallet parser of outside input, beyond junk text (tests/wallet/test_properties.py).

The inputs reach past the signature: claims, headers, bundles and status lists are mutants of real ones,
signed with the keys the verifier trusts, so the parsers behind ``verify_with_any`` meet hostile content
too. The property each time: the documented outcome (a rejected verdict, ``InvalidCredential`` with a
documented reason), never another exception. ``bench/fuzz_qd1.py`` fuzzes the same layers coverage-guided.
"""

from __future__ import annotations

import functools
import io
import zlib
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.mutations import CBOR_KEYS, CBOR_VALUES, examples, mutants
from tests.wallet.conftest import NOW, World, driving_licence
from wallet import cborio, cose
from wallet.base45 import b45encode
from wallet.codec import decode_text, encode_text
from wallet.errors import InvalidCredential
from wallet.holder import PRESENTATION_VERSION, presentation_signed_data
from wallet.keys import PrivateKey
from wallet.qr import read_image, render_png
from wallet.replay import MemoryReplayCache
from wallet.status_list import TYP_STATUSLIST_CWT, StatusList, parse_status_list_token
from wallet.trust import TYP_TRUST_BUNDLE, TrustBundle, load_bundle
from wallet.verdict import REASONS
from wallet.verify import decode, verify

BUNDLE_REASONS = {"trust_bundle_invalid", "trust_bundle_rollback", "stale_trust_data", "clock_before_bundle"}
CLAIM_LABELS = st.sampled_from([1, 2, 4, 5, 6, 7, 8, 65535, -65537])


class FuzzWorld(World):
    """A world whose codes and bundle are made once, so every example starts from the same bytes."""

    @functools.cached_property
    def codes(self) -> tuple[str, str]:
        """A bare credential and a presentation."""
        return self.credential(), self.presentation()

    @functools.cached_property
    def trust(self) -> TrustBundle:
        """The bundle trusting the issuer, loaded."""
        return self.bundle()


@pytest.fixture(scope="module")
def fuzz_world(world_keys: tuple[PrivateKey, PrivateKey, ec.EllipticCurvePrivateKey]) -> FuzzWorld:
    """One world for the module."""
    root, issuer, device = world_keys
    return FuzzWorld(root, issuer, device, driving_licence())


def _rejected_or_genuine(world: FuzzWorld, text: str, original: bytes | None = None) -> None:
    verdict = verify(text, world.trust, now=NOW, replay_cache=MemoryReplayCache())
    assert verdict.reason is None or verdict.reason in REASONS
    if verdict.valid and original is not None:
        assert decode_text(text) == original  # the same signed bytes, re-encoded: not a forgery


def _claims(world: FuzzWorld, *, bound: bool) -> dict[Any, Any]:
    claims = cborio.loads(decode(world.codes[bound]).message.payload)
    return cbor2.loads(cbor2.dumps(claims))  # plain dicts, so mutants can change them


@st.composite
def _text_mutant(draw: st.DrawFn, text: str) -> str:
    """The text cut, extended, spliced, case-changed or with characters swapped for any others."""
    how = draw(st.sampled_from(["cut", "extend", "splice", "lower", "swap", "insert"]))
    at = draw(st.integers(0, len(text)))
    if how == "cut":
        return text[:at]
    if how == "extend":
        return text + draw(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", min_size=1))
    if how == "splice":
        return text[:at] + text[draw(st.integers(0, len(text))):]
    if how == "lower":
        return text.lower()
    junk = draw(st.text(min_size=1, max_size=4))
    return text[:at] + junk + text[at + (len(junk) if how == "swap" else 0):]


@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_mutated_real_codes_are_rejected_or_the_same_code(fuzz_world: FuzzWorld, data: st.DataObject) -> None:
    """A real credential or presentation, cut, extended, spliced or retyped, is rejected (or, after a change
    the decoder does not see, verifies to the very same signed bytes)."""
    text = data.draw(st.sampled_from(fuzz_world.codes))
    _rejected_or_genuine(fuzz_world, data.draw(_text_mutant(text)), decode_text(text))


@settings(max_examples=examples(40), deadline=None)
@given(level=st.integers(0, 9), wbits=st.sampled_from([9, 12, 15]))
def test_re_encoded_real_codes_verify_the_same(fuzz_world: FuzzWorld, level: int, wbits: int) -> None:
    """The same COSE bytes recompressed with any level and window verify as before: only signed bytes count."""
    raw = decode_text(fuzz_world.codes[0])
    packer = zlib.compressobj(level, zlib.DEFLATED, wbits)
    text = "QD1:" + b45encode(packer.compress(raw) + packer.flush())
    assert verify(text, fuzz_world.trust, now=NOW).valid


@settings(max_examples=examples(150), deadline=None)
@given(data=st.data(), bound=st.booleans())
def test_signed_mutant_claims_never_crash_the_verifier(fuzz_world: FuzzWorld, data: st.DataObject, bound: bool) -> None:
    """Claims the trusted issuer really signed, but mutated (any claim, license field, status or cnf value
    replaced, dropped or added), give a verdict with a documented reason, never an exception."""
    claims = data.draw(mutants(_claims(fuzz_world, bound=bound), CBOR_VALUES, CLAIM_LABELS | CBOR_KEYS))
    issuer_cose = cose.sign1(cbor2.dumps(claims), fuzz_world.issuer)
    if bound:
        signature = cose.sign_raw(fuzz_world.device, cose.ALG_ES256, presentation_signed_data(issuer_cose, NOW))
        issuer_cose = cbor2.dumps([PRESENTATION_VERSION, issuer_cose, NOW, signature])
    _rejected_or_genuine(fuzz_world, encode_text(issuer_cose))


@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_signed_odd_protected_headers_never_crash_the_verifier(fuzz_world: FuzzWorld, data: st.DataObject) -> None:
    """The real protected header (alg, kid) with values replaced, dropped or added (crit, typ, anything),
    signed by the trusted issuer over real claims, gives a documented verdict. (A map as alg once raised.)"""
    message = decode(fuzz_world.codes[0]).message
    headers = data.draw(mutants(dict(message.protected_headers), CBOR_VALUES,
                                st.sampled_from([1, 2, 3, 4, 16, 33]) | CBOR_KEYS))
    protected = cbor2.dumps(headers)
    unsigned = cose.Sign1(protected, headers, {}, message.payload, b"")
    signature = cose.sign_raw(fuzz_world.issuer, cose.ALG_ES256, unsigned.to_be_signed())
    sign1 = cbor2.CBORTag(18, [protected, {}, message.payload, signature])
    _rejected_or_genuine(fuzz_world, encode_text(cbor2.dumps(sign1)))


def _load(world: FuzzWorld, data: bytes) -> None:
    try:
        bundle = load_bundle(data, [world.root.public_key()], now=NOW)
    except InvalidCredential as exc:
        assert exc.reason in BUNDLE_REASONS
        return
    verify(world.codes[0], bundle, now=NOW)  # a bundle that loads is usable


@settings(max_examples=examples(150), deadline=None)
@given(junk=st.binary(max_size=400))
def test_random_bundle_bytes_are_refused_as_invalid(fuzz_world: FuzzWorld, junk: bytes) -> None:
    """Random bytes, or a real bundle cut short, are refused with a bundle reason."""
    _load(fuzz_world, junk)
    real = fuzz_world.bundle_bytes()
    _load(fuzz_world, real[:len(junk) % len(real)])


@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_root_signed_mutant_bundles_load_or_are_refused(fuzz_world: FuzzWorld, data: st.DataObject) -> None:
    """A bundle payload the root really signed, mutated anywhere (issuers, keys, types, status lists, times),
    loads into a usable bundle or is refused with a bundle reason."""
    payload = cbor2.loads(cose.decode_sign1(fuzz_world.bundle_bytes()).payload)
    mutant = data.draw(mutants(cbor2.loads(cbor2.dumps(payload)), CBOR_VALUES, CBOR_KEYS))
    signed = cose.sign1(cbor2.dumps(mutant), fuzz_world.root, protected={cose.HEADER_TYP: TYP_TRUST_BUNDLE})
    _load(fuzz_world, signed)


@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_signed_mutant_status_lists_parse_or_are_malformed(fuzz_world: FuzzWorld, data: st.DataObject) -> None:
    """A status list token the root signed, with mutated claims (list bytes, bits, uri, times), parses into a
    list whose every entry reads, or is refused as ``malformed``."""
    claims = cbor2.loads(cose.decode_sign1(fuzz_world.status_token(size=64)).payload)
    mutant = data.draw(mutants(claims, CBOR_VALUES | st.binary(max_size=64).map(zlib.compress), CBOR_KEYS))
    signed = cose.sign1(cbor2.dumps(mutant), fuzz_world.root, protected={cose.HEADER_TYP: TYP_STATUSLIST_CWT})
    try:
        token = parse_status_list_token(signed, [fuzz_world.root.public_key()])
    except InvalidCredential as exc:
        assert exc.reason == "malformed"
        return
    assert all(0 <= token.status_list.get(i) < 256 for i in range(token.status_list.size))


@settings(max_examples=examples(100), deadline=None)
@given(value=CBOR_VALUES)
def test_random_status_list_maps_parse_or_are_malformed(value: Any) -> None:
    """``StatusList.from_cbor`` of any CBOR value builds a list or raises ``malformed``."""
    for obj in (value, {"bits": 2, "lst": value}, {"bits": value, "lst": zlib.compress(b"\0" * 8)}):
        try:
            StatusList.from_cbor(obj)
        except InvalidCredential as exc:
            assert exc.reason == "malformed"


@pytest.fixture(scope="module")
def qr_png(fuzz_world: FuzzWorld) -> bytes:
    """A real code as the PNG the service renders."""
    return render_png(fuzz_world.codes[0], scale=2, border=2)


def _chunk_offsets(png: bytes) -> list[int]:
    """Where each PNG chunk's length, type and CRC fields start."""
    offsets, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at:at + 4], "big")
        offsets += [at, at + 4, at + 8 + length]
        at += 12 + length
    return offsets


def _read(data: bytes) -> None:
    try:
        read_image(data)
    except InvalidCredential as exc:
        assert exc.reason == "no_qr_code"


@settings(max_examples=examples(100), deadline=None)
@given(data=st.data())
def test_random_and_damaged_images_give_no_qr_code(qr_png: bytes, data: st.DataObject) -> None:
    """Random bytes, and a real QR PNG cut short or with bytes overwritten, are read or refused as
    ``no_qr_code``: no image-library exception escapes."""
    junk = data.draw(st.binary(max_size=200))
    _read(junk)
    at = data.draw(st.integers(0, len(qr_png) - 1))
    _read(qr_png[:at])
    _read(qr_png[:at] + junk + qr_png[at + len(junk):])
    chunk = data.draw(st.sampled_from(_chunk_offsets(qr_png)))  # a chunk's length, type or CRC field
    _read(qr_png[:chunk] + data.draw(st.binary(min_size=4, max_size=4)) + qr_png[chunk + 4:])


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF", "JPEG", "WEBP", "ICO"])
def test_other_image_formats_cut_short_give_no_qr_code(qr_png: bytes, image_format: str) -> None:
    """Every format Pillow reads, truncated at each tenth of its length, is refused as ``no_qr_code``."""
    out = io.BytesIO()
    Image.open(io.BytesIO(qr_png)).convert("L").save(out, image_format)
    whole = out.getvalue()
    for tenth in range(10):
        _read(whole[:len(whole) * tenth // 10])
