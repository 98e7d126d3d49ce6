"""Adapter for the civil affairs bureau (民政) API: PascalCase JSON in a ``{"RtnCode": "000000", "RtnMsg", "Payload"}``
envelope, offset paging, dates ``yyyy/MM/dd``, change times as epoch milliseconds.

``RtnCode`` ``1xxxxx`` is the caller's fault (rejected), any other non-zero code the bureau's (unavailable).
Besides the catalog feed it offers marriage status (婚姻状况, shared data for applications) and takes online
applications (低保, 高龄津贴, marriage registration booking). Its licenses (marriage and divorce certificates,
senior citizen cards) come through the standard issuing interface, so ``records`` holds none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..errors import DepartmentRejected, DepartmentUnavailable
from ..ports import ApplicationSubmission, CaseStatus, FeedItem, FeedPage, IntakeReceipt
from ..records import Citizen, CitizenRecord, IdentityOutcome
from ..shared_records import SharedRecord
from .cursor import FeedCursor
from .transport import HttpDepartment
from .wire import Reader

__all__ = ["CivilAffairsAdapter", "MarriageStatus", "MARITAL_STATES", "pascal_to_snake", "QUERY_BATCH"]

_DATE = "%Y/%m/%d"
_KNOWN = {"Y": "match", "N": "not_found", "X": "mismatch"}
_STAGES = ("pre_check", "accepted", "not_accepted", "correction_requested", "under_review", "decided", "concluded")
_VERDICTS = {"Y": "approved", "N": "denied"}
_DELIVERY = {"e_license": "e_license", "express": "express", "window": "window", "online": "online"}
#: case queries take at most this many ``SerialNos``
QUERY_BATCH = 50
#: the bureau's marital-status codes -> ours
MARITAL_STATES = {"10": "unmarried", "20": "married", "40": "divorced", "30": "widowed"}
_WORD = re.compile(r"(?<!^)(?=[A-Z])")
#: the register's answer about a person it does not know under that name (a 1xxxxx code: the caller's)
_NOT_FOUND = "100404"


def pascal_to_snake(value: Any) -> Any:
    """``value`` with every object key turned from PascalCase into snake_case."""
    if isinstance(value, dict):
        return {_WORD.sub("_", k).lower(): pascal_to_snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [pascal_to_snake(v) for v in value]
    return value


@dataclass(frozen=True)
class MarriageStatus:
    """A person's marital status on the marriage register: the state, since when, and at which office."""

    state: str
    since: dt.date | None
    office: str


