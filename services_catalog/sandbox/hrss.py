"""The social security bureau's sandbox: snake_case ``{"ret", "msg", "data"}`` envelope, cursor paging."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from ..items import item_to_dict
from .common import Answer, DepartmentSandbox, Request
from .shared_demo import demo_shared_record

__all__ = ["HrssSandbox"]

_STATUS = {"active": "1", "suspended": "2", "terminated": "3"}


def _token(at: dt.datetime, impl_code: str) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}/{impl_code}".encode()).decode()


def _untoken(token: str) -> tuple[dt.datetime, str]:
    at, impl_code = base64.urlsafe_b64decode(token.encode()).decode().split("/", 1)
    return dt.datetime.fromisoformat(at), impl_code


class HrssSandbox(DepartmentSandbox):
    """The bureau's insured-persons registry, card records and catalog feed."""

    kind = "hrss"
    routes = {
        ("GET", "/v2/catalog/items"): ("feed", "feed"),
        ("POST", "/v2/persons/verify"): ("identity", "verify"),
        ("POST", "/v2/persons/insurance"): ("records", "insurance"),
        ("POST", "/v2/persons/payments"): ("shared", "payments"),
    }
    corruptible = {
        "missing_field": ("result", "insured", "next_cursor", "payment_base_fen"),
        "wrong_type": ("result", "contribution_months", "items", "payment_base_fen"),
        "bad_date": ("issued_on", "updated_at", "last_paid_month"),
        "bad_date_value": ("2026-02-31",),
    }

    def error(self, status: int, message: str) -> Answer:
        """The bureau answers with the real HTTP status and a non-zero ``ret``."""
        return Answer(status, {"ret": status * 100 + 1, "msg": message, "data": None})

    @staticmethod
    def _ok(data: Any) -> Answer:
        return Answer(200, {"ret": 0, "msg": "ok", "data": data})

    def feed(self, request: Request) -> Answer:
        """Serve items updated at or after ``updated_since``, keyset-paged by an opaque ``cursor``."""
        try:
            since = dt.datetime.fromisoformat(request.query.get("updated_since", "1970-01-01T00:00:00+00:00"))
            limit = int(request.query.get("limit", "20"))
            after = _untoken(request.query["cursor"]) if "cursor" in request.query else None
        except (ValueError, UnicodeDecodeError):
            return self.error(400, "invalid paging parameters")
        if since.tzinfo is None or not 1 <= limit <= 100:
            return self.error(400, "invalid paging parameters")
        rows = [(at, item) for at, item in self.catalog.changed_since(since)
                if after is None or (at, item.impl_code) > after]
        page = rows[:limit]
        more = len(rows) > limit
        return self._ok({
            "items": [{"impl_code": item.impl_code, "item_name": item.name,
                       "updated_at": at.isoformat(timespec="seconds"), "detail": item_to_dict(item)}
                      for at, item in page],
            "next_cursor": _token(page[-1][0], page[-1][1].impl_code) if more else None,
        })

    def verify(self, request: Request) -> Answer:
        """Answer a real-name check with match / mismatch / not_found."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("id_number") or not body.get("name"):
            return self.error(400, "id_number and name are required")
        outcome, _ = self.person(body["id_number"], body["name"])
        return self._ok({"result": outcome})

    def insurance(self, request: Request) -> Answer:
        """Return the contribution summary and card of an insured citizen, or ``data: null``."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("id_number") or not body.get("name"):
            return self.error(400, "id_number and name are required")
        _, demo = self.person(body["id_number"], body["name"])
        if demo is None or demo.social_security is None:
            return self._ok(None)
        ss = demo.social_security
        card = next((lic for lic in demo.licenses if lic.license_type == "social_security_card"), None)
        return self._ok({
            "insured": ss.insured, "insured_status": _STATUS[ss.status], "employer_name": ss.employer,
            "contribution_months": ss.contribution_months,
            "last_payment": {"month": ss.last_payment_month, "amount_fen": ss.last_payment_fen},
            "personal_account_balance_fen": ss.personal_account_balance_fen,
            "card": None if card is None else {
                "card_no": card.serial, "bank_name": card.fields["bank"], "holder_name": card.holder_name,
                "holder_id_number": card.holder_id_number, "issuer_code": card.issuer_code,
                "issuer_name": card.issuer_name, "issued_on": card.issued_on.isoformat(),
                "valid_until": card.valid_until.isoformat() if card.valid_until else None,
            },
        })

    def payments(self, request: Request) -> Answer:
        """Return the payment record (缴费明细) of an insured citizen: base, months paid, continuity; or ``data: null``."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("id_number") or not body.get("name"):
            return self.error(400, "id_number and name are required")
        _, demo = self.person(body["id_number"], body["name"])
        record = None if demo is None else demo_shared_record(demo, "social_security_payments", "hrss")
        if record is None:
            return self._ok(None)
        d = record.data
        return self._ok({
            "employer_name": d["employer"], "insured_status": _STATUS[d["status"]], "payment_base_fen": d["base_fen"],
            "total_months": d["total_months"], "continuous_months": d["continuous_months"],
            "last_paid_month": d["last_paid_month"],
            "payments": [{"month": m["month"], "base_fen": m["base_fen"], "amount_fen": m["amount_fen"]}
                         for m in d["months"]],
        })
