"""The text transport: prefix, Base45, zlib with a size cap, CBOR; each layer has its own reason."""

from __future__ import annotations

import time
import tracemalloc
import zlib

import cbor2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.base45 import b45encode
from wallet.codec import decode_text, decode_text_cbor, encode_text
from wallet.errors import InvalidCredential

LAYER_REASONS = {"not_qd1", "bad_base45", "bad_zlib", "too_large", "bad_cbor"}


def _text(raw: bytes, prefix: str = "QD1:") -> str:
    return prefix + b45encode(raw)


@pytest.mark.parametrize("prefix", ["QD1:", "HC1:", "X:"])
def test_round_trip_with_any_prefix(prefix: str) -> None:
    """Encoding then decoding returns the same bytes, whatever the prefix."""
    assert decode_text(encode_text(b"\xd2payload", prefix=prefix), prefix=prefix) == b"\xd2payload"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("HC1:NCFOXN%TS3DH", "not_qd1"),
        ("qd1:" + b45encode(zlib.compress(b"\xa0")), "not_qd1"),
        ("", "not_qd1"),
        ("QD1:abc", "bad_base45"),
        (_text(b"not zlib at all"), "bad_zlib"),
        (_text(zlib.compress(b"\xa0")[:-2]), "bad_zlib"),
        (_text(zlib.compress(b"\xa0") + b"\x00"), "bad_zlib"),
        (_text(zlib.compress(b"\x00" * 5000)), "too_large"),
        ("QD1:" + "0" * 7000, "too_large"),
        (_text(zlib.compress(b"\xff\xff")), "bad_cbor"),
        (_text(zlib.compress(b"\x01\x02")), "bad_cbor"),
        (_text(zlib.compress(b"\xa2\x01\x01\x01\x02")), "bad_cbor"),
    ],
    ids=["other-prefix", "lower-case", "empty", "base45", "not-zlib", "truncated", "trailing", "cap",
         "long-text", "bad-cbor", "trailing-cbor", "duplicate-key"],
)
def test_each_layer_fails_with_its_own_reason(text: str, reason: str) -> None:
    """Wrong prefix, bad Base45, bad zlib, over-cap size and bad CBOR each have their own reason."""
    with pytest.raises(InvalidCredential) as caught:
        decode_text_cbor(text)
    assert caught.value.reason == reason


def test_zlib_bomb_is_cheap_to_refuse() -> None:
    """A 4 KB zlib bomb that inflates to 4 MB is refused within 50 ms and 20 MB of memory."""
    bomb = _text(zlib.compress(b"\x00" * (4 << 20), 9))
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(InvalidCredential) as caught:
        decode_text(bomb)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert caught.value.reason == "too_large"
    assert elapsed < 0.05 and peak < 20 << 20


def test_shared_references_are_refused() -> None:
    """CBOR shared references (tags 28/29), which can build cycles, are refused as bad CBOR."""
    with pytest.raises(InvalidCredential) as caught:
        decode_text_cbor(encode_text(bytes.fromhex("d81c81d81d00")))
    assert caught.value.reason == "bad_cbor"


def test_semantic_tags_stay_plain() -> None:
    """Tags cbor2 would turn into Python objects (here a datetime) stay plain CBORTags."""
    value = decode_text_cbor(encode_text(bytes.fromhex("c11a5f5e1000")))
    assert value == cbor2.CBORTag(1, 1600000000)


@given(st.binary(max_size=300))
def test_random_payloads_raise_only_invalid_credential(data: bytes) -> None:
    """Random bytes behind a valid prefix never raise anything but InvalidCredential."""
    try:
        decode_text_cbor(_text(data))
    except InvalidCredential as exc:
        assert exc.reason in LAYER_REASONS


@given(st.text(max_size=200))
def test_random_text_raises_only_invalid_credential(text: str) -> None:
    """Random text never raises anything but InvalidCredential."""
    try:
        decode_text_cbor("QD1:" + text)
    except InvalidCredential as exc:
        assert exc.reason in LAYER_REASONS
