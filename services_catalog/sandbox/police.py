"""The police bureau's sandbox: camelCase JSON, pageNo/pageSize paging, yyyyMMdd dates, errors in HTTP 200."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..items import item_to_dict
from ..records import LicenseRecord
from .common import Answer, DepartmentSandbox, Request
from .shared_demo import demo_shared_record

__all__ = ["PoliceSandbox", "camel_keys", "CASE_STATUS_CODES", "DELIVERY_CODES"]

#: the bureau's case stages (预审 受理 不予受理 补正 审查 决定 办结) and result delivery modes
CASE_STATUS_CODES = {"pre_check": "YS", "accepted": "SL", "not_accepted": "BYSL", "correction_requested": "BZ",
                     "under_review": "SC", "decided": "JD", "concluded": "BJ"}
DELIVERY_CODES = {"e_license": "DZZZ", "express": "YJ", "window": "CK", "online": "WS"}

_WIRE_TYPES = {"id_card": "ID_CARD", "driving_license": "DRIVING_LICENSE",
               "vehicle_license": "VEHICLE_LICENSE", "household_register": "HOUSEHOLD_REGISTER",
               "residence_permit": "RESIDENCE_PERMIT", "exit_entry_permit": "EXIT_ENTRY_PERMIT"}
_VERIFY = {"match": "01", "mismatch": "02", "not_found": "03"}
_DETAIL = {
    "id_card": {"sex": "gender", "ethnicity": "nation", "birth_date": "birthDate", "address": "address"},
    "driving_license": {"permitted_class": "quasiDrivingType", "file_number": "archivesNo",
                        "first_issued_on": "firstIssueDate"},
    "vehicle_license": {"plate_number": "plateNo", "vehicle_type": "vehicleType", "brand_model": "brandModel",
                        "vin": "vin", "registered_on": "registerDate"},
    "household_register": {"household_number": "householdNo", "household_type": "householdType",
                           "head_name": "headName", "relation": "relationship", "sex": "gender", "ethnicity": "nation",
                           "birth_date": "birthDate", "birthplace": "birthPlace", "native_place": "nativePlace",
                           "address": "address"},
    "residence_permit": {"sex": "gender", "ethnicity": "nation", "birth_date": "birthDate", "address": "address"},
    "exit_entry_permit": {"permit_number": "permitNo", "sex": "gender", "birth_date": "birthDate",
                          "birthplace": "birthPlace", "issue_place": "issuePlace", "issuing_authority": "issueOrg"},
}
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def camel_keys(value: Any) -> Any:
    """Return ``value`` with every snake_case object key written in camelCase, as the bureau's API does."""
    if isinstance(value, dict):
        return {_camel(k): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _ymd(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


class PoliceSandbox(DepartmentSandbox):
    """The bureau's population registry, licence records and catalog feed."""

    kind = "police"
    routes = {
        ("GET", "/api/catalog/items"): ("feed", "feed"),
        ("POST", "/api/identity/verify"): ("identity", "verify"),
        ("POST", "/api/person/licenses"): ("records", "licenses"),
        ("POST", "/api/person/household"): ("shared", "household"),
        ("POST", "/api/case/apply"): ("intake", "apply"),
        ("POST", "/api/case/status"): ("status", "case_status"),
    }
    corruptible = {
        "missing_field": ("verifyResult", "holderName", "total", "headName"),
        "wrong_type": ("verifyResult", "licenseList", "list"),
        "bad_date": ("issueDate", "updateTime", "registerDate"),
        "bad_date_value": ("20260231",),
    }

    def error(self, status: int, message: str) -> Answer:
        """The bureau answers HTTP 200 with E1xxx for the caller's errors and E9xxx for its own."""
        code = f"E1{status:03d}" if status < 500 else f"E9{status:03d}"
        return Answer(200, {"code": code, "msg": message, "data": None})

    @staticmethod
    def _ok(data: Any) -> Answer:
        return Answer(200, {"code": "0", "msg": "成功", "data": data})

    def feed(self, request: Request) -> Answer:
        """Serve one page of items updated at or after ``updateTimeBegin``."""
        try:
            page_no, size = int(request.query.get("pageNo", "1")), int(request.query.get("pageSize", "20"))
            begin = dt.datetime.strptime(request.query.get("updateTimeBegin", "19700101000000"),
                                         "%Y%m%d%H%M%S")
        except ValueError:
            return self.error(400, "参数格式错误")
        if page_no < 1 or not 1 <= size <= 100:
            return self.error(400, "分页参数错误")
        tz = dt.timezone(dt.timedelta(hours=8))
        rows = self.catalog.changed_since(begin.replace(tzinfo=tz))
        page = rows[(page_no - 1) * size: page_no * size]
        return self._ok({
            "pageNo": page_no, "pageSize": size, "total": len(rows),
            "list": [{"implCode": item.impl_code, "itemName": item.name,
                      "updateTime": at.astimezone(tz).strftime("%Y%m%d%H%M%S"),
                      "detail": camel_keys(item_to_dict(item))} for at, item in page],
        })

    def apply(self, request: Request) -> Answer:
        """Open a case for an online application; the same ``bizId`` again answers the first case (``repeat``)."""
        body = request.body if isinstance(request.body, dict) else {}
        biz_id = body.get("bizId")
        if not isinstance(biz_id, str) or not biz_id or not isinstance(body.get("formData"), dict):
            return self.error(400, "bizId 和 formData 不能为空")
        case, repeated = self.open_case(biz_id, "GA")
        return self._ok({"caseNo": case, "repeat": "Y" if repeated else "N"})

    def case_status(self, request: Request) -> Answer:
        """Where the cases of up to 100 ``bizIds`` stand (ids without a case are left out)."""
        found = self.statuses(request, "bizIds", 100)
        if found is None:
            return self.error(400, "bizIds 应为 1 至 100 个办件号")
        return self._ok({"list": [{
            "bizId": status.application_id, "caseNo": case, "caseStatus": CASE_STATUS_CODES[status.state],
            "opinion": status.message, "result": {"approved": "PASS", "denied": "REJECT"}.get(status.outcome or "", ""),
            "reason": status.reason, "legalBasis": status.legal_basis,
            "deliveryMode": DELIVERY_CODES.get(status.delivery or "", ""),
            "licenseInfo": camel_keys(dict(status.license_fields))} for case, status in found]})

    def verify(self, request: Request) -> Answer:
        """Answer a real-name check: 01 match, 02 mismatch, 03 not found."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("idNumber") or not body.get("name"):
            return self.error(400, "身份证号和姓名不能为空")
        outcome, _ = self.person(body["idNumber"], body["name"])
        return self._ok({"verifyResult": _VERIFY[outcome]})

    def licenses(self, request: Request) -> Answer:
        """List the licences the bureau holds about a citizen whose name matches (ID card, driving, household...)."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("idNumber") or not body.get("name"):
            return self.error(400, "身份证号和姓名不能为空")
        _, demo = self.person(body["idNumber"], body["name"])
        records = [lic for lic in (demo.licenses if demo else ()) if lic.license_type in _WIRE_TYPES]
        return self._ok({"licenseList": [self._license(lic) for lic in records]})

    @staticmethod
    def _license(lic: LicenseRecord) -> dict[str, Any]:
        detail = {wire: (value.replace("-", "") if _ISO_DATE.match(value) else value)
                  for name, wire in _DETAIL[lic.license_type].items() for value in [lic.fields[name]]}
        return {
            "licenseType": _WIRE_TYPES[lic.license_type], "licenseNo": lic.serial,
            "holderName": lic.holder_name, "holderIdNumber": lic.holder_id_number,
            "issueOrgCode": lic.issuer_code, "issueOrgName": lic.issuer_name,
            "issueDate": _ymd(lic.issued_on), "validFrom": _ymd(lic.valid_from),
            "validTo": _ymd(lic.valid_until) if lic.valid_until else "长期", "detail": detail,
        }

    def household(self, request: Request) -> Answer:
        """Return the household registration (户籍): household, head and relation, registered address; or null."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("idNumber") or not body.get("name"):
            return self.error(400, "身份证号和姓名不能为空")
        _, demo = self.person(body["idNumber"], body["name"])
        record = None if demo is None else demo_shared_record(demo, "household_registration", "police")
        if record is None:
            return self._ok(None)
        d = record.data
        return self._ok({
            "householdNo": d["household_number"], "householdType": d["household_type"], "headName": d["head_name"],
            "relationship": d["relation"], "registeredAddress": d["address"], "nativePlace": d["native_place"],
            "registerDate": d["registered_on"].replace("-", ""), "policeStation": d["police_station"],
        })
