"""Token Status List: the draft's published vectors, bit order, O(1) lookups and our 2-bit use."""

from __future__ import annotations

import base64
import json
import random
import zlib
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from wallet import cborio, cose, cwt
from wallet.errors import InvalidCredential
from wallet.keys import generate_p256
from wallet.status_list import (
    INVALID,
    SUSPENDED,
    VALID,
    StatusList,
    parse_status_list_token,
    sign_status_list,
)

# The draft's own vectors, copied into the repository (source and licence: vectors/NOTICE).
VECTORS = json.loads((Path(__file__).parent / "vectors" / "token_status_list.json").read_text(encoding="utf-8"))
ENCODINGS = VECTORS["encodings"]


def _b64url(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


@pytest.fixture(scope="module")
def draft_key() -> ec.EllipticCurvePublicKey:
    """The draft's published ES256 test key, from its JWK."""
    jwk = VECTORS["issuer_public_key_jwk"]
    return ec.EllipticCurvePublicNumbers(_b64url(jwk["x"]), _b64url(jwk["y"]), ec.SECP256R1()).public_key()


def _statuses(vector: dict[str, Any]) -> dict[int, int]:
    return {int(idx): status for idx, status in vector["set"].items()}


@pytest.mark.parametrize("vector", ENCODINGS, ids=[f"{v['bits']}bit-{v['size']}" for v in ENCODINGS])
def test_encoding_matches_the_draft_byte_for_byte(vector: dict[str, Any]) -> None:
    """Building each draft example gives exactly the draft's CBOR (bit order, zlib, map layout)."""
    built = StatusList.from_statuses(vector["size"], _statuses(vector), vector["bits"])
    if "byte_array_hex" in vector:
        assert built.data.hex() == vector["byte_array_hex"]
    assert cborio.dumps(built.to_cbor(), canonical=False).hex() == vector["cbor_hex"]


@pytest.mark.parametrize("vector", ENCODINGS, ids=[f"{v['bits']}bit-{v['size']}" for v in ENCODINGS])
def test_decoding_the_draft_examples_gives_every_status(vector: dict[str, Any]) -> None:
    """Parsing each draft example yields the listed statuses and zero everywhere else checked."""
    parsed = StatusList.from_cbor(cbor2.loads(bytes.fromhex(vector["cbor_hex"])))
    expected = _statuses(vector)
    assert parsed.bits == vector["bits"] and parsed.size >= vector["size"]
    for idx, status in expected.items():
        assert parsed.get(idx) == status
    for idx in random.Random(7).sample(range(vector["size"]), min(vector["size"], 2000)):
        assert parsed.get(idx) == expected.get(idx, 0)


def test_draft_status_list_token_verifies_with_the_draft_key(draft_key: ec.EllipticCurvePublicKey) -> None:
    """The draft's signed status list CWT verifies with its public test key and decodes as published."""
    token = parse_status_list_token(bytes.fromhex(VECTORS["status_list_cwt_hex"]), [draft_key])
    expect = VECTORS["status_list_cwt_expect"]
    assert (token.uri, token.iat, token.ttl) == (expect["sub"], expect["iat"], expect["ttl"])
    assert token.status_list.bits == expect["bits"]
    assert token.status_list.data.hex() == expect["decompressed_lst_hex"]


def test_draft_status_list_token_payload_matches_ours(draft_key: ec.EllipticCurvePublicKey) -> None:
    """Signing the draft's list with its claims gives the same payload bytes as the draft's token."""
    published = cose.decode_sign1(bytes.fromhex(VECTORS["status_list_cwt_hex"]))
    token = parse_status_list_token(bytes.fromhex(VECTORS["status_list_cwt_hex"]), [draft_key])
    ours = cose.decode_sign1(sign_status_list(token.status_list, generate_p256(), uri=token.uri,
                                              iat=token.iat, exp=2291720170, ttl=token.ttl))
    assert ours.payload == published.payload


def test_draft_referenced_token_verifies_and_points_at_its_list(draft_key: ec.EllipticCurvePublicKey) -> None:
    """The draft's referenced token verifies with the test key and carries the published status claim."""
    message = cose.decode_sign1(bytes.fromhex(VECTORS["referenced_token_cwt_hex"]))
    cose.verify_signature(message, draft_key)
    claims = cwt.decode_claims(message.payload)
    expect = VECTORS["referenced_token_expect"]["status_list"]
    assert claims.status == cwt.StatusRef(uri=expect["uri"], idx=expect["idx"])


def test_tampered_draft_token_is_rejected(draft_key: ec.EllipticCurvePublicKey) -> None:
    """Changing one byte of the draft's status list token makes its signature fail."""
    raw = bytearray.fromhex(VECTORS["status_list_cwt_hex"])
    raw[-70] ^= 1
    with pytest.raises(InvalidCredential):
        parse_status_list_token(bytes(raw), [draft_key])


@pytest.mark.parametrize("bits", [1, 2, 4, 8])
def test_set_and_get_round_trip_for_every_width(bits: int) -> None:
    """Every width stores and returns the largest status without touching its neighbours."""
    status_list = StatusList(100, bits)
    top = (1 << bits) - 1
    status_list.set(41, top)
    assert [status_list.get(i) for i in (40, 41, 42)] == [0, top, 0]
    assert StatusList.from_cbor(status_list.to_cbor()) == status_list


def test_our_two_bit_statuses_sign_and_parse() -> None:
    """A signed 2-bit list of valid, revoked and suspended entries parses back with the same statuses."""
    key = generate_p256()
    status_list = StatusList.from_statuses(1000, {3: INVALID, 999: SUSPENDED})
    token = parse_status_list_token(
        sign_status_list(status_list, key, uri="https://zwt.example/sl/1", iat=1_700_000_000, ttl=3600),
        [key.public_key()],
    )
    assert [token.status_list.get(i) for i in (0, 3, 999)] == [VALID, INVALID, SUSPENDED]


def test_wrong_typ_is_malformed() -> None:
    """A COSE_Sign1 without the statuslist+cwt typ is not accepted as a status list."""
    key = generate_p256()
    with pytest.raises(InvalidCredential) as caught:
        parse_status_list_token(cose.sign1(b"\xa0", key), [key.public_key()])
    assert caught.value.reason == "malformed"


@pytest.mark.parametrize(
    "obj",
    [{"bits": 3, "lst": zlib.compress(b"\0")}, {"bits": 1, "lst": b"nope"}, {"bits": 1},
     {"bits": 1, "lst": zlib.compress(b"\0" * 100)[:-3]}],
    ids=["bits-3", "not-zlib", "no-lst", "truncated"],
)
def test_bad_status_list_maps_are_malformed(obj: dict[str, Any]) -> None:
    """Bad widths, missing or broken compressed data are refused as malformed."""
    with pytest.raises(InvalidCredential) as caught:
        StatusList.from_cbor(obj)
    assert caught.value.reason == "malformed"


def test_inflating_is_capped() -> None:
    """A status list that inflates beyond the cap is refused instead of filling memory."""
    with pytest.raises(InvalidCredential):
        StatusList.from_cbor({"bits": 1, "lst": zlib.compress(b"\0" * 5000)}, max_bytes=4096)


def test_lookup_outside_the_list_raises_index_error() -> None:
    """Looking up beyond the list is an IndexError, which the verifier turns into status_unknown."""
    with pytest.raises(IndexError):
        StatusList(8, 2).get(8)
