"""The public credit platform's sandbox: the platform's v3 wire format over the demo people's credit records.

Every person the registry knows has a record: 张伟 an award, 王芳 and 李娜 teacher qualifications, 刘洋 an
administrative penalty in force, 陈静 a qualification and an award, 赵磊 is on the list of dishonest judgment
debtors (失信被执行人); a newcomer's record is empty. Broken commitments reported to it join the subject's
record (in memory, per process). As a separate process: ``gunicorn 'services_catalog.sandbox:credit_app()'``.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any, Mapping

import httpx

from ..adapters.credit import WIRE_CATEGORIES, WIRE_DATE, WIRE_LISTS, WIRE_STATUSES, CreditPlatformAdapter
from ..credit import RESTRICTION_LISTS, CreditCategory, CreditEntry, Listing, RepairRoute
from .citizens import DEMO_CITIZENS
from .common import Answer, DepartmentSandbox, Request, SandboxTransport
from .registry import PeopleRegistry
from .script import Script

__all__ = ["CreditSandbox", "DEMO_CREDIT", "DEMO_LISTINGS", "sandbox_credit_platform", "credit_app"]

_CATEGORY_CODES = {domain: wire for wire, domain in WIRE_CATEGORIES.items()}
_STATUS_CODES = {domain: wire for wire, domain in WIRE_STATUSES.items()}
_LIST_CODES = {domain: wire for wire, domain in WIRE_LISTS.items()}


def _entry(category: CreditCategory, title: str, source: str, date: str, status: str, reference: str) -> CreditEntry:
    return CreditEntry(category, title, source, dt.date.fromisoformat(date), status, reference)


_P, _Q, _A = CreditCategory.PENALTY, CreditCategory.QUALIFICATION, CreditCategory.AWARD
#: each demo person's record by their position in DEMO_CITIZENS, newest first
_RECORDS: tuple[tuple[CreditEntry, ...], ...] = (
    (_entry(_A, "青岛市无偿献血奉献奖", "青岛市卫生健康委员会", "2024-06-14", "valid", "青卫表〔2024〕21号"),),
    (_entry(_Q, "教师资格（高级中学 英语）", "青岛市教育局", "2012-07-01", "valid", "20123702XXX0042"),),
    (_entry(_Q, "教师资格（小学 语文）", "青岛市市南区教育和体育局", "2016-08-20", "valid", "20163702XXX0107"),),
    (_entry(_P, "未按规定在经营场所显著位置悬挂食品经营许可证，警告并处罚款2000元", "青岛市崂山区市场监督管理局",
            "2025-09-18", "in_force", "青崂市监罚〔2025〕0312号"),),
    (_entry(_A, "青岛市优秀医师", "青岛市卫生健康委员会", "2023-08-19", "valid", "青卫人〔2023〕9号"),
     _entry(_Q, "医师执业证书（内科专业）", "青岛市卫生健康委员会", "2014-03-10", "valid", "110370200012345")),
    (),
)
#: ID number -> record of the demo people
DEMO_CREDIT: Mapping[str, tuple[CreditEntry, ...]] = {
    person.citizen.id_number: entries for person, entries in zip(DEMO_CITIZENS, _RECORDS)}
#: ID number -> the restriction lists a demo person is on
DEMO_LISTINGS: Mapping[str, tuple[Listing, ...]] = {DEMO_CITIZENS[5].citizen.id_number: (Listing(
    list_code="court_dishonest_debtors", list_name=RESTRICTION_LISTS["court_dishonest_debtors"],
    reason="有履行能力而拒不履行生效法律文书确定的给付义务（（2025）鲁02执1234号）", since=dt.date(2025, 6, 18),
    authority="青岛市中级人民法院",
    repair=RepairRoute(steps="履行生效法律文书确定的义务，或与申请执行人达成和解并履行，由执行法院删除失信信息；"
                             "删除后可申请信用修复", authority="青岛市中级人民法院",
                       apply_at="信用中国（山东青岛）网站“信用修复”栏目，或市民中心信用服务窗口")),)}


class CreditSandbox(DepartmentSandbox):
    """The credit platform's records, restriction lists and commitment breaches for the registry's people."""

    kind = "credit"
    routes = {
        ("POST", "/api/credit/v3/subject/profile"): ("credit_record", "profile"),
        ("POST", "/api/credit/v3/subject/restrictions"): ("standing", "restrictions"),
        ("POST", "/api/credit/v3/commitments/breach"): ("record_broken_commitment", "breach"),
    }
    corruptible = {
        "missing_field": ("items", "hits", "recordNo", "success"),
        "wrong_type": ("items", "hits", "recordNo", "success"),
        "bad_date": ("decidedOn", "listedOn"),
        "bad_date_value": ("2025年02月30日",),
    }

    def __init__(self, script: Script | None = None, *, registry: PeopleRegistry | None = None) -> None:
        super().__init__(script, registry=registry)
        self._lock = threading.Lock()
        self._breaches: dict[str, tuple[str, str, CreditEntry]] = {}  # commitmentNo -> (certNo, recordNo, entry)

    def error(self, status: int, message: str) -> Answer:
        """The platform answers with the real HTTP status and ``success: false``."""
        code = f"SYS_{status}" if status >= 500 else f"PARAM_{status}"
        return Answer(status, {"success": False, "errorCode": code, "errorMessage": message, "body": None})

    @staticmethod
    def _ok(body: Any) -> Answer:
        return Answer(200, {"success": True, "errorCode": "", "errorMessage": "", "body": body})

    def _subject(self, request: Request) -> tuple[str | None, Answer | None]:
        """The subject's ID number, or the refusal: a name that does not match the number is the caller's fault."""
        body = request.body if isinstance(request.body, dict) else {}
        raw = body.get("subject")
        subject: dict[str, Any] = raw if isinstance(raw, dict) else {}
        cert_no, name = subject.get("certNo"), subject.get("name")
        if subject.get("type") != "NATURAL_PERSON" or not cert_no or not name:
            return None, self.error(400, "subject.type, certNo and name are required")
        if self.person(cert_no, name)[0] == "mismatch":
            return None, self.error(400, "the name does not match the certificate number")
        return str(cert_no), None

    def entries(self, cert_no: str) -> tuple[CreditEntry, ...]:
        """A subject's record now: reported breaches first (newest first), then the demo record."""
        with self._lock:
            breaches = [entry for owner, _, entry in reversed(self._breaches.values()) if owner == cert_no]
        return tuple(breaches) + DEMO_CREDIT.get(cert_no, ())

    def profile(self, request: Request) -> Answer:
        """The subject's record: every entry with its category, authority, date, status and document number."""
        cert_no, refused = self._subject(request)
        if cert_no is None:
            return refused or self.error(400, "bad subject")
        return self._ok({"items": [
            {"category": _CATEGORY_CODES[e.category.value], "title": e.title, "deptName": e.source,
             "decidedOn": e.date.strftime(WIRE_DATE), "state": _STATUS_CODES[e.status], "docNo": e.reference}
            for e in self.entries(cert_no)]})

    def restrictions(self, request: Request) -> Answer:
        """The subject's places on the lists asked about (``listCodes`` empty: every list)."""
        cert_no, refused = self._subject(request)
        if cert_no is None:
            return refused or self.error(400, "bad subject")
        asked = request.body.get("listCodes")
        if not isinstance(asked, list) or any(code not in WIRE_LISTS for code in asked):
            return self.error(400, "listCodes must be a list of known list codes")
        return self._ok({"hits": [
            {"listCode": _LIST_CODES[hit.list_code], "listName": hit.list_name, "cause": hit.reason,
             "listedOn": hit.since.strftime(WIRE_DATE), "deptName": hit.authority,
             "repair": {"procedure": hit.repair.steps, "deptName": hit.repair.authority,
                        "channel": hit.repair.apply_at}}
            for hit in DEMO_LISTINGS.get(cert_no, ()) if not asked or _LIST_CODES[hit.list_code] in asked]})

    def breach(self, request: Request) -> Answer:
        """Record a commitment not honoured on the subject's record, once per ``commitmentNo``."""
        cert_no, refused = self._subject(request)
        if cert_no is None:
            return refused or self.error(400, "bad subject")
        body = request.body
        number, item, name, materials = (body.get("commitmentNo"), body.get("itemCode"), body.get("itemName"),
                                         body.get("materials"))
        try:
            due = dt.datetime.strptime(str(body.get("dueOn")), WIRE_DATE).date()
        except ValueError:
            return self.error(400, "dueOn must be a date like 2026年01月31日")
        if not (isinstance(number, str) and number and isinstance(item, str) and item and isinstance(name, str)
                and isinstance(materials, list) and all(isinstance(m, str) for m in materials)):
            return self.error(400, "commitmentNo, itemCode, itemName and materials are required")
        with self._lock:
            if number not in self._breaches:
                entry = CreditEntry(CreditCategory.BROKEN_COMMITMENT, f"{name}：承诺于{due.isoformat()}前补交"
                                    f"{'、'.join(materials)}，未履行", str(body.get("deptName") or "青岛市政务服务平台"),
                                    due, "recorded", f"CNWLX-{len(self._breaches) + 1:06d}")
                self._breaches[number] = (cert_no, entry.reference, entry)
            owner, record_no, _ = self._breaches[number]
        if owner != cert_no:
            return self.error(409, "this commitmentNo was reported for another subject")
        return self._ok({"recordNo": record_no})


def sandbox_credit_platform(sandbox: CreditSandbox | None = None) -> CreditPlatformAdapter:
    """The production adapter talking to ``sandbox`` (else a fresh one over the demo people) in-process."""
    app = sandbox or CreditSandbox()
    return CreditPlatformAdapter(httpx.Client(transport=SandboxTransport(app), base_url="http://credit.sandbox"))


def credit_app(registry_path: str | None = None) -> CreditSandbox:
    """The credit platform sandbox for gunicorn (``'services_catalog.sandbox:credit_app("people.json")'``)."""
    return CreditSandbox(registry=PeopleRegistry(registry_path))
