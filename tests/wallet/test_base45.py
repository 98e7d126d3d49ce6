"""Base45 (RFC 9285): the RFC examples, agreement with the reference package, and rejection rules."""

from __future__ import annotations

import base45 as reference
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.base45 import b45decode, b45encode
from wallet.errors import InvalidCredential

RFC_9285 = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("raw", "text"), RFC_9285)
def test_rfc_9285_examples_encode(raw: bytes, text: str) -> None:
    """Every RFC 9285 example encodes to the text the RFC gives."""
    assert b45encode(raw) == text


@pytest.mark.parametrize(("raw", "text"), RFC_9285)
def test_rfc_9285_examples_decode(raw: bytes, text: str) -> None:
    """Every RFC 9285 example decodes back to its bytes."""
    assert b45decode(text) == raw


def test_every_16_bit_word_matches_the_reference_package() -> None:
    """All 65,536 two-byte groups encode exactly as the PyPI base45 package does, and decode back."""
    words = b"".join(i.to_bytes(2, "big") for i in range(65536))
    assert b45encode(words) == reference.b45encode(words).decode()
    assert b45decode(b45encode(words)) == words


@given(st.binary(max_size=600))
def test_round_trip_and_reference_agreement(data: bytes) -> None:
    """Arbitrary bytes round-trip and match the reference encoder."""
    text = b45encode(data)
    assert text == reference.b45encode(data).decode()
    assert b45decode(text) == data


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("GGW", "exceeds 65535"),  # RFC 9285 section 4.3: 65536 is not a valid group
        (":::", "exceeds 65535"),
        ("A", "dangling"),
        ("AAAA", "dangling"),
        ("aBC", "invalid character"),
        ("AB#", "invalid character"),
        ("ZZ", "exceeds 255"),
        ("ÄÄÄ", "non-ASCII"),
    ],
)
def test_invalid_text_is_rejected_with_bad_base45(text: str, detail: str) -> None:
    """Invalid characters, dangling characters and out-of-range groups all fail as bad_base45."""
    with pytest.raises(InvalidCredential) as caught:
        b45decode(text)
    assert caught.value.reason == "bad_base45"
    assert detail in caught.value.detail


@given(st.text(max_size=60))
def test_random_text_decodes_or_raises_bad_base45(text: str) -> None:
    """Random text either decodes to what the reference decodes or fails with bad_base45 only."""
    try:
        out = b45decode(text)
    except InvalidCredential as exc:
        assert exc.reason == "bad_base45"
    else:
        assert out == reference.b45decode(text)
