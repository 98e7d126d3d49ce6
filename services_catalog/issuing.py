"""The signing push client a department uses to issue licenses to the platform (standard issuing contract, #21).

``POST {base}/api/v1/issuers/{department}/licenses`` with one record (``application/json``) or many, one per
line (``application/jsonl``). Every request carries a ``Content-Digest`` (RFC 9530, sha-256) and an HTTP
Message Signature (RFC 9421) labelled ``zwt`` over ``@method``, ``@path``, ``content-type`` and
``content-digest`` with ``created``, ``keyid`` and ``alg="ecdsa-p256-sha256"``, made with the
``http-message-signatures`` library. The answer is the platform's report (per record: line, serial,
version, outcome), returned as parsed JSON; a refused request (bad signature, unknown key, malformed body)
raises :class:`IssuingRefused`, a platform outage :class:`IssuingUnavailable`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable, Mapping, Protocol

import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from http_message_signatures import HTTPMessageSigner, MappingKeyResolver, algorithms

__all__ = [
    "SIGNATURE_LABEL",
    "COVERED_COMPONENTS",
    "SIGNATURE_ALGORITHM",
    "JSON",
    "JSON_LINES",
    "Clock",
    "IssuingError",
    "IssuingRefused",
    "IssuingUnavailable",
    "IssuingClient",
    "push_path",
    "encode_record",
]

SIGNATURE_LABEL = "zwt"
COVERED_COMPONENTS = ("@method", "@path", "content-type", "content-digest")
SIGNATURE_ALGORITHM = algorithms.ECDSA_P256_SHA256
JSON = "application/json"
JSON_LINES = "application/jsonl"


class Clock(Protocol):
    """Where the signature's ``created`` time comes from (Unix seconds)."""

    def now(self) -> float:
        """Return the current time."""
        ...


class IssuingError(Exception):
    """The platform did not take the push."""


class IssuingRefused(IssuingError):
    """The platform refused the request as a whole (4xx): ``problem`` is its problem+json answer."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        super().__init__(f"HTTP {status}: {problem.get('title') or problem.get('detail') or ''}")
        self.status = status
        self.problem = problem


class IssuingUnavailable(IssuingError):
    """The platform could not be reached, failed (5xx) or answered something that is not a report."""


def push_path(department: str) -> str:
    """The push route of ``department``."""
    return f"/api/v1/issuers/{department}/licenses"


def encode_record(record: Mapping[str, Any]) -> str:
    """One record as compact JSON text (UTF-8 characters kept), as it travels in a body or on a line."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class IssuingClient:
    """Pushes records for one department, signing each request with the department's registered key."""

    def __init__(self, http: str | httpx.Client, department: str, key_id: str,
                 private_key: ec.EllipticCurvePrivateKey, clock: Clock, *, timeout: float = 30.0) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("the signing key must be a P-256 key")
        self._owned = isinstance(http, str)
        self._client = httpx.Client(base_url=http) if isinstance(http, str) else http
        self.department = department
        self.key_id = key_id
        self._clock = clock
        self._timeout = timeout
        self._signer = HTTPMessageSigner(
            signature_algorithm=SIGNATURE_ALGORITHM,
            key_resolver=MappingKeyResolver(public_keys={}, private_keys={key_id: private_key}))

    def __enter__(self) -> IssuingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this object made it."""
        if self._owned:
            self._client.close()

    def signed_request(self, body: bytes, content_type: str, *, path: str | None = None) -> httpx.Request:
        """Build the signed push request for ``body`` (exposed so tests can verify what would be sent); ``path``
        another route of the department's (an application step), signed the same way."""
        request = self._client.build_request("POST", path or push_path(self.department), content=body,
                                             headers={"Content-Type": content_type}, timeout=self._timeout)
        created = dt.datetime.fromtimestamp(int(self._clock.now()), dt.timezone.utc)
        self._signer.sign(request, key_id=self.key_id, created=created, label=SIGNATURE_LABEL,
                          covered_component_ids=COVERED_COMPONENTS, body=body)
        return request

    def push(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Push one record; return the platform's report."""
        return self._send(self.signed_request(encode_record(record).encode("utf-8"), JSON))

    def push_batch(self, records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
        """Push many records as JSON lines (line numbers in the report count from 1); return the report."""
        body = "\n".join(encode_record(record) for record in records)
        if not body:
            raise ValueError("a batch needs at least one record")
        return self._send(self.signed_request(body.encode("utf-8"), JSON_LINES))

    def application_step(self, application_id: str, step: Mapping[str, Any]) -> dict[str, Any]:
        """Report a step the department took on an online application (``{"move": "accept", ...}``, see
        openapi.yaml); return the application's new state."""
        body = json.dumps(dict(step), ensure_ascii=False).encode("utf-8")
        path = f"/api/v1/issuers/{self.department}/applications/{application_id}/moves"
        return self._send(self.signed_request(body, JSON, path=path))

    def _send(self, request: httpx.Request) -> dict[str, Any]:
        try:
            response = self._client.send(request)
        except httpx.TransportError as exc:
            raise IssuingUnavailable(f"{type(exc).__name__}: {exc}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code >= 500:
            raise IssuingUnavailable(f"HTTP {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise IssuingRefused(response.status_code, answer if isinstance(answer, dict) else
                                 {"title": response.text[:200]})
        if not isinstance(answer, dict):
            raise IssuingUnavailable(f"HTTP {response.status_code}: the answer is not a JSON report")
        return answer
