"""Who is pushing: HTTP Message Signatures (RFC 9421) with Content-Digest (RFC 9530), verified with the
``http-message-signatures`` library exactly as the issuing contract says (docs/ISSUING.md).

A request is signed under the label ``zwt`` over ``@method``, ``@path``, ``content-type`` and
``content-digest`` (sha-256), with ``created``, ``keyid`` and ``alg="ecdsa-p256-sha256"``. The key must be
registered, active and the department's own; ``created`` within ``ZWT_ISSUER_SIGNATURE_SKEW_SECONDS`` of
the platform's clock (time is a parameter: the library's own check reads the wall clock, so it is replaced).
Every failure is a 401 naming the reason.

The key's row (state, department, allowed types) is read on every push, so a revocation holds from the very
next one; only the parsed public key is kept per worker (``WalletRuntime.issuer_keys``), by the row's id and
the SHA-256 of its SPKI, so a row whose key bytes differ is never verified with a stale key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from http_message_signatures import (ContentDigest, HTTPMessageSignaturesException, HTTPMessageVerifier,
                                     HTTPSignatureKeyResolver, InvalidSignature, VerificationKey, algorithms)
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from wallet.keys import PublicKey, public_key_from_spki

from ..errors import Unauthorized, field_error
from ..models import IssuerKey
from ..wallet_service.runtime import IssuerKeyCache

__all__ = ["ALGORITHM", "ALG_ID", "LABEL", "COVERED", "SignedRequest", "SigningKey", "verify_request",
           "signature_refused"]

ALGORITHM = algorithms.ECDSA_P256_SHA256
ALG_ID = ALGORITHM.algorithm_id  # "ecdsa-p256-sha256"
LABEL = "zwt"
COVERED = ("@method", "@path", "content-type", "content-digest")

_KEY_ROW = select(IssuerKey.id, IssuerKey.key_id, IssuerKey.department_code, IssuerKey.state,
                  IssuerKey.allowed_types, IssuerKey.public_key).where(IssuerKey.key_id == bindparam("key_id"))


@dataclass(frozen=True)
class SigningKey:
    """The registered key that verified a push: its id and the license types it may push."""

    key_id: str
    allowed_types: tuple[str, ...]


@dataclass(frozen=True)
class SignedRequest:
    """The parts of an HTTP request a signature covers, in the shape the library reads."""

    method: str
    url: str
    headers: Any  # anything with ``items()`` of (name, value) text pairs


def signature_refused(reason: str) -> Unauthorized:
    """The 401 problem of a push whose signature does not hold, naming why (``errors[0].code``)."""
    return Unauthorized("signature_invalid", params={"reason": reason},
                        errors=[field_error("Signature", reason)],
                        headers={"WWW-Authenticate": f'Signature realm="zwt", label="{LABEL}"'})


class _Keys(HTTPSignatureKeyResolver):
    """The department's active registered keys; remembers which one verified and why a key id did not."""

    def __init__(self, sess: Session, department: str, cache: IssuerKeyCache) -> None:
        self.sess, self.department, self.cache = sess, department, cache
        self.found: SigningKey | None = None
        self.problem: str | None = None

    def resolve_public_key(self, key_id: str) -> VerificationKey | None:
        row = self.sess.execute(_KEY_ROW, {"key_id": key_id}).first()
        if row is None:
            self.problem = "unknown_key"
        elif row.department_code != self.department:
            self.problem = "key_not_of_department"
        elif row.state != "active":
            self.problem = "key_revoked"
        else:
            self.found = SigningKey(row.key_id, tuple(row.allowed_types))
            return self._parsed(row.id, row.public_key)
        return None

    def _parsed(self, row_id: int, der: bytes) -> PublicKey:
        cache_key = (row_id, hashlib.sha256(der).digest())
        key = self.cache.get(cache_key)
        if key is None:
            key = public_key_from_spki(der)
            self.cache.put(cache_key, key)
        return key

    def resolve_private_key(self, key_id: str) -> Any:
        raise HTTPMessageSignaturesException("the platform never signs with a department's key")


class _Verifier(HTTPMessageVerifier):
    """The library's verifier with ``created`` / ``expires`` checked against the platform's clock."""

    def __init__(self, keys: _Keys, *, now: float, skew: int) -> None:
        super().__init__(signature_algorithm=ALGORITHM, key_resolver=keys)
        self.now, self.skew = now, skew
        self.problem: str | None = None

    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        params = sig_input.params
        created, expires = params.get("created"), params.get("expires")
        if type(created) is not int or abs(self.now - created) > self.skew:
            self.problem = "created_out_of_window"
            raise InvalidSignature("created is missing or too far from the server's clock")
        if expires is not None and (type(expires) is not int or expires < self.now):
            self.problem = "signature_expired"
            raise InvalidSignature("the signature has expired")


def _header(headers: Any, name: str) -> str | None:
    values = [value for key, value in headers.items() if key.lower() == name]
    return ", ".join(values) if values else None


def verify_request(sess: Session, department: str, message: SignedRequest, body: bytes, *, now: float,
                   skew: int, cache: IssuerKeyCache) -> SigningKey:
    """The registered key that signed this push, or a 401 ``signature_invalid`` naming the reason."""
    headers = message.headers
    if _header(headers, "signature") is None or _header(headers, "signature-input") is None:
        raise signature_refused("missing_signature")
    digest = _header(headers, "content-digest")
    if digest is None:
        raise signature_refused("missing_digest")
    try:
        ContentDigest.verify(digest, body)
    except (InvalidSignature, HTTPMessageSignaturesException):
        raise signature_refused("bad_digest") from None
    keys = _Keys(sess, department, cache)
    verifier = _Verifier(keys, now=now, skew=skew)
    try:
        results = verifier.verify(message, max_age=None, require_components=COVERED, body=body)
    except (InvalidSignature, HTTPMessageSignaturesException):
        raise signature_refused(keys.problem or verifier.problem or "bad_signature") from None
    if len(results) != 1 or results[0].label != LABEL or results[0].parameters.get("alg") != ALG_ID:
        raise signature_refused("wrong_label_or_alg")
    assert keys.found is not None
    return keys.found
