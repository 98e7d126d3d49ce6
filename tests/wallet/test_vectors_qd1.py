"""Our QD1 known-answer vectors: EdDSA credentials are reproduced byte for byte, every vector verifies."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from tests.wallet.vectors.generate_qd1 import make_license
from wallet import cose
from wallet.codec import decode_text
from wallet.issuer import issue
from wallet.keys import generate_p256, kid_of, public_key_from_spki
from wallet.replay import MemoryReplayCache
from wallet.status_list import StatusList, sign_status_list
from wallet.trust import IssuerKey, build_bundle, load_bundle
from wallet.verify import verify

FILE = json.loads((Path(__file__).parent / "vectors" / "qd1.json").read_text(encoding="utf-8"))
VECTORS = FILE["vectors"]
IDS = [v["name"] for v in VECTORS]


def _bundle(vector: dict[str, Any], statuses: dict[int, int] | None = None) -> Any:
    root = generate_p256()
    spki = FILE["ed25519_spki_hex"] if vector["alg"] == "EdDSA" else FILE["p256_spki_hex"]
    public = public_key_from_spki(bytes.fromhex(spki))
    alg = cose.ALG_EDDSA if vector["alg"] == "EdDSA" else cose.ALG_ES256
    entry = IssuerKey(public, frozenset({vector["license"]}), vector["now"] - 86400, vector["now"] + 86400, alg)
    token = sign_status_list(StatusList.from_statuses(64, statuses or {}), root, uri=vector["status"]["uri"],
                             iat=vector["now"])
    data = build_bundle(seq=1, iat=vector["now"], issuers=[entry], status_lists=[token], root_key=root)
    return load_bundle(data, [root.public_key()], now=vector["now"])


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["alg"] == "EdDSA"],
                         ids=[i for i, v in zip(IDS, VECTORS) if v["alg"] == "EdDSA"])
def test_eddsa_vectors_are_reproduced_exactly(vector: dict[str, Any]) -> None:
    """Issuing the vector's license with the fixed Ed25519 key gives exactly the recorded COSE bytes and text."""
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(FILE["ed25519_seed_hex"]))
    device = ec.derive_private_key(int(FILE["device_private_scalar_hex"], 16), ec.SECP256R1())
    text = issue(make_license(FILE["licenses"][vector["license"]]), vector["profile"], key, now=vector["now"],
                 status=(vector["status"]["uri"], vector["status"]["idx"]),
                 device_key=device.public_key() if vector["holder_bound"] else None)
    assert decode_text(text).hex() == vector["cose_hex"]
    if zlib.ZLIB_RUNTIME_VERSION == FILE["zlib_version"]:  # another zlib may compress differently
        assert text == vector["text"]


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_every_vector_verifies_with_its_fixed_key(vector: dict[str, Any]) -> None:
    """The recorded text (or presentation) verifies with the vector's public key and shows the expected fields."""
    text = vector.get("presentation", vector["text"])
    now = vector.get("presented_at", vector["now"])
    verdict = verify(text, _bundle(vector), now=now, replay_cache=MemoryReplayCache())
    assert verdict.valid, verdict.detail
    assert verdict.kid is not None and verdict.kid.hex() == vector["kid_hex"]
    assert verdict.license_id == vector["expect"]["license_id"]
    assert dict(verdict.fields) == vector["expect"]["fields"]
    assert verdict.holder_bound is vector["holder_bound"]


@pytest.mark.parametrize("vector", VECTORS[:2], ids=IDS[:2])
def test_vector_revoked_by_its_status_entry(vector: dict[str, Any]) -> None:
    """The same recorded text is revoked once its status entry (idx 42) is set to 1."""
    text = vector.get("presentation", vector["text"])
    now = vector.get("presented_at", vector["now"])
    verdict = verify(text, _bundle(vector, {vector["status"]["idx"]: 1}), now=now, replay_cache=MemoryReplayCache())
    assert verdict.reason == "revoked"


LEGACY = json.loads((Path(__file__).parent / "vectors" / "qd1_compressed_cnf.json").read_text(encoding="utf-8"))
LEGACY_BOUND = [v for v in LEGACY["vectors"] if v["holder_bound"]]


@pytest.mark.parametrize("vector", LEGACY_BOUND, ids=[v["name"] for v in LEGACY_BOUND])
def test_credentials_with_a_compressed_device_key_still_verify(vector: dict[str, Any]) -> None:
    """Bound credentials issued before cnf carried the full point (x and the sign of y) keep verifying."""
    assert LEGACY["p256_spki_hex"] == FILE["p256_spki_hex"] and LEGACY["ed25519_spki_hex"] == FILE["ed25519_spki_hex"]
    verdict = verify(vector["presentation"], _bundle(vector), now=vector["presented_at"],
                     replay_cache=MemoryReplayCache())
    assert verdict.valid, verdict.detail
    assert dict(verdict.fields) == vector["expect"]["fields"]


def test_vector_keys_match_their_kids() -> None:
    """The fixed keys in the file hash to the kids the vectors carry."""
    eddsa = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(FILE["ed25519_seed_hex"]))
    es256 = ec.derive_private_key(int(FILE["p256_private_scalar_hex"], 16), ec.SECP256R1())
    kids = {"EdDSA": kid_of(eddsa.public_key()).hex(), "ES256": kid_of(es256.public_key()).hex()}
    assert all(v["kid_hex"] == kids[v["alg"]] for v in VECTORS)
