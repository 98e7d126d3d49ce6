"""The telecom / proofing sandbox: the gateway contract served from the people registry, plus an SMS outbox.

Contract routes (scripted like every department sandbox): ``POST /sms/messages``, ``POST /carrier/checks``,
``POST /liveness/checks``. Developer routes (never scripted): ``GET /sms/outbox?phone=`` lists the messages
sent, ``POST /liveness/sessions {"id_number"}`` hands out the one-time evidence token a face SDK would
produce for that person (kept in :class:`LivenessSessions`, in memory or in a file other processes share).
Carrier answers come from the registry (a phone is registered to the person it lists it under);
:meth:`ProofingSandbox.set_carrier` and :meth:`~ProofingSandbox.set_liveness` override them.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from dataclasses import asdict, dataclass
from typing import Any, Callable, Mapping

from ..sandbox.common import Answer, DepartmentSandbox, Request, StartResponse
from ..sandbox.registry import PeopleRegistry
from ..sandbox.script import Script
from .ports import CarrierOutcome, LivenessOutcome

__all__ = ["SmsMessage", "SmsOutbox", "LivenessSessions", "ProofingSandbox"]

log = logging.getLogger(__name__)
_ERRORS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "too_many_requests"}


@dataclass(frozen=True)
class SmsMessage:
    """A message the sandbox "delivered": its id, the phone, the text and when (POSIX seconds)."""

    id: str
    phone: str
    text: str
    sent_at: float


class SmsOutbox:
    """Every message sent, in memory or, with ``path``, appended to a JSON-lines file other processes read."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else os.fspath(path)
        self._messages: list[SmsMessage] = []
        self._lock = threading.Lock()

    def add(self, message: SmsMessage) -> None:
        """Keep ``message``."""
        with self._lock:
            if self.path is None:
                self._messages.append(message)
                return
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(asdict(message), ensure_ascii=False) + "\n")

    def messages(self, phone: str | None = None) -> list[SmsMessage]:
        """Return the messages sent (to ``phone`` only, when given), oldest first."""
        with self._lock:
            if self.path is None:
                kept = list(self._messages)
            else:
                try:
                    with open(self.path, encoding="utf-8") as handle:
                        kept = [SmsMessage(**json.loads(line)) for line in handle if line.strip()]
                except FileNotFoundError:
                    kept = []
        return [m for m in kept if phone is None or m.phone == phone]

    def last(self, phone: str) -> SmsMessage | None:
        """Return the newest message to ``phone``, if any."""
        sent = self.messages(phone)
        return sent[-1] if sent else None


