"""The identity-proofing ports: SMS delivery, the carrier's three-factor check and a liveness check.

Each is one small ``Protocol``; failures raise the department error family (``services_catalog.errors``),
so breakers, retries and deadlines treat a proofing gateway like any department.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..errors import DepartmentError, DepartmentRejected, DepartmentTimeout, DepartmentUnavailable, MalformedAnswer

__all__ = [
    "SmsReceipt",
    "CarrierOutcome",
    "LivenessOutcome",
    "SmsGateway",
    "CarrierCheck",
    "LivenessCheck",
    # re-exported so callers need one import for the ports and their failures
    "DepartmentError",
    "DepartmentTimeout",
    "DepartmentUnavailable",
    "MalformedAnswer",
    "DepartmentRejected",
]


@dataclass(frozen=True)
class SmsReceipt:
    """The gateway took a message for delivery; ``message_id`` is its id for the message."""

    message_id: str


class CarrierOutcome(str, enum.Enum):
    """The carrier's three-factor answer (运营商三要素): is the phone registered to this name and ID number."""

    MATCH = "match"
    MISMATCH = "mismatch"  # the carrier knows the phone, registered to someone else
    NOT_FOUND = "not_found"  # the carrier does not know the phone


class LivenessOutcome(str, enum.Enum):
    """A face / liveness check's answer: a live face matching the person's ID photo, or not."""

    PASS = "pass"
    FAIL = "fail"


@runtime_checkable
class SmsGateway(Protocol):
    """Sends text messages to mainland mobile numbers."""

    def send(self, phone: str, text: str, *, timeout: float) -> SmsReceipt:
        """Hand ``text`` to the gateway for delivery to ``phone``."""
        ...


@runtime_checkable
class CarrierCheck(Protocol):
    """The carriers' real-name registry of phone numbers."""

    def check(self, name: str, id_number: str, phone: str, *, timeout: float) -> CarrierOutcome:
        """Tell whether the carrier registered ``phone`` to ``name`` and ``id_number``."""
        ...


@runtime_checkable
class LivenessCheck(Protocol):
    """A face-verification service comparing a live capture with the person's ID photo."""

    def check(self, name: str, id_number: str, evidence: str, *, timeout: float) -> LivenessOutcome:
        """Judge ``evidence``, the opaque token the face SDK on the phone produced, for this person."""
        ...
