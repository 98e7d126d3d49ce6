"""Production adapters for the proofing gateway, speaking the JSON contract in ``docs/PROOFING_GATEWAY.md``.

One gateway (run by an operator in front of the SMS provider, the carriers and a face-verification
vendor) serves ``POST /sms/messages``, ``POST /carrier/checks`` and ``POST /liveness/checks``. Failures map
like the department adapters': transport timeout -> DepartmentTimeout, connection failure or 5xx ->
DepartmentUnavailable, 4xx -> DepartmentRejected, a body off the contract -> MalformedAnswer.
"""

from __future__ import annotations

from typing import Any, Mapping

import httpx

from ..adapters.transport import HttpDepartment
from ..adapters.wire import Reader
from .ports import CarrierOutcome, LivenessOutcome, SmsReceipt

__all__ = ["SmsAdapter", "CarrierAdapter", "LivenessAdapter"]

_CARRIER = {o.value: o.value for o in CarrierOutcome}
_LIVENESS = {o.value: o.value for o in LivenessOutcome}


class _GatewayAdapter(HttpDepartment):
    """One capability of the gateway; ``source`` names it in errors (``sms``, ``carrier``, ``liveness``)."""

    def __init__(self, client: httpx.Client, *, source: str) -> None:
        super().__init__(source, client)

    def _post(self, path: str, body: Mapping[str, str], *, timeout: float) -> tuple[Reader, Mapping[str, Any]]:
        """POST ``body`` and return a reader and the answer's JSON object, failures mapped."""
        response = self._send("POST", path, timeout=timeout, body=body)
        self._raise_for_status(response)
        read = Reader(self.department_code)
        return read, read.obj(self._json(response), "body")


class SmsAdapter(_GatewayAdapter):
    """Sends text messages through the gateway."""

    def __init__(self, client: httpx.Client, *, source: str = "sms") -> None:
        super().__init__(client, source=source)

    def send(self, phone: str, text: str, *, timeout: float) -> SmsReceipt:
        """``POST /sms/messages {"phone", "text"}`` -> ``{"id"}``."""
        read, data = self._post("/sms/messages", {"phone": phone, "text": text}, timeout=timeout)
        return SmsReceipt(read.string(data, "id", "body"))


class CarrierAdapter(_GatewayAdapter):
    """Asks the carriers through the gateway whom a phone is registered to (运营商三要素)."""

    def __init__(self, client: httpx.Client, *, source: str = "carrier") -> None:
        super().__init__(client, source=source)

    def check(self, name: str, id_number: str, phone: str, *, timeout: float) -> CarrierOutcome:
        """``POST /carrier/checks {"name", "id_number", "phone"}`` -> ``{"outcome"}``."""
        read, data = self._post("/carrier/checks", {"name": name, "id_number": id_number, "phone": phone},
                                timeout=timeout)
        return CarrierOutcome(read.choice(data, "outcome", "body", _CARRIER))


class LivenessAdapter(_GatewayAdapter):
    """Has the gateway's face-verification vendor judge a liveness capture."""

    def __init__(self, client: httpx.Client, *, source: str = "liveness") -> None:
        super().__init__(client, source=source)

    def check(self, name: str, id_number: str, evidence: str, *, timeout: float) -> LivenessOutcome:
        """``POST /liveness/checks {"name", "id_number", "evidence"}`` -> ``{"outcome"}``."""
        read, data = self._post("/liveness/checks", {"name": name, "id_number": id_number, "evidence": evidence},
                                timeout=timeout)
        return LivenessOutcome(read.choice(data, "outcome", "body", _LIVENESS))
