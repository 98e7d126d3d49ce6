"""What the mobile app does: keep a P-256 device key and present a credential bound to it at time ``t``.

A presentation is the CBOR array ``[1, issuer COSE_Sign1 bytes, t, device signature]`` where the
ES256 device signature (raw r||s) covers ``CBOR(["QD1-present", SHA-256(issuer COSE_Sign1 bytes), t])``.
It travels with the same text codec as a bare credential. The app refreshes it every 30 s; the
verifier accepts ``t`` within ±90 s and each presentation once, so a screenshot dies quickly.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric import ec

from . import cborio, cose
from .codec import DEFAULT_PREFIX, decode_text, encode_text
from .keys import generate_p256

__all__ = [
    "PRESENTATION_VERSION",
    "PRESENTATION_CONTEXT",
    "generate_device_key",
    "presentation_signed_data",
    "present",
]

PRESENTATION_VERSION = 1
PRESENTATION_CONTEXT = "QD1-present"


def generate_device_key() -> ec.EllipticCurvePrivateKey:
    """Generate the device key (P-256, what phones' secure hardware offers)."""
    return generate_p256()


def presentation_signed_data(issuer_cose: bytes, t: int) -> bytes:
    """Return the bytes the device signs: CBOR ["QD1-present", SHA-256(issuer COSE), t]."""
    return cborio.dumps([PRESENTATION_CONTEXT, hashlib.sha256(issuer_cose).digest(), t])


def present(
    credential: str,
    device_key: ec.EllipticCurvePrivateKey,
    *,
    now: int,
    prefix: str = DEFAULT_PREFIX,
) -> str:
    """Wrap the credential text in a presentation signed by ``device_key`` at ``now`` and encode it."""
    issuer_cose = decode_text(credential, prefix=prefix)
    signature = cose.sign_raw(device_key, cose.ALG_ES256, presentation_signed_data(issuer_cose, now))
    return encode_text(cborio.dumps([PRESENTATION_VERSION, issuer_cose, now, signature]), prefix=prefix)
