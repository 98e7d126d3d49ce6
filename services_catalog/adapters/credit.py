"""Adapter for the city's public credit platform (公共信用信息平台), API v3.

camelCase JSON in a ``{"success", "errorCode", "errorMessage", "body"}`` envelope; the subject is
``{"type": "NATURAL_PERSON", "certNo", "name"}``; dates are written ``2025年03月12日``; categories, statuses
and list names travel as the platform's pinyin-initial codes (``XZCF`` 行政处罚, ``SXBZXR`` 失信被执行人).
Errors carry the real HTTP status and ``success: false``; a 200 with ``success: false`` is the platform's
own failure.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import httpx

from ..credit import BrokenCommitment, CreditCategory, CreditEntry, CreditRecord, Listing, RepairRoute, Standing
from ..errors import DepartmentUnavailable
from ..records import Citizen
from .transport import HttpDepartment
from .wire import Reader

__all__ = ["CreditPlatformAdapter", "WIRE_CATEGORIES", "WIRE_STATUSES", "WIRE_LISTS", "WIRE_DATE"]

WIRE_DATE = "%Y年%m月%d日"
#: wire code -> domain value; the sandbox writes with the same tables, inverted
WIRE_CATEGORIES: Mapping[str, str] = {"XZCF": "penalty", "ZGRZ": "qualification", "XZJL": "award",
                                      "CNWLX": "broken_commitment"}
WIRE_STATUSES: Mapping[str, str] = {"ZXZ": "in_force", "LXWB": "fulfilled", "YXF": "repaired", "YX": "valid",
                                    "GQ": "expired", "DX": "revoked", "CH": "withdrawn", "YJL": "recorded"}
WIRE_LISTS: Mapping[str, str] = {"SXBZXR": "court_dishonest_debtors", "ZDSSWF": "tax_major_violations",
                                 "AQSCSX": "safety_production", "SBQZ": "social_insurance_fraud"}
_LIST_CODES = {domain: wire for wire, domain in WIRE_LISTS.items()}


class CreditPlatformAdapter(HttpDepartment):
    """A subject's credit record, their restriction-list standing, and broken commitments reported."""

    def __init__(self, client: httpx.Client, *, source: str = "credit") -> None:
        super().__init__(source, client)

    def _call(self, path: str, body: Mapping[str, Any], *, timeout: float) -> Mapping[str, Any]:
        """POST ``body`` and return the envelope's ``body`` object, failures mapped."""
        response = self._send("POST", path, timeout=timeout, body=body)
        self._raise_for_status(response)
        read = Reader(self.department_code)
        envelope = read.obj(self._json(response), "envelope")
        if not read.boolean(envelope, "success", "envelope"):
            raise DepartmentUnavailable(self.department_code, f"{envelope.get('errorCode', '')!s:.40}")
        return read.obj(read.field(envelope, "body", "envelope"), "body")

    @staticmethod
    def _subject(subject: Citizen) -> dict[str, str]:
        return {"type": "NATURAL_PERSON", "certNo": subject.id_number, "name": subject.name}

    def credit_record(self, subject: Citizen, *, timeout: float) -> CreditRecord:
        """``POST /api/credit/v3/subject/profile {"subject"}`` -> ``{"items": [...]}``."""
        body = self._call("/api/credit/v3/subject/profile", {"subject": self._subject(subject)}, timeout=timeout)
        read = Reader(self.department_code)
        items = read.array(body, "items", "body")
        return CreditRecord(tuple(self._entry(read, raw, f"body.items[{i}]") for i, raw in enumerate(items)))

    def _entry(self, read: Reader, raw: Any, where: str) -> CreditEntry:
        data = read.obj(raw, where)
        return CreditEntry(
            category=CreditCategory(read.choice(data, "category", where, WIRE_CATEGORIES)),
            title=read.string(data, "title", where), source=read.string(data, "deptName", where),
            date=read.date(data, "decidedOn", where, WIRE_DATE),
            status=read.choice(data, "state", where, WIRE_STATUSES),
            reference=read.string(data, "docNo", where))

    def standing(self, subject: Citizen, lists: Sequence[str], *, timeout: float) -> Standing:
        """``POST /api/credit/v3/subject/restrictions {"subject", "listCodes"}`` -> ``{"hits": [...]}``; a list
        the platform has no code for cannot hold anyone, so it is not asked about."""
        codes = [_LIST_CODES[code] for code in lists if code in _LIST_CODES]
        if lists and not codes:
            return Standing()
        body = self._call("/api/credit/v3/subject/restrictions",
                          {"subject": self._subject(subject), "listCodes": codes}, timeout=timeout)
        read = Reader(self.department_code)
        hits = read.array(body, "hits", "body")
        return Standing(tuple(self._listing(read, raw, f"body.hits[{i}]") for i, raw in enumerate(hits)))

    def _listing(self, read: Reader, raw: Any, where: str) -> Listing:
        data = read.obj(raw, where)
        repair = read.obj(read.field(data, "repair", where), f"{where}.repair")
        return Listing(
            list_code=read.choice(data, "listCode", where, WIRE_LISTS), list_name=read.string(data, "listName", where),
            reason=read.string(data, "cause", where), since=read.date(data, "listedOn", where, WIRE_DATE),
            authority=read.string(data, "deptName", where),
            repair=RepairRoute(steps=read.string(repair, "procedure", f"{where}.repair"),
                               authority=read.string(repair, "deptName", f"{where}.repair"),
                               apply_at=read.string(repair, "channel", f"{where}.repair")))

    def record_broken_commitment(self, subject: Citizen, commitment: BrokenCommitment, *, timeout: float) -> str:
        """``POST /api/credit/v3/commitments/breach`` -> ``{"recordNo"}`` (the same number for a repeated report)."""
        body = self._call("/api/credit/v3/commitments/breach", {
            "subject": self._subject(subject), "commitmentNo": commitment.commitment_id,
            "itemCode": commitment.impl_code, "itemName": commitment.item_name,
            "materials": list(commitment.materials), "dueOn": commitment.due.strftime(WIRE_DATE),
            "deptName": commitment.authority}, timeout=timeout)
        return Reader(self.department_code).string(body, "recordNo", "body")
