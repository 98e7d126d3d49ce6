"""What every sandbox department shares: a raw-WSGI base app, its catalog store, the in-process transport."""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import parse_qs

import httpx

from ..items import ServiceItem
from ..ports import CaseStatus
from .citizens import DemoCitizen
from .registry import PeopleRegistry
from .script import Behaviour, Script

__all__ = [
    "Request",
    "Answer",
    "SandboxRefused",
    "SandboxCatalog",
    "DepartmentSandbox",
    "SandboxTransport",
    "corrupt",
]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}
_WRONG_TYPE: Mapping[type, Any] = {str: 7, int: "7", float: "7", bool: "true", list: "[]", dict: []}


@dataclass(frozen=True)
class Request:
    """The parts of an HTTP request a sandbox looks at."""

    method: str
    path: str
    query: Mapping[str, str]
    body: Any


@dataclass(frozen=True)
class Answer:
    """What a sandbox answers: a status and either a JSON value or plain text."""

    status: int
    body: Any
    text: bool = False


class SandboxRefused(ConnectionRefusedError):
    """Raised by a sandbox scripted to refuse connections; the in-process transport makes it ConnectError."""


@dataclass
class SandboxCatalog:
    """A department's service items with the time each last changed, ordered as its feed pages them."""

    items: dict[str, tuple[dt.datetime, ServiceItem]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def put(self, item: ServiceItem, updated_at: dt.datetime) -> None:
        """Add or replace an item, stamping it with ``updated_at``."""
        with self._lock:
            self.items[item.impl_code] = (updated_at, item)

    def changed_since(self, since: dt.datetime) -> list[tuple[dt.datetime, ServiceItem]]:
        """Return items changed at or after ``since``, oldest first (ties by impl_code)."""
        with self._lock:
            rows = [row for row in self.items.values() if row[0] >= since]
        return sorted(rows, key=lambda row: (row[0], row[1].impl_code))


def corrupt(body: Any, kind: str, keys: Mapping[str, Sequence[str]]) -> Any:
    """Return a malformed copy of ``body``: the first of ``keys[kind]`` found is dropped, retyped or misdated.

    ``not_json`` (or a body without any of those keys) becomes a truncated JSON text.
    """
    if kind != "not_json":
        body = copy.deepcopy(body)
        for name in keys.get(kind, ()):
            holder = _find(body, name)
            if holder is None:
                continue
            if kind == "missing_field":
                del holder[name]
            elif kind == "wrong_type":
                holder[name] = _WRONG_TYPE[type(holder[name])]
            else:
                holder[name] = keys["bad_date_value"][0]
            return body
    return json.dumps(body, ensure_ascii=False)[:-7]


def _find(value: Any, name: str) -> dict[str, Any] | None:
    if isinstance(value, dict):
        if name in value:
            return value
        children: Iterable[Any] = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return None
    for child in children:
        found = _find(child, name)
        if found is not None:
            return found
    return None


class DepartmentSandbox:
    """A department's own system as a raw WSGI app; subclasses declare routes and their wire format."""

    kind = ""
    #: (method, path) -> (port operation, handler method name); operation "" for unscripted developer routes
    routes: Mapping[tuple[str, str], tuple[str, str]] = {}
    #: keys ``corrupt`` may break, by malformed kind, plus ``bad_date_value``
    corruptible: Mapping[str, Sequence[str]] = {}

    def __init__(self, script: Script | None = None, *, catalog: SandboxCatalog | None = None,
                 citizens: Sequence[DemoCitizen] | None = None, registry: PeopleRegistry | None = None) -> None:
        self.script = script or Script()
        self.catalog = catalog or SandboxCatalog()
        #: cases opened for online applications: the platform's application id -> the department's case number
        self.cases: dict[str, str] = {}
        #: where each case stands when the department has moved it (a case without one is in pre-check)
        self.case_states: dict[str, CaseStatus] = {}
        self._cases_lock = threading.Lock()
        #: who this department knows: ``citizens`` exactly, else the registry (demo people plus its file)
        self.registry = PeopleRegistry.fixed(citizens) if citizens is not None else registry or PeopleRegistry()

    @property
    def citizens(self) -> Mapping[str, DemoCitizen]:
        """Everyone this department knows right now, by resident ID number."""
        return self.registry.by_id_number()

    def open_case(self, application_id: str, prefix: str) -> tuple[str, bool]:
        """The case of an application (opened now unless it exists) and whether it already existed."""
        with self._cases_lock:
            case = self.cases.get(application_id)
            if case is not None:
                return case, True
            case = self.cases[application_id] = f"{prefix}{len(self.cases) + 1:08d}"
            return case, False

    def move_case(self, status: CaseStatus) -> None:
        """Move an open case at the department (its staff at work): the next status query reports ``status``."""
        with self._cases_lock:
            if status.application_id not in self.cases:
                raise KeyError(status.application_id)
            self.case_states[status.application_id] = status

    def statuses(self, request: Request, key: str, most: int) -> list[tuple[str, CaseStatus]] | None:
        """(case number, status) of each application id listed under ``key`` in the request's body that has a
        case here, in the order asked; None when the list is missing or longer than ``most``."""
        body = request.body if isinstance(request.body, dict) else {}
        ids = body.get(key)
        if not isinstance(ids, list) or not 1 <= len(ids) <= most:
            return None
        with self._cases_lock:
            return [(self.cases[a], self.case_states.get(a) or CaseStatus(a, "pre_check"))
                    for a in ids if isinstance(a, str) and a in self.cases]

    def error(self, status: int, message: str) -> Answer:
        """Render an error in this department's convention."""
        raise NotImplementedError

    def __call__(self, environ: Mapping[str, Any], start_response: StartResponse) -> list[bytes]:
        """Serve one request per the department's wire format and the script's current behaviour."""
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        route = self.routes.get((method, path))
        if route is None:
            return self._respond(self.error(404, f"no route {method} {path}"), start_response)
        operation, handler = route
        # an empty operation is a developer route (e.g. reading an outbox): not scripted, not recorded
        behaviour = self.script.begin(operation) if operation else Behaviour()
        return self._respond(self._answer(behaviour, handler, environ), start_response)

    def _answer(self, behaviour: Behaviour, handler: str, environ: Mapping[str, Any]) -> Answer:
        if behaviour.fault == "refuse":
            raise SandboxRefused(f"{self.kind} sandbox refuses connections")
        if behaviour.fault in ("5xx", "4xx"):
            return self.error(behaviour.status, "scripted failure")
        try:
            request = _parse(environ)
        except ValueError as exc:
            return self.error(400, f"bad request: {exc}")
        answer: Answer = getattr(self, handler)(request)
        if behaviour.fault == "malformed" and answer.status == 200:
            broken = corrupt(answer.body, behaviour.malformed, self.corruptible)
            return Answer(200, broken, text=isinstance(broken, str))
        return answer

    def _respond(self, answer: Answer, start_response: StartResponse) -> list[bytes]:
        if answer.text:
            payload, ctype = str(answer.body).encode("utf-8"), "text/plain; charset=utf-8"
        else:
            payload = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
            ctype = "application/json; charset=utf-8"
        reason = _REASONS.get(answer.status, "Status")
        headers = [("Content-Type", ctype), ("Content-Length", str(len(payload)))]
        start_response(f"{answer.status} {reason}", headers)
        return [payload]

    def person(self, id_number: Any, name: Any) -> tuple[str, DemoCitizen | None]:
        """Return the identity outcome (match / mismatch / not_found) and the citizen when it matches."""
        found = self.registry.find(id_number) if isinstance(id_number, str) else None
        if found is None:
            return "not_found", None
        if found.citizen.name != name:
            return "mismatch", None
        return "match", found


def _parse(environ: Mapping[str, Any]) -> Request:
    query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    body = json.loads(raw) if raw else None
    return Request(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), query, body)


class SandboxTransport(httpx.BaseTransport):
    """httpx transport calling a sandbox in-process; a scripted refusal becomes ``httpx.ConnectError``."""

    def __init__(self, app: DepartmentSandbox) -> None:
        self.app = app
        self._wsgi = httpx.WSGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Hand the request to the WSGI app."""
        try:
            return self._wsgi.handle_request(request)
        except SandboxRefused as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
