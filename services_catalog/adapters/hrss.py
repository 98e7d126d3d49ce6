"""Adapter for the human resources and social security bureau (人社) API.

snake_case JSON in a ``{"ret": 0, "msg": ..., "data": ...}`` envelope, cursor paging, dates ``YYYY-MM-DD``,
timestamps ISO 8601 with offset, amounts as integer fen. Errors carry a real HTTP status and ``ret != 0``.
"""

from __future__ import annotations

from typing import Any

from ..errors import DepartmentUnavailable
from ..ports import FeedItem, FeedPage
from ..records import Citizen, CitizenRecord, IdentityOutcome, LicenseRecord, SocialSecuritySummary
from ..shared_records import SharedRecord
from .cursor import FeedCursor
from .transport import HttpDepartment
from .wire import Reader

__all__ = ["HrssAdapter"]

_DATE = "%Y-%m-%d"
_TIME = "%Y-%m-%dT%H:%M:%S%z"
_STATUS = {"1": "active", "2": "suspended", "3": "terminated"}
_RESULTS = {o.value: o.value for o in IdentityOutcome}


class HrssAdapter(HttpDepartment):
    """Catalog feed, social security card, contribution summary and payment record of the social security bureau."""

    def _call(self, method: str, path: str, *, timeout: float, **kwargs: Any) -> Any:
        """Send a request and return the envelope's ``data``."""
        response = self._send(method, path, timeout=timeout, **kwargs)
        self._raise_for_status(response)
        read = Reader(self.department_code)
        envelope = read.obj(self._json(response), "body")
        ret = read.integer(envelope, "ret", "body")
        if ret != 0:
            # an error code with HTTP 200 is the bureau's own failure
            raise DepartmentUnavailable(self.department_code, f"ret {ret}: {envelope.get('msg', '')}")
        return read.field(envelope, "data", "body")

    def fetch_items(self, since: str | None, *, timeout: float) -> FeedPage:
        """Return one page of items updated at or after the cursor's watermark."""
        cursor = FeedCursor.decode(since, "")
        params: dict[str, str | int] = {"updated_since": cursor.since.isoformat(timespec="seconds"),
                                        "limit": self.page_size}
        if cursor.position:
            params["cursor"] = cursor.position
        read = Reader(self.department_code)
        data = read.obj(self._call("GET", "/v2/catalog/items", timeout=timeout, params=params), "data")
        items = tuple(self._item(read, raw, f"data.items[{i}]")
                      for i, raw in enumerate(read.array(data, "items", "data")))
        next_cursor = read.optional_string(data, "next_cursor", "data")
        seen = [i.updated_at for i in items]
        if next_cursor:
            return FeedPage(items, cursor.next(next_cursor, seen).encode(), True)
        return FeedPage(items, cursor.drained(seen, "").encode(), False)

    def _item(self, read: Reader, raw: Any, where: str) -> FeedItem:
        return read.feed_item(raw, where, code_key="impl_code", time_key="updated_at", time_fmt=_TIME,
                              detail_key="detail")

    def check_identity(self, citizen: Citizen, *, timeout: float) -> IdentityOutcome:
        """Check name and ID number against the insured-persons registry."""
        data = self._call("POST", "/v2/persons/verify", timeout=timeout,
                          body={"id_number": citizen.id_number, "name": citizen.name})
        read = Reader(self.department_code)
        return IdentityOutcome(read.choice(read.obj(data, "data"), "result", "data", _RESULTS))

    def records(self, citizen: Citizen, *, timeout: float) -> CitizenRecord:
        """Return the social security card and contribution summary (empty when not insured here)."""
        data = self._call("POST", "/v2/persons/insurance", timeout=timeout,
                          body={"id_number": citizen.id_number, "name": citizen.name})
        if data is None:
            return CitizenRecord(self.department_code)
        read = Reader(self.department_code)
        data = read.obj(data, "data")
        payment = read.obj(read.field(data, "last_payment", "data"), "data.last_payment")
        month = read.string(payment, "month", "data.last_payment")
        read.date({"month": month + "-01"}, "month", "data.last_payment", _DATE)  # must be a real month
        summary = SocialSecuritySummary(
            insured=read.boolean(data, "insured", "data"),
            status=read.choice(data, "insured_status", "data", _STATUS),
            employer=read.string(data, "employer_name", "data"),
            contribution_months=read.integer(data, "contribution_months", "data"),
            last_payment_month=month,
            last_payment_fen=read.integer(payment, "amount_fen", "data.last_payment"),
            personal_account_balance_fen=read.integer(data, "personal_account_balance_fen", "data"),
        )
        card = read.field(data, "card", "data")
        licenses = () if card is None else (self._card(read, read.obj(card, "data.card")),)
        return CitizenRecord(self.department_code, licenses=licenses, social_security=summary)

    def shared_record(self, source: str, citizen: Citizen, *, timeout: float) -> SharedRecord | None:
        """Return the payment record (``social_security_payments``): base, months paid, continuity (None: uninsured)."""
        self._serves(source, "social_security_payments")
        data = self._call("POST", "/v2/persons/payments", timeout=timeout,
                          body={"id_number": citizen.id_number, "name": citizen.name})
        if data is None:
            return None
        read = Reader(self.department_code)
        data = read.obj(data, "data")
        months = []
        for i, raw in enumerate(read.array(data, "payments", "data")):
            where = f"data.payments[{i}]"
            raw = read.obj(raw, where)
            months.append({"month": read.month(raw, "month", where), "base_fen": read.integer(raw, "base_fen", where),
                           "amount_fen": read.integer(raw, "amount_fen", where)})
        return SharedRecord(source, self.department_code, {
            "employer": read.string(data, "employer_name", "data"),
            "status": read.choice(data, "insured_status", "data", _STATUS),
            "base_fen": read.integer(data, "payment_base_fen", "data"),
            "total_months": read.integer(data, "total_months", "data"),
            "continuous_months": read.integer(data, "continuous_months", "data"),
            "last_paid_month": read.month(data, "last_paid_month", "data"),
            "months": months,
        })

    def _card(self, read: Reader, card: Any) -> LicenseRecord:
        where = "data.card"
        issued = read.date(card, "issued_on", where, _DATE)
        number = read.string(card, "card_no", where)
        return LicenseRecord(
            license_type="social_security_card",
            serial=number,
            holder_name=read.string(card, "holder_name", where),
            holder_id_number=read.string(card, "holder_id_number", where),
            issuer_code=read.string(card, "issuer_code", where),
            issuer_name=read.string(card, "issuer_name", where),
            issued_on=issued,
            valid_from=issued,
            valid_until=read.date(card, "valid_until", where, _DATE),
            fields={"card_number": number, "bank": read.string(card, "bank_name", where)},
        )
