"""Shared department data (数据共享): the records, their sources and the port departments answer through.

A *source* names a kind of record and the kind of department system that holds it (``SHARED_SOURCES``).
Adapters of that kind implement :class:`SharedDataSource` in their own wire format. Adding a source is one
:class:`SharedSource` line in ``SHARED_SOURCES`` plus ``shared_record`` answering that source in the
department's adapter (and its sandbox); ``zwt`` serves, stores and logs it with no other change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, runtime_checkable

from .records import Citizen

__all__ = ["SharedSource", "SHARED_SOURCES", "SharedRecord", "SharedDataSource", "canonical_bytes"]


@dataclass(frozen=True)
class SharedSource:
    """A kind of shared record (its permanent name), the kind of department system that holds it, its labels,
    and which of its top-level fields are personal (shown masked)."""

    name: str
    department_kind: str
    label_zh: str
    label_en: str
    sensitive: tuple[str, ...] = ()


#: every shared-data source by name
SHARED_SOURCES: Mapping[str, SharedSource] = {s.name: s for s in (
    SharedSource("social_security_payments", "hrss", "社保缴费记录", "Social-security payment record"),
    SharedSource("housing_fund_deposits", "housing_fund", "公积金缴存记录", "Housing-fund deposit record",
                 ("account_number",)),
    SharedSource("household_registration", "police", "户籍信息", "Household registration",
                 ("household_number", "address")),
    SharedSource("marriage_status", "civil_affairs", "婚姻状况", "Marriage status"),
)}


def canonical_bytes(value: Any) -> bytes:
    """The canonical serialisation digests are taken of: JSON, keys sorted, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class SharedRecord:
    """One shared record as the domain reads it: ``data`` holds JSON values only (amounts in fen, ISO dates)."""

    source: str
    department_code: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def canonical(self) -> bytes:
        """The record's canonical serialisation (source and data; not the department code, which is routing)."""
        return canonical_bytes({"source": self.source, "data": self.data})

    @property
    def digest(self) -> str:
        """SHA-256 of :meth:`canonical`, hex: equal digests mean the department holds the same record."""
        return hashlib.sha256(self.canonical()).hexdigest()


@runtime_checkable
class SharedDataSource(Protocol):
    """A department system answering shared-data look-ups for the sources of its kind."""

    department_code: str

    def shared_record(self, source: str, citizen: Citizen, *, timeout: float) -> SharedRecord | None:
        """Return the department's record of ``source`` about ``citizen`` (None: it holds none).

        Raises ``DepartmentRejected`` for a source this department does not serve, and the department
        error family for everything else that goes wrong.
        """
        ...
