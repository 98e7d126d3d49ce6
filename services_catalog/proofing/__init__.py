"""Identity proofing: SMS one-time codes, the carrier's three-factor check and liveness, as ports.

``sandbox_proofing()`` wires the production adapters to the in-process telecom sandbox (people from the
sandbox registry, an SMS outbox); ``Proofing.from_config(base_url, token=...)`` points them at a gateway
that implements ``docs/PROOFING_GATEWAY.md``. As a separate process:
``gunicorn 'services_catalog.proofing:proofing_app()'``.
"""

from __future__ import annotations

from .adapters import CarrierAdapter, LivenessAdapter, SmsAdapter
from .ports import CarrierCheck, CarrierOutcome, LivenessCheck, LivenessOutcome, SmsGateway, SmsReceipt
from .sandbox import LivenessSessions, ProofingSandbox, SmsMessage, SmsOutbox
from .wiring import Proofing, proofing_app, sandbox_proofing

__all__ = [
    "SmsGateway",
    "SmsReceipt",
    "CarrierCheck",
    "CarrierOutcome",
    "LivenessCheck",
    "LivenessOutcome",
    "SmsAdapter",
    "CarrierAdapter",
    "LivenessAdapter",
    "ProofingSandbox",
    "SmsMessage",
    "SmsOutbox",
    "LivenessSessions",
    "Proofing",
    "sandbox_proofing",
    "proofing_app",
]
