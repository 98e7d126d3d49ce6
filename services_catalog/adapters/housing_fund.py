"""Adapter for the housing provident fund centre (公积金) API.

JSON with pinyin-initial field names (``zgxm`` 职工姓名, ``zjhm`` 证件号码, ``zhye`` 账户余额, ...), offset
paging (``ks`` start, ``ts`` count, ``zs`` total), dates ``YYYY/MM/DD``, amounts as decimal strings in yuan.
Errors are plain HTTP 4xx / 5xx with a text body.
"""

from __future__ import annotations

from typing import Any

from ..ports import FeedItem, FeedPage
from ..records import Citizen, CitizenRecord, HousingFundSummary, IdentityOutcome, LicenseRecord
from ..shared_records import SharedRecord
from .cursor import FeedCursor
from .transport import HttpDepartment
from .wire import CHINA_TZ, Reader

__all__ = ["HousingFundAdapter"]

_DATE = "%Y/%m/%d"
_TIME = "%Y/%m/%d %H:%M:%S"
_JG = {"1": IdentityOutcome.MATCH.value, "2": IdentityOutcome.MISMATCH.value,
       "3": IdentityOutcome.NOT_FOUND.value}
_ZHZT = {"01": "normal", "02": "sealed", "03": "closed"}


class HousingFundAdapter(HttpDepartment):
    """Catalog feed, account summary and deposit certificate of the housing fund centre."""

    def _call(self, method: str, path: str, *, timeout: float, **kwargs: Any) -> Any:
        response = self._send(method, path, timeout=timeout, **kwargs)
        self._raise_for_status(response)
        return Reader(self.department_code).obj(self._json(response), "body")

    def fetch_items(self, since: str | None, *, timeout: float) -> FeedPage:
        """Return one page of items updated at or after the cursor's watermark."""
        cursor = FeedCursor.decode(since, "0")
        offset = int(cursor.position)
        since_local = cursor.since.astimezone(CHINA_TZ).strftime(_TIME)
        data = self._call("GET", "/gjj/sxml", timeout=timeout,
                          params={"ks": offset, "ts": self.page_size, "gxsjq": since_local})
        read = Reader(self.department_code)
        total = read.integer(data, "zs", "body")
        rows = read.array(data, "jl", "body")
        items = tuple(self._item(read, raw, f"jl[{i}]") for i, raw in enumerate(rows))
        seen = [i.updated_at for i in items]
        if items and offset + len(items) < total:
            return FeedPage(items, cursor.next(str(offset + len(items)), seen).encode(), True)
        return FeedPage(items, cursor.drained(seen, "0").encode(), False)

    def _item(self, read: Reader, raw: Any, where: str) -> FeedItem:
        return read.feed_item(raw, where, code_key="sxbm", time_key="gxsj", time_fmt=_TIME,
                              detail_key="sxxq")

    def check_identity(self, citizen: Citizen, *, timeout: float) -> IdentityOutcome:
        """Ask the centre's 实名认证 whether name and ID number belong together."""
        body = {"zjhm": citizen.id_number, "xm": citizen.name}
        data = self._call("POST", "/gjj/smrz", timeout=timeout, body=body)
        return IdentityOutcome(Reader(self.department_code).choice(data, "jg", "body", _JG))

    def records(self, citizen: Citizen, *, timeout: float) -> CitizenRecord:
        """Return the account summary and deposit certificate (empty when there is no account)."""
        body = {"zjhm": citizen.id_number, "xm": citizen.name}
        data = self._call("POST", "/gjj/grzh", timeout=timeout, body=body)
        read = Reader(self.department_code)
        if read.choice(data, "cxjg", "body", {"0": "none", "1": "found"}) == "none":
            return CitizenRecord(self.department_code)
        employer = read.string(data, "dwmc", "body")
        account = read.string(data, "grzh", "body")
        summary = HousingFundSummary(
            account_number=account,
            account_status=read.choice(data, "zhzt", "body", _ZHZT),
            employer=employer,
            balance_fen=read.decimal_fen(data, "zhye", "body"),
            monthly_deposit_fen=read.decimal_fen(data, "yjce", "body"),
            last_deposit_on=read.date(data, "zjjcrq", "body", _DATE),
        )
        cert = read.field(data, "jczm", "body")
        licenses = () if cert is None else (
            self._certificate(read, read.obj(cert, "jczm"), data, account, employer),)
        return CitizenRecord(self.department_code, licenses=licenses, housing_fund=summary)

    def shared_record(self, source: str, citizen: Citizen, *, timeout: float) -> SharedRecord | None:
        """Return the deposit record (``housing_fund_deposits``, 缴存明细); None when there is no account."""
        self._serves(source, "housing_fund_deposits")
        data = self._call("POST", "/gjj/jcmx", timeout=timeout, body={"zjhm": citizen.id_number, "xm": citizen.name})
        read = Reader(self.department_code)
        if read.choice(data, "cxjg", "body", {"0": "none", "1": "found"}) == "none":
            return None
        deposits = []
        for i, raw in enumerate(read.array(data, "jcmx", "body")):
            where = f"jcmx[{i}]"
            raw = read.obj(raw, where)
            deposits.append({"month": read.month(raw, "ny", where, "%Y%m"),
                             "amount_fen": read.decimal_fen(raw, "je", where)})
        return SharedRecord(source, self.department_code, {
            "account_number": read.string(data, "grzh", "body"),
            "employer": read.string(data, "dwmc", "body"),
            "account_status": read.choice(data, "zhzt", "body", _ZHZT),
            "base_fen": read.decimal_fen(data, "jcjs", "body"),
            "employer_rate_pct": read.percent(data, "dwjcbl", "body"),
            "personal_rate_pct": read.percent(data, "grjcbl", "body"),
            "continuous_months": read.integer(data, "lxjcys", "body"),
            "last_deposit_on": read.date(data, "zjjcrq", "body", _DATE).isoformat(),
            "deposits": deposits,
        })

    @staticmethod
    def _certificate(read: Reader, cert: Any, data: Any, account: str, employer: str) -> LicenseRecord:
        issued = read.date(cert, "kjrq", "jczm", _DATE)
        return LicenseRecord(
            license_type="housing_fund_certificate",
            serial=read.string(cert, "zmbh", "jczm"),
            holder_name=read.string(data, "zgxm", "body"),
            holder_id_number=read.string(data, "zjhm", "body"),
            issuer_code=read.string(cert, "jgdm", "jczm"),
            issuer_name=read.string(cert, "jgmc", "jczm"),
            issued_on=issued,
            valid_from=issued,
            valid_until=read.date(cert, "yxqz", "jczm", _DATE),
            fields={"account_number": account, "employer": employer},
        )
