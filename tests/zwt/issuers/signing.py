"""A department's key pair for tests, signing with the production push client
(``services_catalog.issuing.IssuingClient``: RFC 9421 through ``http-message-signatures``), so the tests
and the departments share one signing implementation."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from services_catalog.issuing import IssuingClient
from wallet.keys import spki_der


@dataclass(frozen=True)
class At:
    """A clock standing still at ``seconds`` (the signature's ``created``)."""

    seconds: float

    def now(self) -> float:
        """The frozen time."""
        return self.seconds


@dataclass
class DepartmentKey:
    """A department's key pair and the key id it was registered under."""

    key_id: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    @property
    def public_key_b64(self) -> str:
        """The public key as the admin API takes it: base64 SPKI DER."""
        return base64.b64encode(spki_der(self.private_key.public_key())).decode()

    def client(self, department: str, created: float) -> IssuingClient:
        """The production push client of ``department`` signing with this key at ``created``."""
        return IssuingClient("http://localhost", department, self.key_id, self.private_key, At(created))

    def sign(self, department: str, body: bytes, content_type: str, *, created: int) -> dict[str, str]:
        """The Content-Type, Content-Digest, Signature-Input and Signature headers of a signed push."""
        with self.client(department, created) as client:
            return dict(client.signed_request(body, content_type).headers)


def jsonl(records: list[Any]) -> bytes:
    """Records as JSON lines."""
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)