class CivilAffairsAdapter(HttpDepartment):
    """Catalog feed, marriage status and online applications of the civil affairs bureau."""

    def _call(self, method: str, path: str, *, timeout: float, absent: str = "", **kwargs: Any) -> Any:
        """The ``Payload`` of a successful answer; None when the code is ``absent`` (the caller expects it)."""
        response = self._send(method, path, timeout=timeout, **kwargs)
        self._raise_for_status(response)
        read = Reader(self.department_code)
        envelope = read.obj(self._json(response), "body")
        code = read.string(envelope, "RtnCode", "body")
        if absent and code == absent:
            return None
        if code != "000000":
            message = f"{code}: {envelope.get('RtnMsg', '')}"
            failure = DepartmentRejected if code.startswith("1") else DepartmentUnavailable
            raise failure(self.department_code, message)
        return read.field(envelope, "Payload", "body")

    def fetch_items(self, since: str | None, *, timeout: float) -> FeedPage:
        """Return one page of items changed at or after the cursor's watermark."""
        cursor = FeedCursor.decode(since, "0")
        offset = int(cursor.position)
        read = Reader(self.department_code)
        data = read.obj(self._call("GET", "/mz/catalog", timeout=timeout, params={
            "Offset": offset, "Limit": self.page_size,
            "ChangedAfter": int(cursor.since.timestamp() * 1000)}), "Payload")
        total = read.integer(data, "Total", "Payload")
        items = tuple(self._item(read, raw, f"Payload.Items[{i}]")
                      for i, raw in enumerate(read.array(data, "Items", "Payload")))
        seen = [i.updated_at for i in items]
        if offset + len(items) < total and items:
            return FeedPage(items, cursor.next(str(offset + len(items)), seen).encode(), True)
        return FeedPage(items, cursor.drained(seen, "0").encode(), False)

    def _item(self, read: Reader, raw: Any, where: str) -> FeedItem:
        raw = read.obj(raw, where)
        millis = read.integer(raw, "ChangedAt", where)
        if not 0 <= millis < 10**14:
            raise read.fail(f"{where}.ChangedAt: out of range")
        stamped = {**raw, "ChangedAt": dt.datetime.fromtimestamp(millis / 1000, dt.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S%z")}
        return read.feed_item(stamped, where, code_key="ImplCode", time_key="ChangedAt",
                              time_fmt="%Y-%m-%dT%H:%M:%S%z", detail_key="Item", prepare=pascal_to_snake)

    def check_identity(self, citizen: Citizen, *, timeout: float) -> IdentityOutcome:
        """Whether the marriage register knows the person under this name."""
        data = self._call("POST", "/mz/person/check", timeout=timeout,
                          body={"IdNo": citizen.id_number, "Name": citizen.name})
        read = Reader(self.department_code)
        return IdentityOutcome(read.choice(read.obj(data, "Payload"), "Known", "Payload", _KNOWN))

    def records(self, citizen: Citizen, *, timeout: float) -> CitizenRecord:
        """No licenses here: civil affairs issues through the standard issuing interface, so the register's
        list of a person's certificates is read only to check the answer's shape."""
        data = self._call("POST", "/mz/person/records", timeout=timeout,
                          body={"IdNo": citizen.id_number, "Name": citizen.name})
        read = Reader(self.department_code)
        read.array(read.obj(data, "Payload"), "Certificates", "Payload")
        return CitizenRecord(self.department_code)

    def marriage_status(self, citizen: Citizen, *, timeout: float) -> MarriageStatus:
        """The person's marital status on the marriage register (an unknown person is ``DepartmentRejected``)."""
        found = self._marriage(citizen, timeout=timeout)
        if found is None:
            raise DepartmentRejected(self.department_code, f"{_NOT_FOUND}: the register does not know the person")
        return found

    def shared_record(self, source: str, citizen: Citizen, *, timeout: float) -> SharedRecord | None:
        """Marriage status as shared data (``marriage_status``, 婚姻状况); None when the register does not know
        the person under that name."""
        self._serves(source, "marriage_status")
        found = self._marriage(citizen, timeout=timeout)
        if found is None:
            return None
        return SharedRecord(source, self.department_code, {
            "status": found.state, "since": None if found.since is None else found.since.isoformat(),
            "office": found.office})

    def _marriage(self, citizen: Citizen, *, timeout: float) -> MarriageStatus | None:
        data = self._call("POST", "/mz/marriage/status", timeout=timeout, absent=_NOT_FOUND,
                          body={"IdNo": citizen.id_number, "Name": citizen.name})
        if data is None:
            return None
        read = Reader(self.department_code)
        data = read.obj(data, "Payload")
        since = data.get("Since")
        return MarriageStatus(
            state=read.choice(data, "Status", "Payload", MARITAL_STATES),
            since=None if since in (None, "") else read.date(data, "Since", "Payload", _DATE),
            office=read.string(data, "Office", "Payload", empty=True))

    def application_statuses(self, application_ids: Sequence[str], *, timeout: float) -> list[CaseStatus]:
        """Where the cases stand (``Stage`` 1 预审 ... 7 办结), ``QUERY_BATCH`` serial numbers a request."""
        read = Reader(self.department_code)
        return [CaseStatus(
            application_id=read.string(raw, "SerialNo", where), state=_stage(read, raw, where),
            message=read.string(raw, "Remark", where, empty=True),
            outcome=read.optional_choice(raw, "Verdict", where, _VERDICTS),
            reason=read.string(raw, "Reason", where, empty=True),
            legal_basis=read.string(raw, "LegalBasis", where, empty=True),
            delivery=read.optional_choice(raw, "Delivery", where, _DELIVERY),
            license_fields=read.strings(raw, "LicenseFields", where))
            for where, raw in read.batched(application_ids, QUERY_BATCH, lambda ids: self._call(
                "POST", "/mz/case/query", timeout=timeout, body={"SerialNos": ids}), "Cases", "Payload")]

    def submit_application(self, submission: ApplicationSubmission, *, timeout: float) -> IntakeReceipt:
        """Open a case; ``SerialNo`` (the platform's application id) makes a repeat answer the first case."""
        data = self._call("POST", "/mz/apply", timeout=timeout, body={
            "SerialNo": submission.application_id, "ItemCode": submission.item_code,
            "ApplicantName": submission.applicant_name, "ApplicantIdNo": submission.applicant_id_number,
            "Form": dict(submission.form), "SubmittedAt": int(submission.submitted_at.timestamp() * 1000)})
        read = Reader(self.department_code)
        data = read.obj(data, "Payload")
        return IntakeReceipt(read.string(data, "CaseNo", "Payload"), read.boolean(data, "Repeated", "Payload"))


def _stage(read: Reader, raw: Mapping[str, Any], where: str) -> str:
    """The case state of a numbered ``Stage`` (1 预审 ... 7 办结)."""
    stage = read.integer(raw, "Stage", where)
    if not 1 <= stage <= len(_STAGES):
        raise read.fail(f"{where}.Stage: unknown stage {stage}")
    return _STAGES[stage - 1]