class LivenessSessions:
    """One-time liveness evidence tokens: issued for an ID number, redeemed at most once.

    In memory, or with ``path`` a JSON-lines file of ``{"issued", "id_number"}`` and ``{"redeemed", "by"}``
    entries that several processes append to (a CLI issues a token, the server redeems it). Each entry is
    one ``write`` to a file opened for appending; a redeemer appends its claim, re-reads the file and wins
    only if its claim is the first one after the token was issued, so two processes cannot both redeem it.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else os.fspath(path)
        self._issued: dict[str, str] = {}
        self._lock = threading.Lock()

    def issue(self, evidence: str, id_number: str) -> None:
        """Remember that ``evidence`` was captured for ``id_number`` (issuing it again starts it afresh)."""
        with self._lock:
            if self.path is None:
                self._issued[evidence] = id_number
            else:
                self._append({"issued": evidence, "id_number": id_number})

    def redeem(self, evidence: str) -> str | None:
        """Spend ``evidence``: the ID number it was issued for, or None if unknown or already redeemed."""
        with self._lock:
            if self.path is None:
                return self._issued.pop(evidence, None)
            issued_for, claimed = self._state(evidence)
            if issued_for is None or claimed is not None:
                return None
            claim = uuid.uuid4().hex
            self._append({"redeemed": evidence, "by": claim})
            issued_for, claimed = self._state(evidence)
            return issued_for if claimed == claim else None

    def _state(self, evidence: str) -> tuple[str | None, str | None]:
        """The ID number of the token's last issue and the first claim on it since, as the file says now."""
        issued_for: str | None = None
        claimed: str | None = None
        for entry in self._entries():
            if entry.get("issued") == evidence:
                issued_for, claimed = str(entry.get("id_number", "")), None
            elif entry.get("redeemed") == evidence and issued_for is not None and claimed is None:
                claimed = str(entry.get("by", ""))
        return issued_for, claimed

    def _entries(self) -> list[dict[str, Any]]:
        assert self.path is not None
        try:
            with open(self.path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line another process has not finished writing, or a damaged one
            if isinstance(entry, dict):
                entries.append(entry)
        return entries

    def _append(self, entry: Mapping[str, str]) -> None:
        assert self.path is not None
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        data = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


class ProofingSandbox(DepartmentSandbox):
    """The proofing gateway as a WSGI app over the people registry; steer it with ``script`` and ``set_*``."""

    kind = "proofing"
    routes = {
        ("POST", "/sms/messages"): ("sms", "send"),
        ("POST", "/carrier/checks"): ("carrier", "carrier"),
        ("POST", "/liveness/checks"): ("liveness", "liveness"),
        ("GET", "/sms/outbox"): ("", "read_outbox"),
        ("POST", "/liveness/sessions"): ("", "liveness_session"),
    }
    corruptible = {
        "missing_field": ("id", "outcome"),
        "wrong_type": ("id", "outcome"),
        "bad_date": (),
        "bad_date_value": ("",),
    }

    def __init__(self, script: Script | None = None, *, registry: PeopleRegistry | None = None,
                 outbox: SmsOutbox | None = None, sessions: LivenessSessions | None = None,
                 token: str | None = None, new_id: Callable[[], str] | None = None) -> None:
        super().__init__(script, registry=registry)
        self.outbox = outbox or SmsOutbox()
        self.sessions = sessions or LivenessSessions()
        self.token = token
        self._new_id = new_id or (lambda: uuid.uuid4().hex)
        self._carrier: dict[str, CarrierOutcome] = {}
        self._liveness: dict[str, LivenessOutcome] = {}
        self._lock = threading.Lock()

    # -- steering ------------------------------------------------------------------------------------
    def set_carrier(self, phone: str, outcome: CarrierOutcome | None) -> None:
        """Make the carrier answer ``outcome`` for ``phone`` whoever asks (None: back to the registry)."""
        with self._lock:
            if outcome is None:
                self._carrier.pop(phone, None)
            else:
                self._carrier[phone] = outcome

    def set_liveness(self, id_number: str, outcome: LivenessOutcome | None) -> None:
        """Make every liveness check of ``id_number`` answer ``outcome`` (None: judged normally)."""
        with self._lock:
            if outcome is None:
                self._liveness.pop(id_number, None)
            else:
                self._liveness[id_number] = outcome

    def start_liveness(self, id_number: str) -> str:
        """Return a one-time evidence token for ``id_number``, as a face SDK on the phone would produce."""
        evidence = self._new_id()
        self.sessions.issue(evidence, id_number)
        return evidence

    # -- the wire ------------------------------------------------------------------------------------
    def __call__(self, environ: Mapping[str, Any], start_response: StartResponse) -> list[bytes]:
        """Refuse a contract call without the configured bearer token, else serve it."""
        route = self.routes.get((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
        if self.token and route is not None and route[0] \
                and environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}":
            return self._respond(self.error(401, "missing or wrong bearer token"), start_response)
        return super().__call__(environ, start_response)

    def error(self, status: int, message: str) -> Answer:
        """Errors carry the real HTTP status and ``{"error": code, "message": text}``."""
        code = _ERRORS.get(status, "unavailable" if status >= 500 else "refused")
        return Answer(status, {"error": code, "message": message})

    def _fields(self, request: Request, *names: str) -> dict[str, str] | None:
        body = request.body if isinstance(request.body, dict) else {}
        values = {n: body.get(n) for n in names}
        if not all(isinstance(v, str) and v for v in values.values()):
            return None
        return {n: str(v) for n, v in values.items()}

    def send(self, request: Request) -> Answer:
        """Keep the message in the outbox (and the log) and answer its id."""
        fields = self._fields(request, "phone", "text")
        if fields is None:
            return self.error(400, "phone and text are required")
        message = SmsMessage(self._new_id(), fields["phone"], fields["text"], self.script.clock.now())
        self.outbox.add(message)
        # The log shows the text (codes included: this is the developer's sandbox) but never the full number.
        log.info("sandbox SMS to %s: %s", message.phone[:3] + "****" + message.phone[-4:], message.text)
        return Answer(200, {"id": message.id})

    def carrier(self, request: Request) -> Answer:
        """Answer whether the phone is registered to that name and ID number."""
        fields = self._fields(request, "name", "id_number", "phone")
        if fields is None:
            return self.error(400, "name, id_number and phone are required")
        with self._lock:
            scripted = self._carrier.get(fields["phone"])
        owner = self.registry.find_phone(fields["phone"])
        if scripted is not None:
            outcome = scripted
        elif owner is None:
            outcome = CarrierOutcome.NOT_FOUND
        elif (owner.citizen.name, owner.citizen.id_number) == (fields["name"], fields["id_number"]):
            outcome = CarrierOutcome.MATCH
        else:
            outcome = CarrierOutcome.MISMATCH
        return Answer(200, {"outcome": outcome.value})

    def liveness(self, request: Request) -> Answer:
        """Pass a one-time token handed out for this person whom the registry knows by this name (or as set)."""
        fields = self._fields(request, "name", "id_number", "evidence")
        if fields is None:
            return self.error(400, "name, id_number and evidence are required")
        issued_for = self.sessions.redeem(fields["evidence"])
        with self._lock:
            scripted = self._liveness.get(fields["id_number"])
        if scripted is not None:
            return Answer(200, {"outcome": scripted.value})
        person = self.registry.find(fields["id_number"])
        genuine = (issued_for == fields["id_number"] and person is not None
                   and person.citizen.name == fields["name"])
        return Answer(200, {"outcome": (LivenessOutcome.PASS if genuine else LivenessOutcome.FAIL).value})

    def read_outbox(self, request: Request) -> Answer:
        """List the messages sent, to ``?phone=`` only when given."""
        sent = self.outbox.messages(request.query.get("phone") or None)
        return Answer(200, {"messages": [asdict(m) for m in sent]})

    def liveness_session(self, request: Request) -> Answer:
        """Hand out a one-time evidence token for ``id_number``."""
        fields = self._fields(request, "id_number")
        if fields is None:
            return self.error(400, "id_number is required")
        return Answer(200, {"evidence": self.start_liveness(fields["id_number"])})
