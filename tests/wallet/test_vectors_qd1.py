"""Our QD1 known-answer vectors (tests/vectors/qd1/, format in its README.md): every committed vector verifies
with the verdict it records; the first EdDSA credentials are reproduced byte for byte. Nothing is regenerated."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from tests.vectors.qd1.generate_qd1 import make_license
from wallet import cose
from wallet.codec import decode_text
from wallet.issuer import issue
from wallet.errors import InvalidCredential
from wallet.keys import VerificationKey, generate_p256, kid_of, public_key_from_spki
from wallet.license_types import PROFILES, REGISTRY
from wallet.replay import MemoryReplayCache
from wallet.status_list import StatusList, sign_status_list
from wallet.trust import IssuerKey, build_bundle, load_bundle
from wallet.verdict import REASONS
from wallet.verify import verify, verify_with_keys

HERE = Path(__file__).resolve().parents[1] / "vectors" / "qd1"
FILE = json.loads((HERE / "qd1.json").read_text(encoding="utf-8"))
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


LEGACY = json.loads((HERE / "qd1_compressed_cnf.json").read_text(encoding="utf-8"))
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


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return data


SHARED = {name: _load(name) for name in ("types.json", "negatives.json", "keys_mode.json")}
SHARED_CASES = [(name, v) for name, data in SHARED.items() for v in data["vectors"]]
#: Reasons no text + trust bundle + clock can produce: ``no_qr_code`` is the image decoder's (no QR code found
#: in a picture), before there is any text to verify.
NOT_FROM_TEXT = {"no_qr_code"}


def shared_verdict(data: dict[str, Any], vector: dict[str, Any]) -> dict[str, Any]:
    """The Python verdict of one shared vector, in the shape of its ``expect``."""
    text = vector.get("presentation", vector["text"])
    now = vector["now"]
    if "keys" in vector:
        keys = [VerificationKey(bytes.fromhex(k["kid_hex"]), public_key_from_spki(bytes.fromhex(k["spki_hex"])))
                for k in vector["keys"]]
        verdict = verify_with_keys(text, keys, now=now)
    else:
        roots = [public_key_from_spki(bytes.fromhex(h)) for h in vector.get("root_spki_hex", data["root_spki_hex"])]
        try:
            bundle = load_bundle(bytes.fromhex(vector.get("bundle_hex", data["bundle_hex"])), roots, now=now,
                                 held_seq=vector.get("held_seq"))
        except InvalidCredential as exc:
            return {"valid": False, "reason": exc.reason}
        cache = MemoryReplayCache()
        if vector.get("replay") == "seen":
            assert verify(text, bundle, now=now, purpose=vector.get("purpose"), replay_cache=cache).valid
        verdict = verify(text, bundle, now=now, purpose=vector.get("purpose"), replay_cache=cache)
    out: dict[str, Any] = {"valid": verdict.valid, "reason": verdict.reason}
    if verdict.valid:
        out.update(fields=dict(verdict.fields), license_id=verdict.license_id, warnings=list(verdict.warnings))
        if "holder_bound" in vector:
            assert verdict.holder_bound is vector["holder_bound"]
        if "kid_hex" in vector:
            assert verdict.kid is not None and verdict.kid.hex() == vector["kid_hex"]
        if "license" in vector:
            assert verdict.license_type == vector["license"]
    return out


@pytest.mark.parametrize("name,vector", SHARED_CASES, ids=[f"{n}:{v['name']}" for n, v in SHARED_CASES])
def test_shared_vector_gives_its_recorded_verdict(name: str, vector: dict[str, Any]) -> None:
    """Each committed vector (text, trust bundle and root keys or keys, clock, purpose) gives its ``expect``."""
    assert shared_verdict(SHARED[name], vector) == vector["expect"]


def test_every_type_profile_and_binding_has_a_valid_vector() -> None:
    """21 types x every named profile x bare and holder-bound, all valid with exactly the profile's fields."""
    seen = {(v["license"], v["profile"], v["holder_bound"]) for v in SHARED["types.json"]["vectors"]
            if v["expect"]["valid"] and v["purpose"] is None}
    assert len(REGISTRY) == 21
    assert seen == {(code, p, b) for code in REGISTRY for p in PROFILES for b in (False, True)}
    for vector in SHARED["types.json"]["vectors"]:
        if vector["purpose"] is None:
            profile_fields = set(REGISTRY[vector["license"]].profiles[vector["profile"]])
            assert set(vector["expect"]["fields"]) <= profile_fields | {"holder_code_masked"}


def test_every_reason_a_text_can_produce_has_a_negative_vector() -> None:
    """Every verdict reason but the image-only ones is some vector's expected reason."""
    reasons = {v["expect"]["reason"] for name in ("negatives.json", "keys_mode.json")
               for v in SHARED[name]["vectors"]}
    assert set(REASONS) - NOT_FROM_TEXT <= reasons
    assert reasons - {None} <= set(REASONS)


def test_test_keys_match_the_vectors() -> None:
    """keys.json (test-only keys) holds the private keys whose public halves and kids the vectors name."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from wallet.keys import spki_der

    keys = _load("keys.json")
    assert "TEST-ONLY" in keys["warning"]
    for name, entry in keys.items():
        if name == "warning":
            continue
        private = load_pem_private_key(entry["private_pem"].encode(), None)
        assert spki_der(private.public_key()).hex() == entry["spki_hex"]  # type: ignore[arg-type]
        assert kid_of(private.public_key()).hex() == entry["kid_hex"]  # type: ignore[arg-type]
    assert SHARED["types.json"]["root_spki_hex"] == [keys["root"]["spki_hex"]]
    kids = {keys["issuer_es256"]["kid_hex"], keys["issuer_eddsa"]["kid_hex"]}
    assert {v["kid_hex"] for v in SHARED["types.json"]["vectors"]} == kids


def test_generator_refuses_to_overwrite_committed_vectors() -> None:
    """Regenerating changes ES256 bytes, so the generator stops unless given --force (and nothing is written)."""
    from tests.vectors.qd1 import generate

    before = {p.name: p.read_bytes() for p in HERE.glob("*.json")}
    with pytest.raises(SystemExit):
        generate.main([])
    assert {p.name: p.read_bytes() for p in HERE.glob("*.json")} == before
