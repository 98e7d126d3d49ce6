"""COSE_Sign1: signing, the three verification algorithms, header precedence and tag handling."""

from __future__ import annotations

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from wallet import cose
from wallet.errors import InvalidCredential
from wallet.keys import PrivateKey, generate_ed25519, generate_p256, kid_of


@pytest.fixture(params=["p256", "ed25519"])
def signing_key(request: pytest.FixtureRequest) -> PrivateKey:
    """A fresh signing key of each supported kind."""
    return generate_p256() if request.param == "p256" else generate_ed25519()


def test_sign_then_verify(signing_key: PrivateKey) -> None:
    """A message signed with either algorithm verifies with its public key and carries kid and alg."""
    message = cose.decode_sign1(cose.sign1(b"payload", signing_key))
    cose.verify_signature(message, signing_key.public_key())
    assert message.kid == kid_of(signing_key.public_key())
    assert message.alg in (cose.ALG_ES256, cose.ALG_EDDSA)
    assert message.payload == b"payload"


def test_es256_signature_is_raw_r_s() -> None:
    """ES256 signatures are the 64-byte r||s form, not DER."""
    message = cose.decode_sign1(cose.sign1(b"x", generate_p256()))
    assert len(message.signature) == 64


def test_wrong_key_is_bad_signature(signing_key: PrivateKey) -> None:
    """Another key of the same kind does not verify the signature."""
    other = generate_p256() if isinstance(signing_key, ec.EllipticCurvePrivateKey) else generate_ed25519()
    message = cose.decode_sign1(cose.sign1(b"payload", signing_key))
    with pytest.raises(InvalidCredential) as caught:
        cose.verify_signature(message, other.public_key())
    assert caught.value.reason == "bad_signature"


@pytest.mark.parametrize("curve", [ec.SECP384R1(), ec.SECP256K1()])
def test_curve_must_match_algorithm(curve: ec.EllipticCurve) -> None:
    """An ES256 message is not checked against a key on another curve."""
    message = cose.decode_sign1(cose.sign1(b"payload", generate_p256()))
    with pytest.raises(InvalidCredential) as caught:
        cose.verify_signature(message, ec.generate_private_key(curve).public_key())
    assert caught.value.reason == "bad_signature" and "P-256" in caught.value.detail


def test_eddsa_message_rejects_ec_key() -> None:
    """An EdDSA message is not checked against an EC key."""
    message = cose.decode_sign1(cose.sign1(b"payload", generate_ed25519()))
    with pytest.raises(InvalidCredential):
        cose.verify_signature(message, generate_p256().public_key())


def _ps256_message(private: rsa.RSAPrivateKey, payload: bytes) -> bytes:
    """Build a PS256 COSE_Sign1 directly with cbor2 and cryptography, independently of wallet.cose."""
    protected = cbor2.dumps({1: -37, 4: b"rsa-kid!"})
    tbs = cbor2.dumps(["Signature1", protected, b"", payload])
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    return cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, private.sign(tbs, pss, hashes.SHA256())]))


def test_ps256_verifies() -> None:
    """A PS256 message built independently verifies, and a changed payload does not."""
    private = rsa.generate_private_key(65537, 2048)
    message = cose.decode_sign1(_ps256_message(private, b"hcert"))
    cose.verify_signature(message, private.public_key())
    forged = cose.Sign1(message.protected, message.protected_headers, {}, b"hcerT", message.signature)
    with pytest.raises(InvalidCredential):
        cose.verify_signature(forged, private.public_key())


def test_untagged_and_cwt_wrapped_inputs_are_accepted() -> None:
    """The same message decodes tagged, untagged and inside the CWT tag 61."""
    key = generate_p256()
    tagged = cose.sign1(b"p", key)
    body = cbor2.loads(tagged).value
    for variant in (tagged, cbor2.dumps(list(body)), cbor2.dumps(cbor2.CBORTag(61, cbor2.loads(tagged)))):
        cose.verify_signature(cose.decode_sign1(variant), key.public_key())


