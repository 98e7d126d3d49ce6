"""Sandbox departments that issue through the standard interface: their records, later changes, signing keys.

A :class:`SandboxIssuer` knows its demo records (``issued.DEPARTMENT_RECORDS``) as contract dicts, keeps a
change log (every record it has emitted, in order: the first load, then changes, suspensions, revocations
with the next version of their serial) and owns a P-256 key pair whose public half a platform admin
registers. Push departments hand their log to :class:`~services_catalog.issuing.IssuingClient` (see
:meth:`SandboxIssuer.issuing_client`); the feed departments (``FEED_DEPARTMENTS``) serve it as
``GET /licenses/changes`` through :class:`LicenseFeedSandbox`, a WSGI app like the other sandboxes.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from typing import Any, Mapping, Sequence

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ..issuing import Clock, IssuingClient
from .common import Answer, DepartmentSandbox, Request
from .issued import DEPARTMENT_RECORDS, DEPARTMENT_TYPES
from .script import Script

__all__ = [
    "FEED_DEPARTMENTS",
    "PUSH_DEPARTMENTS",
    "FINAL_OPS",
    "SandboxIssuer",
    "LicenseFeedSandbox",
    "FeedRequestRefused",
    "MAX_FEED_LIMIT",
    "sandbox_issuers",
    "key_from_seed",
    "DEMO_SEED",
]

#: departments serving a change feed the platform pulls; every other one pushes
FEED_DEPARTMENTS = ("natural_resources", "education")
PUSH_DEPARTMENTS = tuple(d for d in DEPARTMENT_RECORDS if d not in FEED_DEPARTMENTS)
#: ops after which a serial takes no more changes
FINAL_OPS = ("revoke", "expire")
#: the seed of the demo deployment's sandbox keys: a restart derives the same keys the demo registered
DEMO_SEED = b"zwt-demo-issuers-2026"
#: the most records one feed page carries
MAX_FEED_LIMIT = 500
#: the record columns a change may replace besides its fields
_CHANGEABLE = ("holder", "issuer_code", "issuer_name", "issued_on", "valid_from", "valid_until")
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class FeedRequestRefused(ValueError):
    """A feed request the department refuses: ``parameter`` is the one at fault (``since`` or ``limit``)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def key_from_seed(seed: bytes) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key derived from ``seed`` (the same seed, the same key: stable demo and test keys)."""
    scalar = int.from_bytes(hashlib.sha256(b"zwt-sandbox-issuer|" + seed).digest(), "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


class SandboxIssuer:
    """One department's issuing system: its records, the change log it pushes or serves, its key pair."""

    def __init__(self, department: str, *, seed: bytes | None = None, key_id: str | None = None,
                 records: Sequence[Mapping[str, Any]] | None = None) -> None:
        self.department = department
        self.license_types = DEPARTMENT_TYPES.get(department, ())
        self.key_id = key_id or f"{department}-sandbox-1"
        self.private_key = key_from_seed(seed) if seed is not None else ec.generate_private_key(ec.SECP256R1())
        initial = DEPARTMENT_RECORDS[department] if records is None else records
        self._lock = threading.RLock()
        self._log: list[dict[str, Any]] = []
        #: serial -> the latest full record (issue / change) and the latest version and op
        self._full: dict[str, dict[str, Any]] = {}
        self._latest: dict[str, tuple[int, str]] = {}
        for record in initial:
            self._append(copy.deepcopy(dict(record)))

    def public_key_pem(self) -> str:
        """The public half as PEM (SubjectPublicKeyInfo), what the platform registers for ``key_id``."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")

    def records(self) -> tuple[dict[str, Any], ...]:
        """The first load: every record as issued (op ``issue``, version 1)."""
        with self._lock:
            return tuple(copy.deepcopy(r) for r in self._log if r["op"] == "issue" and r["version"] == 1)

    def log(self) -> tuple[dict[str, Any], ...]:
        """Every record emitted so far, in order."""
        with self._lock:
            return tuple(copy.deepcopy(self._log))

    def changes(self, since: str | None, limit: int) -> tuple[tuple[dict[str, Any], ...], str, bool]:
        """At most ``limit`` records of the log after cursor ``since`` (None: from the start), the next cursor
        and whether more follow; the cursor is the opaque text of a log position."""
        if since is not None and not (since.isdigit() and since.isascii()):
            raise FeedRequestRefused("since", "since is not a cursor this feed gave out")
        if not 1 <= limit <= MAX_FEED_LIMIT:
            raise FeedRequestRefused("limit", f"limit must be 1-{MAX_FEED_LIMIT}")
        position = int(since or 0)
        with self._lock:
            page = self._log[position:position + limit]
            end = position + len(page)
            return tuple(copy.deepcopy(page)), str(end), end < len(self._log)

    def current(self, serial: str) -> dict[str, Any]:
        """The latest full record of ``serial`` (KeyError if this department never issued it)."""
        with self._lock:
            return copy.deepcopy(self._full[serial])

    def change(self, serial: str, /, *, fields: Mapping[str, str] | None = None,
               **columns: Any) -> dict[str, Any]:
        """Emit a ``change`` of ``serial``: the full record with ``fields`` merged and ``columns`` replaced
        (e.g. ``valid_until``, ``holder``), at the next version."""
        unknown = set(columns) - set(_CHANGEABLE)
        if unknown:
            raise ValueError(f"a change replaces only {', '.join(_CHANGEABLE)}, not {', '.join(sorted(unknown))}")
        with self._lock:
            record = copy.deepcopy(self._full[serial])
        record.update(copy.deepcopy(columns))
        record["fields"] = {**record["fields"], **(fields or {})}
        record["op"] = "change"
        return self._next(serial, record)

    def suspend(self, serial: str, reason: str | None = None) -> dict[str, Any]:
        """Emit a ``suspend`` of ``serial`` at the next version."""
        return self._status("suspend", serial, reason)

    def reinstate(self, serial: str, reason: str | None = None) -> dict[str, Any]:
        """Emit a ``reinstate`` of ``serial`` at the next version."""
        return self._status("reinstate", serial, reason)

    def revoke(self, serial: str, reason: str | None = None) -> dict[str, Any]:
        """Emit a ``revoke`` of ``serial`` at the next version (final)."""
        return self._status("revoke", serial, reason)

    def expire(self, serial: str, reason: str | None = None) -> dict[str, Any]:
        """Emit an ``expire`` of ``serial`` at the next version (final)."""
        return self._status("expire", serial, reason)

    def issuing_client(self, http: str | httpx.Client, clock: Clock) -> IssuingClient:
        """A push client signing with this department's key."""
        return IssuingClient(http, self.department, self.key_id, self.private_key, clock)

    def _status(self, op: str, serial: str, reason: str | None) -> dict[str, Any]:
        with self._lock:
            full = self._full[serial]
        record: dict[str, Any] = {"op": op, "license_type": full["license_type"], "serial": serial}
        if reason is not None:
            record["reason"] = reason
        return self._next(serial, record)

    def _next(self, serial: str, record: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            version, op = self._latest[serial]
            if op in FINAL_OPS:
                raise ValueError(f"{serial} was {op}d: a final op takes no more changes")
            record["version"] = version + 1
            return self._append(record)

    def _append(self, record: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            serial = record["serial"]
            self._log.append(record)
            self._latest[serial] = (record["version"], record["op"])
            if "fields" in record:
                self._full[serial] = record
            return copy.deepcopy(record)


class LicenseFeedSandbox(DepartmentSandbox):
    """A department serving its change log as the contract's feed: ``GET /licenses/changes?since=&limit=``.

    The cursor is the opaque text of a log position; errors are problem+json with the parameter at fault.
    """

    kind = "license_feed"
    routes = {("GET", "/licenses/changes"): ("licenses", "changes")}
    corruptible = {
        "missing_field": ("has_more", "cursor", "records"),
        "wrong_type": ("records", "has_more", "cursor"),
        "bad_date": ("valid_from",),
        "bad_date_value": ("2026-02-31",),
    }

    def __init__(self, issuer: SandboxIssuer, script: Script | None = None) -> None:
        super().__init__(script, citizens=())
        self.issuer = issuer

    def error(self, status: int, message: str, parameter: str | None = None) -> Answer:
        """Answer problem+json-shaped JSON naming the parameter at fault."""
        body: dict[str, Any] = {"type": "about:blank", "title": message, "status": status}
        if parameter:
            body["errors"] = [{"field": parameter, "detail": message}]
        return Answer(status, body)

    def changes(self, request: Request) -> Answer:
        """Serve one page of the change log after cursor ``since``."""
        limit = request.query.get("limit", "100")
        try:
            if not (limit.isdigit() and limit.isascii()):
                raise FeedRequestRefused("limit", f"limit must be 1-{MAX_FEED_LIMIT}")
            records, cursor, more = self.issuer.changes(request.query.get("since"), int(limit))
        except FeedRequestRefused as exc:
            return self.error(400, str(exc), exc.parameter)
        return Answer(200, {"records": list(records), "cursor": cursor, "has_more": more})


def sandbox_issuers(seed: bytes | None = None) -> dict[str, SandboxIssuer]:
    """Every standard-interface department, keys derived from ``seed`` and the department (fresh if None)."""
    return {dept: SandboxIssuer(dept, seed=None if seed is None else seed + b"|" + dept.encode())
            for dept in DEPARTMENT_RECORDS}
