"""Keys: kid computation, loading public keys and certificates, COSE_Key and PKCS#8 round trips."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from wallet import keys
from wallet.errors import InvalidCredential


def _certificate(private: keys.PrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test signer")])
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
        .serial_number(1).not_valid_before(start).not_valid_after(start + dt.timedelta(days=365))
    )
    return builder.sign(private, hashes.SHA256())


def test_kid_is_first_8_bytes_of_spki_sha256() -> None:
    """The kid of a key is SHA-256 of its SubjectPublicKeyInfo DER, cut to 8 bytes."""
    public = keys.generate_p256().public_key()
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert keys.kid_of(public) == hashlib.sha256(der).digest()[:8]


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_load_public_key_pem_and_der(encoding: serialization.Encoding) -> None:
    """A public key loads from PEM or DER with the SPKI kid."""
    public = keys.generate_p256().public_key()
    data = public.public_bytes(encoding, serialization.PublicFormat.SubjectPublicKeyInfo)
    loaded = keys.load_verification_key(data)
    assert loaded.public_key == public and loaded.kid == keys.kid_of(public)


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_load_certificate_pem_and_der(encoding: serialization.Encoding) -> None:
    """A certificate loads from PEM or DER and its kid hashes the certificate DER, as the EU DCC does."""
    private = keys.generate_p256()
    cert = _certificate(private)
    loaded = keys.load_verification_key(cert.public_bytes(encoding))
    der = cert.public_bytes(serialization.Encoding.DER)
    assert loaded.public_key == private.public_key()
    assert loaded.kid == hashlib.sha256(der).digest()[:8]


def test_load_garbage_is_malformed() -> None:
    """Bytes that are neither a key nor a certificate are refused."""
    with pytest.raises(InvalidCredential) as caught:
        keys.load_verification_key(b"-----BEGIN NONSENSE-----\n")
    assert caught.value.reason == "malformed"


@pytest.mark.parametrize("compressed", [True, False])
def test_cose_key_round_trip_p256(compressed: bool) -> None:
    """A P-256 key survives COSE_Key encoding with a compressed or full y coordinate."""
    public = keys.generate_p256().public_key()
    cose_key = keys.cose_key_from_public(public, compressed=compressed)
    assert cose_key[1] == 2 and cose_key[-1] == 1
    assert keys.public_from_cose_key(cose_key) == public


def test_cose_key_round_trip_ed25519() -> None:
    """An Ed25519 key survives OKP COSE_Key encoding."""
    public = keys.generate_ed25519().public_key()
    assert keys.public_from_cose_key(keys.cose_key_from_public(public)) == public


@pytest.mark.parametrize(
    "cose_key",
    [
        {1: 2, -1: 2, -2: b"\0" * 32, -3: True},
        {1: 2, -1: 1, -2: b"\0" * 31, -3: True},
        {1: 2, -1: 1, -2: b"\xff" * 32, -3: b"\xff" * 32},
        {1: 3, -1: 1},
        [1, 2],
    ],
    ids=["p384-label", "short-x", "off-curve", "rsa-kty", "not-a-map"],
)
def test_bad_cose_key_is_malformed(cose_key: object) -> None:
    """COSE_Keys with a wrong curve, length, point or type are malformed."""
    with pytest.raises(InvalidCredential) as caught:
        keys.public_from_cose_key(cose_key)
    assert caught.value.reason == "malformed"


@pytest.mark.parametrize("password", [None, b"correct horse"])
def test_private_key_pkcs8_round_trip(password: bytes | None) -> None:
    """Private keys serialise to PKCS#8 PEM, encrypted when a password is given, and load back."""
    private = keys.generate_p256()
    pem = keys.private_key_to_pem(private, password)
    assert (b"ENCRYPTED" in pem) == (password is not None)
    assert keys.load_private_key(pem, password).public_key() == private.public_key()