@pytest.mark.parametrize(
    "obj",
    [
        cbor2.CBORTag(98, [b"", {}, b"", b""]),
        [b"", {}, b""],
        [b"", {}, None, b""],
        ["", {}, b"", b""],
        [b"", [], b"", b""],
        {"a": 1},
    ],
    ids=["cose-sign-tag", "three-elements", "detached-payload", "text-protected", "list-unprotected", "map"],
)
def test_wrong_structure_is_malformed(obj: object) -> None:
    """Anything that is not a four-element COSE_Sign1 is malformed."""
    with pytest.raises(InvalidCredential) as caught:
        cose.decode_sign1(cbor2.dumps(obj))
    assert caught.value.reason == "malformed"


def test_protected_header_wins_over_unprotected() -> None:
    """A kid in the unprotected header cannot override the protected one."""
    key = generate_p256()
    raw = cose.sign1(b"p", key, unprotected={4: b"attacker"})
    message = cose.decode_sign1(raw)
    assert message.kid == kid_of(key.public_key())


def test_unprotected_kid_is_used_when_protected_has_none() -> None:
    """A kid only in the unprotected header (as in the status list draft) is still read."""
    message = cose.decode_sign1(cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -7}), {4: b"12"}, b"", b""])))
    assert message.kid == b"12"


def test_verify_with_any_tries_every_key_sharing_a_kid() -> None:
    """When several keys are candidates, the one that verifies is returned."""
    key = generate_p256()
    message = cose.decode_sign1(cose.sign1(b"p", key, kid=b"shared"))
    others = [generate_p256().public_key() for _ in range(3)]
    assert cose.verify_with_any(message, [*others, key.public_key()]) == key.public_key()
    with pytest.raises(InvalidCredential) as caught:
        cose.verify_with_any(message, others)
    assert caught.value.reason == "bad_signature"


def test_unknown_algorithm_is_unsupported() -> None:
    """An algorithm we do not implement is reported as unsupported_algorithm."""
    message = cose.decode_sign1(cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -35}), {}, b"", b""])))
    with pytest.raises(InvalidCredential) as caught:
        cose.verify_signature(message, generate_p256().public_key())
    assert caught.value.reason == "unsupported_algorithm"


def _moved_headers(key: PrivateKey, protected: dict[int, object], unprotected: dict[int, object]) -> cose.Sign1:
    """A correctly signed message whose header buckets are exactly ``protected`` and ``unprotected``."""
    protected_bytes, payload = cbor2.dumps(protected), b"payload"
    signature = cose.sign_raw(key, cose.ALG_ES256, cbor2.dumps(["Signature1", protected_bytes, b"", payload]))
    return cose.decode_sign1(cbor2.dumps(cbor2.CBORTag(18, [protected_bytes, unprotected, payload, signature])))


@pytest.mark.parametrize(("protected", "unprotected", "reason"), [
    ({}, {1: cose.ALG_ES256}, "alg_not_protected"),
    ({1: cose.ALG_ES256, 2: [99], 99: 0}, {}, "unknown_critical_header"),
    ({1: cose.ALG_ES256}, {2: [1]}, "malformed"),
], ids=["alg-unprotected", "crit-unknown", "crit-unprotected"])
def test_signature_checks_refuse_headers_it_does_not_cover(protected: dict[int, object],
                                                           unprotected: dict[int, object], reason: str) -> None:
    """Every signature check (credentials, trust bundles, status lists) applies the RFC 9052 header rules."""
    key = generate_p256()
    message = _moved_headers(key, protected, unprotected)
    for check in (lambda: cose.verify_signature(message, key.public_key()),
                  lambda: cose.verify_with_any(message, [key.public_key()])):
        with pytest.raises(InvalidCredential) as caught:
            check()
        assert caught.value.reason == reason
    cose.verify_signature(_moved_headers(key, {1: cose.ALG_ES256, 2: [1, 4], 4: b"k"}, {}), key.public_key())
