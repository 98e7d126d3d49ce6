"""The civil affairs bureau's sandbox: PascalCase JSON in a ``RtnCode`` envelope, offset paging, epoch
milliseconds, ``yyyy/MM/dd`` dates; marriage status from the demo marriage and divorce certificates
(``shared_demo``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..items import item_to_dict
from .common import Answer, DepartmentSandbox, Request
from .shared_demo import demo_shared_record

__all__ = ["CivilAffairsSandbox", "snake_to_pascal", "CASE_STAGES"]

#: the bureau's case stages, numbered in the order a case goes through them
CASE_STAGES = {"pre_check": 1, "accepted": 2, "not_accepted": 3, "correction_requested": 4, "under_review": 5,
               "decided": 6, "concluded": 7}

_STATUS_CODES = {"unmarried": "10", "married": "20", "divorced": "40", "widowed": "30"}


def snake_to_pascal(value: Any) -> Any:
    """``value`` with every object key written in PascalCase, as the bureau's API does."""
    if isinstance(value, dict):
        return {"".join(p[:1].upper() + p[1:] for p in k.split("_")): snake_to_pascal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_to_pascal(v) for v in value]
    return value


class CivilAffairsSandbox(DepartmentSandbox):
    """The bureau's catalog feed, marriage register and case intake."""

    kind = "civil_affairs"
    routes = {
        ("GET", "/mz/catalog"): ("feed", "feed"),
        ("POST", "/mz/person/check"): ("identity", "check"),
        ("POST", "/mz/person/records"): ("records", "certificates"),
        ("POST", "/mz/marriage/status"): ("shared", "marriage"),
        ("POST", "/mz/apply"): ("intake", "apply"),
        ("POST", "/mz/case/query"): ("status", "case_query"),
    }
    corruptible = {
        "missing_field": ("Known", "Total", "Certificates", "Status"),
        "wrong_type": ("Known", "Items", "Certificates", "Total"),
        "bad_date": ("ChangedAt", "Since"),
        "bad_date_value": ("2026/02/31",),
    }

    def error(self, status: int, message: str) -> Answer:
        """Errors come with HTTP 200: ``1xxxxx`` the caller's, ``9xxxxx`` the bureau's."""
        return Answer(200, {"RtnCode": f"{1 if status < 500 else 9}{status:05d}", "RtnMsg": message, "Payload": None})

    @staticmethod
    def _ok(payload: Any) -> Answer:
        return Answer(200, {"RtnCode": "000000", "RtnMsg": "成功", "Payload": payload})

    def feed(self, request: Request) -> Answer:
        """Serve items changed after ``ChangedAfter`` (epoch ms), ``Offset`` / ``Limit`` paged."""
        try:
            offset, limit = int(request.query.get("Offset", "0")), int(request.query.get("Limit", "20"))
            after = dt.datetime.fromtimestamp(int(request.query.get("ChangedAfter", "0")) / 1000, dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            return self.error(400, "分页参数错误")
        if offset < 0 or not 1 <= limit <= 100:
            return self.error(400, "分页参数错误")
        rows = self.catalog.changed_since(after)
        return self._ok({"Total": len(rows), "Items": [
            {"ImplCode": item.impl_code, "ChangedAt": int(at.timestamp() * 1000),
             "Item": snake_to_pascal(item_to_dict(item))} for at, item in rows[offset:offset + limit]]})

    def _who(self, request: Request) -> tuple[str, Any] | Answer:
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("IdNo") or not body.get("Name"):
            return self.error(400, "IdNo 和 Name 不能为空")
        return self.person(body["IdNo"], body["Name"])

    def check(self, request: Request) -> Answer:
        """Whether the register knows the person: Y, N (not found) or X (another name)."""
        found = self._who(request)
        if isinstance(found, Answer):
            return found
        return self._ok({"Known": {"match": "Y", "not_found": "N", "mismatch": "X"}[found[0]]})

    def certificates(self, request: Request) -> Answer:
        """The person's certificates on the register (the platform gets them by push, so none are listed)."""
        found = self._who(request)
        return found if isinstance(found, Answer) else self._ok({"Certificates": []})

    def marriage(self, request: Request) -> Answer:
        """The newest marriage or divorce registration of the person, or unmarried (10)."""
        found = self._who(request)
        if isinstance(found, Answer):
            return found
        outcome, demo = found
        record = None if demo is None else demo_shared_record(demo, "marriage_status", self.kind)
        if record is None:
            return self.error(404, "查无此人")
        since = record.data["since"]
        return self._ok({"Status": _STATUS_CODES[record.data["status"]],
                         "Since": "" if since is None else since.replace("-", "/"), "Office": record.data["office"]})

    def case_query(self, request: Request) -> Answer:
        """Where the cases of up to 50 ``SerialNos`` stand: ``Stage`` 1-7, ``Verdict`` Y / N once decided."""
        found = self.statuses(request, "SerialNos", 50)
        if found is None:
            return self.error(400, "SerialNos 应为 1 至 50 个")
        return self._ok({"Cases": [{
            "SerialNo": status.application_id, "CaseNo": case, "Stage": CASE_STAGES[status.state],
            "Remark": status.message, "Verdict": {"approved": "Y", "denied": "N"}.get(status.outcome or "", ""),
            "Reason": status.reason, "LegalBasis": status.legal_basis, "Delivery": status.delivery or "",
            "LicenseFields": dict(status.license_fields)} for case, status in found]})

    def apply(self, request: Request) -> Answer:
        """Open a case; the same ``SerialNo`` again answers the first case with ``Repeated``."""
        body = request.body if isinstance(request.body, dict) else {}
        serial = body.get("SerialNo")
        if not isinstance(serial, str) or not serial or not isinstance(body.get("Form"), dict):
            return self.error(400, "SerialNo 和 Form 不能为空")
        case, repeated = self.open_case(serial, "MZ")
        return self._ok({"CaseNo": case, "Repeated": repeated})
