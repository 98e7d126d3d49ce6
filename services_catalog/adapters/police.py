"""Adapter for the city police bureau (公安) API: camelCase JSON, pageNo/pageSize paging, yyyyMMdd dates.

Errors arrive as HTTP 200 with ``{"code": "E1001", "msg": ...}``: ``E1xxx`` are the caller's fault
(rejected), anything else non-zero is the bureau's (unavailable). Gateway 4xx/5xx are mapped the same way.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from ..errors import DepartmentRejected, DepartmentUnavailable
from ..ports import ApplicationSubmission, CaseStatus, FeedItem, FeedPage, IntakeReceipt
from ..records import Citizen, CitizenRecord, IdentityOutcome, LicenseRecord
from ..shared_records import SharedRecord
from .cursor import FeedCursor
from .transport import HttpDepartment
from .wire import Reader

__all__ = ["PoliceAdapter", "snake_keys", "STATUS_BATCH"]

_DATE = "%Y%m%d"
_TIME = "%Y%m%d%H%M%S"
_LICENSE_TYPES = {"ID_CARD": "id_card", "DRIVING_LICENSE": "driving_license",
                  "VEHICLE_LICENSE": "vehicle_license", "HOUSEHOLD_REGISTER": "household_register",
                  "RESIDENCE_PERMIT": "residence_permit", "EXIT_ENTRY_PERMIT": "exit_entry_permit"}
_VERIFY = {"01": IdentityOutcome.MATCH, "02": IdentityOutcome.MISMATCH, "03": IdentityOutcome.NOT_FOUND}
# wire detail key -> (domain field, is a yyyyMMdd date)
_DETAIL: Mapping[str, Mapping[str, tuple[str, bool]]] = {
    "id_card": {"gender": ("sex", False), "nation": ("ethnicity", False), "birthDate": ("birth_date", True),
                "address": ("address", False)},
    "driving_license": {"quasiDrivingType": ("permitted_class", False), "archivesNo": ("file_number", False),
                        "firstIssueDate": ("first_issued_on", True)},
    "vehicle_license": {"plateNo": ("plate_number", False), "vehicleType": ("vehicle_type", False),
                        "brandModel": ("brand_model", False), "vin": ("vin", False),
                        "registerDate": ("registered_on", True)},
    "household_register": {"householdNo": ("household_number", False), "householdType": ("household_type", False),
                           "headName": ("head_name", False), "relationship": ("relation", False),
                           "gender": ("sex", False), "nation": ("ethnicity", False),
                           "birthDate": ("birth_date", True), "birthPlace": ("birthplace", False),
                           "nativePlace": ("native_place", False), "address": ("address", False)},
    "residence_permit": {"gender": ("sex", False), "nation": ("ethnicity", False), "birthDate": ("birth_date", True),
                         "address": ("address", False)},
    "exit_entry_permit": {"permitNo": ("permit_number", False), "gender": ("sex", False),
                          "birthDate": ("birth_date", True), "birthPlace": ("birthplace", False),
                          "issuePlace": ("issue_place", False), "issueOrg": ("issuing_authority", False)},
}
_CAMEL = re.compile(r"([A-Z])")
_CASE_STATES = {"YS": "pre_check", "SL": "accepted", "BYSL": "not_accepted", "BZ": "correction_requested",
                "SC": "under_review", "JD": "decided", "BJ": "concluded"}
_RESULTS = {"PASS": "approved", "REJECT": "denied"}
_DELIVERY = {"DZZZ": "e_license", "YJ": "express", "CK": "window", "WS": "online"}
#: status queries take at most this many ``bizIds``
STATUS_BATCH = 100


def snake_keys(value: Any) -> Any:
    """Return ``value`` with every object key turned from camelCase into snake_case."""
    if isinstance(value, dict):
        return {_CAMEL.sub(r"_\1", k).lower(): snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_keys(v) for v in value]
    return value


class PoliceAdapter(HttpDepartment):
    """Catalog feed and citizen records of the police bureau."""

    def _call(self, method: str, path: str, *, timeout: float, **kwargs: Any) -> Any:
        """Send a request and return the envelope's ``data`` after mapping the bureau's error codes."""
        response = self._send(method, path, timeout=timeout, **kwargs)
        self._raise_for_status(response)
        read = Reader(self.department_code)
        envelope = read.obj(self._json(response), "body")
        code = read.string(envelope, "code", "body")
        if code != "0":
            msg = envelope.get("msg", "")
            if code.startswith("E1"):
                raise DepartmentRejected(self.department_code, f"{code}: {msg}")
            raise DepartmentUnavailable(self.department_code, f"{code}: {msg}")
        return read.field(envelope, "data", "body")

    def fetch_items(self, since: str | None, *, timeout: float) -> FeedPage:
        """Return one page of items updated at or after the cursor's watermark."""
        cursor = FeedCursor.decode(since, "1")
        page_no = int(cursor.position)
        data = self._call("GET", "/api/catalog/items", timeout=timeout, params={
            "pageNo": page_no, "pageSize": self.page_size, "updateTimeBegin": cursor.since.strftime(_TIME)})
        read = Reader(self.department_code)
        data = read.obj(data, "data")
        total = read.integer(data, "total", "data")
        items = tuple(self._item(read, raw, f"data.list[{i}]")
                      for i, raw in enumerate(read.array(data, "list", "data")))
        seen = [i.updated_at for i in items]
        if page_no * self.page_size < total and items:
            return FeedPage(items, cursor.next(str(page_no + 1), seen).encode(), True)
        return FeedPage(items, cursor.drained(seen, "1").encode(), False)

    def _item(self, read: Reader, raw: Any, where: str) -> FeedItem:
        return read.feed_item(raw, where, code_key="implCode", time_key="updateTime", time_fmt=_TIME,
                              detail_key="detail", prepare=snake_keys)

    def check_identity(self, citizen: Citizen, *, timeout: float) -> IdentityOutcome:
        """Ask the population registry whether name and ID number belong together."""
        data = self._call("POST", "/api/identity/verify", timeout=timeout,
                          body={"idNumber": citizen.id_number, "name": citizen.name})
        read = Reader(self.department_code)
        return IdentityOutcome(read.choice(read.obj(data, "data"), "verifyResult", "data",
                                           {k: v.value for k, v in _VERIFY.items()}))

    def records(self, citizen: Citizen, *, timeout: float) -> CitizenRecord:
        """Return the licences on record: ID card, driving and vehicle licences, household register, permits."""
        data = self._call("POST", "/api/person/licenses", timeout=timeout,
                          body={"idNumber": citizen.id_number, "name": citizen.name})
        read = Reader(self.department_code)
        raw_list = read.array(read.obj(data, "data"), "licenseList", "data")
        licenses = tuple(self._license(read, raw, f"data.licenseList[{i}]") for i, raw in enumerate(raw_list))
        return CitizenRecord(self.department_code, licenses=licenses)

    def shared_record(self, source: str, citizen: Citizen, *, timeout: float) -> SharedRecord | None:
        """Return the household registration (``household_registration``, 户籍); None when not registered here."""
        self._serves(source, "household_registration")
        data = self._call("POST", "/api/person/household", timeout=timeout,
                          body={"idNumber": citizen.id_number, "name": citizen.name})
        if data is None:
            return None
        read = Reader(self.department_code)
        data = read.obj(data, "data")
        return SharedRecord(source, self.department_code, {
            "household_number": read.string(data, "householdNo", "data"),
            "household_type": read.string(data, "householdType", "data"),
            "head_name": read.string(data, "headName", "data"),
            "relation": read.string(data, "relationship", "data"),
            "address": read.string(data, "registeredAddress", "data"),
            "native_place": read.string(data, "nativePlace", "data"),
            "registered_on": read.date(data, "registerDate", "data", _DATE).isoformat(),
            "police_station": read.string(data, "policeStation", "data"),
        })

    def submit_application(self, submission: ApplicationSubmission, *, timeout: float) -> IntakeReceipt:
        """Open a case (居住证签发 and the bureau's other online items); ``bizId`` makes it idempotent."""
        data = self._call("POST", "/api/case/apply", timeout=timeout, body={
            "bizId": submission.application_id, "implCode": submission.item_code,
            "applicantName": submission.applicant_name, "applicantIdNumber": submission.applicant_id_number,
            "formData": dict(submission.form), "applyTime": submission.submitted_at.strftime(_TIME)})
        read = Reader(self.department_code)
        data = read.obj(data, "data")
        repeat = read.choice(data, "repeat", "data", {"Y": "yes", "N": "no"})
        return IntakeReceipt(read.string(data, "caseNo", "data"), repeat == "yes")

    def application_statuses(self, application_ids: Sequence[str], *, timeout: float) -> list[CaseStatus]:
        """Where the cases stand (``caseStatus`` 预审 YS ... 办结 BJ), ``STATUS_BATCH`` ids a request."""
        read = Reader(self.department_code)
        return [CaseStatus(
            application_id=read.string(raw, "bizId", where),
            state=read.choice(raw, "caseStatus", where, _CASE_STATES),
            message=read.string(raw, "opinion", where, empty=True),
            outcome=read.optional_choice(raw, "result", where, _RESULTS),
            reason=read.string(raw, "reason", where, empty=True),
            legal_basis=read.string(raw, "legalBasis", where, empty=True),
            delivery=read.optional_choice(raw, "deliveryMode", where, _DELIVERY),
            license_fields=snake_keys(read.strings(raw, "licenseInfo", where)))
            for where, raw in read.batched(application_ids, STATUS_BATCH, lambda ids: self._call(
                "POST", "/api/case/status", timeout=timeout, body={"bizIds": ids}), "list", "data")]

    def _license(self, read: Reader, raw: Any, where: str) -> LicenseRecord:
        raw = read.obj(raw, where)
        kind = read.choice(raw, "licenseType", where, _LICENSE_TYPES)
        valid_to = read.string(raw, "validTo", where)
        detail = read.obj(read.field(raw, "detail", where), where + ".detail")
        fields: dict[str, str] = {}
        for key, (name, is_date) in _DETAIL[kind].items():
            fields[name] = (read.date(detail, key, where + ".detail", _DATE).isoformat() if is_date
                            else read.string(detail, key, where + ".detail"))
        return LicenseRecord(
            license_type=kind,
            serial=read.string(raw, "licenseNo", where),
            holder_name=read.string(raw, "holderName", where),
            holder_id_number=read.string(raw, "holderIdNumber", where),
            issuer_code=read.string(raw, "issueOrgCode", where),
            issuer_name=read.string(raw, "issueOrgName", where),
            issued_on=read.date(raw, "issueDate", where, _DATE),
            valid_from=read.date(raw, "validFrom", where, _DATE),
            valid_until=None if valid_to == "长期" else read.date(raw, "validTo", where, _DATE),
            fields=fields,
        )
