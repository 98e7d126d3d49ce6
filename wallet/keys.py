"""Key handling for the wallet: generation, ``kid`` computation, loading public keys and certificates,
COSE_Key encoding for the ``cnf`` claim, and PKCS#8 serialisation of private keys."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .errors import InvalidCredential

__all__ = [
    "PrivateKey",
    "PublicKey",
    "VerificationKey",
    "generate_p256",
    "generate_ed25519",
    "spki_der",
    "kid_of",
    "kid_of_certificate",
    "public_key_from_spki",
    "load_verification_key",
    "cose_key_from_public",
    "public_from_cose_key",
    "private_key_to_pem",
    "load_private_key",
]

PrivateKey = Union[ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey]
PublicKey = Union[ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey, rsa.RSAPublicKey]

KID_LENGTH = 8
_KTY_OKP, _KTY_EC2 = 1, 2
_CRV_P256, _CRV_ED25519 = 1, 6


@dataclass(frozen=True)
class VerificationKey:
    """A public key together with the ``kid`` under which signed messages name it."""

    kid: bytes
    public_key: PublicKey


def generate_p256() -> ec.EllipticCurvePrivateKey:
    """Generate a P-256 key (ES256), the default because phones' secure hardware is P-256 only."""
    return ec.generate_private_key(ec.SECP256R1())


def generate_ed25519() -> ed25519.Ed25519PrivateKey:
    """Generate an Ed25519 key (EdDSA), whose signatures are deterministic."""
    return ed25519.Ed25519PrivateKey.generate()


def spki_der(public_key: PublicKey) -> bytes:
    """Return the DER SubjectPublicKeyInfo of ``public_key``."""
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return public_key.public_bytes(serialization.Encoding.DER, spki)


def kid_of(public_key: PublicKey) -> bytes:
    """Return the key id: the first 8 bytes of SHA-256 of the SubjectPublicKeyInfo DER."""
    return hashlib.sha256(spki_der(public_key)).digest()[:KID_LENGTH]


def kid_of_certificate(certificate: x509.Certificate) -> bytes:
    """Return the key id of a certificate signer: the first 8 bytes of SHA-256 of the certificate DER."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).digest()[:KID_LENGTH]


def _supported(key: Any) -> PublicKey:
    if isinstance(key, (ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey, rsa.RSAPublicKey)):
        return key
    raise InvalidCredential("unsupported_algorithm", f"unsupported key type {type(key).__name__}")


def public_key_from_spki(der: bytes) -> PublicKey:
    """Load a DER SubjectPublicKeyInfo, raising ``InvalidCredential("malformed")`` if it is not one."""
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InvalidCredential("malformed", f"bad public key ({exc})") from None
    return _supported(key)


def load_verification_key(data: bytes) -> VerificationKey:
    """Load a PEM or DER public key or X.509 certificate; a certificate's kid hashes the certificate."""
    is_pem = data.lstrip().startswith(b"-----BEGIN")
    try:
        cert = x509.load_pem_x509_certificate(data) if is_pem else x509.load_der_x509_certificate(data)
    except ValueError:
        pass
    else:
        return VerificationKey(kid_of_certificate(cert), _supported(cert.public_key()))
    try:
        key = serialization.load_pem_public_key(data) if is_pem else serialization.load_der_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InvalidCredential("malformed", f"neither a public key nor a certificate ({exc})") from None
    public = _supported(key)
    return VerificationKey(kid_of(public), public)


def cose_key_from_public(public_key: PublicKey, *, compressed: bool = True) -> dict[int, Any]:
    """Encode a P-256 or Ed25519 public key as a COSE_Key (RFC 9053); compressed P-256 saves 31 bytes."""
    if isinstance(public_key, ec.EllipticCurvePublicKey) and isinstance(public_key.curve, ec.SECP256R1):
        numbers = public_key.public_numbers()
        x = numbers.x.to_bytes(32, "big")
        y: bool | bytes = bool(numbers.y & 1) if compressed else numbers.y.to_bytes(32, "big")
        return {1: _KTY_EC2, -1: _CRV_P256, -2: x, -3: y}
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {1: _KTY_OKP, -1: _CRV_ED25519, -2: raw}
    raise InvalidCredential("unsupported_algorithm", "COSE_Key supports EC2 P-256 and OKP Ed25519 here")


def public_from_cose_key(cose_key: Any) -> PublicKey:
    """Decode a COSE_Key (EC2 P-256 with full or compressed y, or OKP Ed25519) or raise ``malformed``."""
    if not isinstance(cose_key, Mapping):
        raise InvalidCredential("malformed", "COSE_Key must be a map")
    kty, crv, x, y = cose_key.get(1), cose_key.get(-1), cose_key.get(-2), cose_key.get(-3)
    try:
        if kty == _KTY_EC2 and crv == _CRV_P256 and isinstance(x, bytes) and len(x) == 32:
            if isinstance(y, bool):
                point = (b"\x03" if y else b"\x02") + x
            elif isinstance(y, bytes) and len(y) == 32:
                point = b"\x04" + x + y
            else:
                raise ValueError("bad y coordinate")
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        if kty == _KTY_OKP and crv == _CRV_ED25519 and isinstance(x, bytes) and len(x) == 32:
            return ed25519.Ed25519PublicKey.from_public_bytes(x)
    except ValueError as exc:
        raise InvalidCredential("malformed", f"COSE_Key is not a valid point ({exc})") from None
    raise InvalidCredential("malformed", "COSE_Key must be EC2 P-256 or OKP Ed25519")


def private_key_to_pem(key: PrivateKey, password: bytes | None = None) -> bytes:
    """Serialise a private key as PKCS#8 PEM, encrypted with ``password`` when one is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def load_private_key(data: bytes, password: bytes | None = None) -> PrivateKey:
    """Load a PKCS#8 PEM or DER private key (P-256 or Ed25519), raising ``ValueError`` otherwise."""
    if data.lstrip().startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(data, password)
    else:
        key = serialization.load_der_private_key(data, password)
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key
    raise ValueError("signing keys must be P-256 or Ed25519")
