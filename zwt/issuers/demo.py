"""The demo's standard-interface departments at work (``make run``): their sandbox keys registered, the push
departments pushing their records through the real route, the feed departments pulled.

Everything goes through the same doors a real department uses: the platform admin's key registration
(``keys.register_key``), a signed ``POST /api/v1/issuers/{department}/licenses`` made by
``services_catalog.issuing.IssuingClient`` (in-process through httpx's WSGI transport, so no network or
port is needed) and ``pull.pull_all`` over the configured feeds. Keys derive from a fixed seed, so a restart
signs with the keys registered before, and a second load answers ``unchanged``.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
from flask import Flask
from sqlalchemy import select

from services_catalog.issuing import IssuingError
from services_catalog.sandbox.issuers import DEMO_SEED, FEED_DEPARTMENTS, SandboxIssuer, sandbox_issuers
from wallet.keys import spki_der

from ..clock import Clock
from ..container import Services
from ..db import session
from ..models import IssuerKey
from .keys import register_key
from .pull import feeds_of, pull_all

__all__ = ["PosixClock", "in_process_client", "register_sandbox_key", "load_issued"]


class PosixClock:
    """The service's clock as the issuing client reads it (POSIX seconds)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        """The current time as POSIX seconds."""
        return self._clock.timestamp()


def in_process_client(app: Flask) -> httpx.Client:
    """An HTTP client that calls ``app`` in-process (WSGI), as a department's system would over the network."""
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://zwt.in-process")


def register_sandbox_key(issuer: SandboxIssuer, svc: Services) -> str:
    """Register the sandbox department's public key for every type it issues, once; say what was done."""
    public_key = spki_der(issuer.private_key.public_key())
    row = session().scalar(select(IssuerKey).where(IssuerKey.key_id == issuer.key_id))
    if row is None:
        register_key(issuer.department, {"key_id": issuer.key_id, "allowed_types": list(issuer.license_types),
                                         "public_key": base64.b64encode(public_key).decode()}, svc=svc)
        return "registered"
    if row.public_key != public_key or row.state != "active":
        return f"NOT USABLE: key {issuer.key_id} is registered with another public key or revoked"
    return "already registered"


def load_issued(app: Flask, svc: Services, *, seed: bytes = DEMO_SEED) -> list[str]:
    """Register the sandbox keys, push every push department's records, pull every feed; describe it."""
    issuers = sandbox_issuers(seed)
    lines = ["issuing departments (standard interface, docs/ISSUING.md):"]
    pushing = [issuer for code, issuer in issuers.items() if code not in FEED_DEPARTMENTS]
    keys = {issuer.department: register_sandbox_key(issuer, svc) for issuer in pushing}
    session().commit()  # nothing held open while the pushes write through their own requests
    with in_process_client(app) as http:
        for issuer in pushing:
            client = issuer.issuing_client(http, PosixClock(svc.clock))
            try:
                report: dict[str, Any] = client.push_batch(issuer.log())
                outcome = f"stored={report['stored']} unchanged={report['unchanged']}"
            except IssuingError as exc:
                outcome = f"push refused: {exc}"
            lines.append(f"  push {issuer.department:<28} key {keys[issuer.department]}; {outcome}")
    for pulled in pull_all(feeds_of(svc), svc=svc):
        lines.append(f"  pull {pulled.summary()}")
    return lines
