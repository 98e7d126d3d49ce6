"""COSE_Sign1 (RFC 9052) on cbor2 + cryptography: sign ES256/EdDSA, verify ES256/EdDSA/PS256.

Input may be tagged (18), untagged, or wrapped in the CWT tag (61). The protected header wins over the
unprotected one. The algorithm is dispatched from the header so another one (SM2) can be added later.

Before any signature check, :func:`check_headers` applies RFC 9052 section 3.1: ``alg`` must be in the
protected bucket (the signature covers it), and ``crit``, when present, must be a non-empty array of labels
in the protected bucket naming only labels this implementation understands (``UNDERSTOOD_HEADERS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from . import cborio
from .errors import InvalidCredential
from .keys import PrivateKey, PublicKey, kid_of

__all__ = [
    "ALG_ES256",
    "ALG_EDDSA",
    "ALG_PS256",
    "ALG_NAMES",
    "HEADER_ALG",
    "HEADER_CRIT",
    "HEADER_KID",
    "HEADER_TYP",
    "UNDERSTOOD_HEADERS",
    "Sign1",
    "sign1",
    "decode_sign1",
    "sign1_from_cbor",
    "check_headers",
    "verify_signature",
    "verify_raw",
    "sign_raw",
    "verify_with_any",
]

ALG_ES256, ALG_EDDSA, ALG_PS256 = -7, -8, -37
ALG_NAMES = {ALG_ES256: "ES256", ALG_EDDSA: "EdDSA", ALG_PS256: "PS256"}
HEADER_ALG, HEADER_CRIT, HEADER_KID, HEADER_TYP = 1, 2, 4, 16
#: The header labels a verifier here acts on, so the only ones a ``crit`` header may name.
UNDERSTOOD_HEADERS = frozenset({HEADER_ALG, HEADER_CRIT, HEADER_KID, HEADER_TYP})
TAG_SIGN1, TAG_CWT = 18, 61
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())
_PSS_SHA256 = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)


@dataclass(frozen=True)
class Sign1:
    """A decoded COSE_Sign1: raw protected bytes (signed as-is), both header maps, payload, signature."""

    protected: bytes
    protected_headers: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload: bytes
    signature: bytes

    def header(self, label: int) -> Any:
        """Return a header parameter, the protected value winning over the unprotected one."""
        if label in self.protected_headers:
            return self.protected_headers[label]
        return self.unprotected.get(label)

    @property
    def alg(self) -> Any:
        """The ``alg`` header parameter (an int for the algorithms we know)."""
        return self.header(HEADER_ALG)

    @property
    def kid(self) -> bytes | None:
        """The ``kid`` header parameter, or None when absent or not a byte string."""
        kid = self.header(HEADER_KID)
        return kid if isinstance(kid, bytes) else None

    def to_be_signed(self, external_aad: bytes = b"") -> bytes:
        """Return the Sig_structure bytes: ["Signature1", protected, external_aad, payload]."""
        return cborio.dumps(["Signature1", self.protected, external_aad, self.payload])

    def encode(self, *, tag: bool = True) -> bytes:
        """Serialise the message, with tag 18 unless ``tag`` is False."""
        body = [self.protected, dict(self.unprotected), self.payload, self.signature]
        return cborio.dumps(cbor2.CBORTag(TAG_SIGN1, body) if tag else body)


def _alg_for(key: PrivateKey) -> int:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return ALG_EDDSA
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return ALG_ES256
    raise InvalidCredential("unsupported_algorithm", "signing keys must be P-256 (ES256) or Ed25519 (EdDSA)")


def sign_raw(key: PrivateKey, alg: int, data: bytes) -> bytes:
    """Sign ``data`` with ``alg``; ES256 signatures come out as raw r||s (64 bytes), as COSE wants."""
    if alg == ALG_EDDSA and isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    if alg == ALG_ES256 and isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(data, _ECDSA_SHA256))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    raise InvalidCredential("unsupported_algorithm", f"cannot sign {ALG_NAMES.get(alg, alg)} with this key")


def sign1(
    payload: bytes,
    key: PrivateKey,
    *,
    kid: bytes | None = None,
    protected: Mapping[int, Any] | None = None,
    unprotected: Mapping[int, Any] | None = None,
    external_aad: bytes = b"",
    tag: bool = True,
) -> bytes:
    """Sign ``payload`` into a COSE_Sign1 with alg and kid (default: derived from the key) protected."""
    alg = _alg_for(key)
    kid = kid if kid is not None else kid_of(key.public_key())
    headers: dict[int, Any] = {HEADER_ALG: alg, HEADER_KID: kid}
    headers.update(protected or {})
    protected_bytes = cborio.dumps(headers)
    unsigned = Sign1(protected_bytes, headers, dict(unprotected or {}), payload, b"")
    signature = sign_raw(key, alg, unsigned.to_be_signed(external_aad))
    return Sign1(protected_bytes, headers, unsigned.unprotected, payload, signature).encode(tag=tag)


def sign1_from_cbor(obj: Any) -> Sign1:
    """Interpret a decoded CBOR item as a COSE_Sign1 (tag 18, untagged, or inside CWT tag 61)."""
    if isinstance(obj, cbor2.CBORTag) and obj.tag == TAG_CWT:
        obj = obj.value
    if isinstance(obj, cbor2.CBORTag):
        if obj.tag != TAG_SIGN1:
            raise InvalidCredential("malformed", f"CBOR tag {obj.tag} is not COSE_Sign1")
        obj = obj.value
    protected, unprotected, payload, signature = cborio.as_list(obj, "COSE_Sign1", 4)
    protected = cborio.as_bytes(protected, "protected header")
    headers: Mapping[Any, Any] = {}
    if protected:
        headers = cborio.as_map(cborio.loads(protected, reason="malformed"), "protected header")
    return Sign1(
        protected=protected,
        protected_headers=headers,
        unprotected=cborio.as_map(unprotected, "unprotected header"),
        payload=cborio.as_bytes(payload, "payload"),
        signature=cborio.as_bytes(signature, "signature"),
    )


def decode_sign1(data: bytes) -> Sign1:
    """Decode COSE_Sign1 bytes, raising ``InvalidCredential`` (bad_cbor / malformed) on bad input."""
    return sign1_from_cbor(cborio.loads(data))


def check_headers(message: Sign1) -> None:
    """Refuse headers a signature cannot vouch for: ``alg`` not protected, ``crit`` malformed or not understood.

    Raises ``alg_not_protected``, ``unknown_critical_header``, or ``malformed`` (a ``crit`` that is not a
    non-empty array of int or text labels, or that sits in the unprotected bucket).
    """
    protected = message.protected_headers
    if HEADER_ALG not in protected:
        where = "only in the unprotected header" if HEADER_ALG in message.unprotected else "missing"
        raise InvalidCredential("alg_not_protected", f"alg is {where}; it must be in the protected header")
    if HEADER_CRIT in message.unprotected:
        raise InvalidCredential("malformed", "crit must be in the protected header")
    crit = protected.get(HEADER_CRIT)
    if crit is None:
        return
    if not isinstance(crit, (list, tuple)) or not crit:
        raise InvalidCredential("malformed", "crit must be a non-empty array of labels")
    for label in crit:
        if not isinstance(label, (int, str)) or isinstance(label, bool):
            raise InvalidCredential("malformed", "crit labels must be integers or text")
        if label not in UNDERSTOOD_HEADERS:
            raise InvalidCredential("unknown_critical_header", f"crit names header {label!r}, not understood here")


def verify_signature(message: Sign1, public_key: PublicKey, external_aad: bytes = b"") -> None:
    """Check the headers (:func:`check_headers`), then the signature with ``public_key`` (:func:`verify_raw`)."""
    check_headers(message)
    verify_raw(message.protected_headers[HEADER_ALG], public_key, message.to_be_signed(external_aad),
               message.signature)


def verify_raw(alg: Any, public_key: PublicKey, data: bytes, sig: bytes) -> None:
    """Check ``sig`` over ``data`` after checking that key type and curve fit ``alg``, or raise."""
    try:
        if alg == ALG_ES256:
            if not (isinstance(public_key, ec.EllipticCurvePublicKey)
                    and isinstance(public_key.curve, ec.SECP256R1)):
                raise InvalidCredential("bad_signature", "ES256 needs a P-256 key")
            if len(sig) != 64:
                raise InvalidCredential("bad_signature", "an ES256 signature is 64 bytes r||s")
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
            public_key.verify(der, data, _ECDSA_SHA256)
        elif alg == ALG_EDDSA:
            if not isinstance(public_key, ed25519.Ed25519PublicKey):
                raise InvalidCredential("bad_signature", "EdDSA needs an Ed25519 key")
            public_key.verify(sig, data)
        elif alg == ALG_PS256:
            if not isinstance(public_key, rsa.RSAPublicKey) or public_key.key_size < 2048:
                raise InvalidCredential("bad_signature", "PS256 needs an RSA key of at least 2048 bits")
            public_key.verify(sig, data, _PSS_SHA256, hashes.SHA256())
        else:
            raise InvalidCredential("unsupported_algorithm", f"algorithm {alg!r} is not supported")
    except InvalidSignature:
        raise InvalidCredential("bad_signature", "signature does not verify") from None


def verify_with_any(message: Sign1, keys: Iterable[PublicKey], external_aad: bytes = b"") -> PublicKey:
    """Return the first of ``keys`` whose signature check passes (keys may share a kid), else raise.

    The headers are checked first (:func:`check_headers`), once.
    """
    check_headers(message)
    alg, data = message.protected_headers[HEADER_ALG], message.to_be_signed(external_aad)
    last: InvalidCredential | None = None
    for key in keys:
        try:
            verify_raw(alg, key, data, message.signature)
        except InvalidCredential as exc:
            if exc.reason == "unsupported_algorithm":
                raise
            last = exc
        else:
            return key
    raise last or InvalidCredential("unknown_key", "no key to check the signature with")
