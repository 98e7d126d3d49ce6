"""A test-only signing client for the issuing interface, with a real P-256 key through the
``http-message-signatures`` library exactly as docs/ISSUING.md tells departments to sign."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from http_message_signatures import HTTPMessageSigner, MappingKeyResolver, algorithms

from wallet.keys import spki_der

COVERED = ("@method", "@path", "content-type", "content-digest")


@dataclass
class _Message:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class DepartmentKey:
    """A department's key pair and the key id it was registered under."""

    key_id: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    @property
    def public_key_b64(self) -> str:
        """The public key as the admin API takes it: base64 SPKI DER."""
        return base64.b64encode(spki_der(self.private_key.public_key())).decode()

    def sign(self, method: str, path: str, body: bytes, content_type: str, *, created: int) -> dict[str, str]:
        """The Content-Type, Content-Digest, Signature-Input and Signature headers of a signed request."""
        message = _Message(method, f"http://localhost{path}", {"Content-Type": content_type})
        signer = HTTPMessageSigner(signature_algorithm=algorithms.ECDSA_P256_SHA256,
                                   key_resolver=MappingKeyResolver(public_keys={},
                                                                   private_keys={self.key_id: self.private_key}))
        signer.sign(message, key_id=self.key_id, created=dt.datetime.fromtimestamp(created, dt.timezone.utc),
                    label="zwt", covered_component_ids=COVERED, body=body)
        return message.headers


def jsonl(records: list[Any]) -> bytes:
    """Records as JSON lines."""
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)
