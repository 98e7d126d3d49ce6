"""The proofing ports wired up: over HTTP to a gateway in production, to the in-process sandbox otherwise."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

import httpx

from ..clock import WaitingClock
from ..sandbox.common import SandboxTransport
from ..sandbox.registry import PeopleRegistry
from ..sandbox.script import Script
from .adapters import CarrierAdapter, LivenessAdapter, SmsAdapter
from .ports import CarrierCheck, LivenessCheck, SmsGateway
from .sandbox import LivenessSessions, ProofingSandbox, SmsOutbox

__all__ = ["Proofing", "sandbox_proofing", "proofing_app"]


@dataclass(frozen=True)
class Proofing:
    """The three proofing ports, the HTTP client they share and, in the sandbox, the sandbox itself."""

    sms: SmsGateway
    carrier: CarrierCheck
    liveness: LivenessCheck
    client: httpx.Client
    #: the in-process sandbox (its ``outbox`` and ``script``), None in production
    sandbox: ProofingSandbox | None = None

    @classmethod
    def over(cls, client: httpx.Client, *, sandbox: ProofingSandbox | None = None) -> Proofing:
        """Return the production adapters talking through ``client`` (its base URL set)."""
        return cls(SmsAdapter(client), CarrierAdapter(client), LivenessAdapter(client), client, sandbox)

    @classmethod
    def from_config(cls, base_url: str, *, token: str | None = None,
                    client_factory: Callable[[str], httpx.Client] | None = None) -> Proofing:
        """Return adapters for the gateway at ``base_url``, sending ``Authorization: Bearer <token>`` if set."""
        if client_factory is not None:
            client = client_factory(base_url)
        else:
            client = httpx.Client(base_url=base_url,
                                  limits=httpx.Limits(max_connections=20, max_keepalive_connections=10))
        if token:
            client.headers["Authorization"] = f"Bearer {token}"
        return cls.over(client)

    def close(self) -> None:
        """Close the HTTP client and its connection pool."""
        self.client.close()


def sandbox_proofing(*, script: Script | None = None, registry: PeopleRegistry | None = None,
                     outbox_path: str | os.PathLike[str] | None = None,
                     liveness_path: str | os.PathLike[str] | None = None, clock: WaitingClock | None = None,
                     new_id: Callable[[], str] | None = None) -> Proofing:
    """Wire the production adapters to an in-process proofing sandbox over the people ``registry``.

    The outbox is kept in memory, or appended to ``outbox_path`` so a CLI in another process can read it;
    liveness evidence tokens likewise, or in ``liveness_path`` so a token a CLI hands out can be redeemed here.
    ``script`` (else a fresh one on ``clock``) steers latency and faults; ``new_id`` makes message ids and
    evidence tokens (random by default).
    """
    app = ProofingSandbox(script or Script(clock), registry=registry, outbox=SmsOutbox(outbox_path),
                          sessions=LivenessSessions(liveness_path), new_id=new_id)
    client = httpx.Client(transport=SandboxTransport(app), base_url="http://proofing.sandbox")
    return Proofing.over(client, sandbox=app)


def proofing_app(registry_path: str | None = None, outbox_path: str | None = None,
                 token: str | None = None, liveness_path: str | None = None) -> ProofingSandbox:
    """The proofing sandbox for gunicorn (``'services_catalog.proofing:proofing_app("people.json")'``)."""
    return ProofingSandbox(registry=PeopleRegistry(registry_path), outbox=SmsOutbox(outbox_path),
                           sessions=LivenessSessions(liveness_path), token=token)
