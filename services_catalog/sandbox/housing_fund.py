"""The housing fund centre's sandbox: pinyin-initial JSON fields, offset paging, yuan as decimal strings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..items import item_to_dict
from .common import Answer, DepartmentSandbox, Request
from .shared_demo import demo_shared_record

__all__ = ["HousingFundSandbox"]

_CST = dt.timezone(dt.timedelta(hours=8))
_JG = {"match": "1", "mismatch": "2", "not_found": "3"}
_ZHZT = {"normal": "01", "sealed": "02", "closed": "03"}


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _ymd(day: dt.date) -> str:
    return day.strftime("%Y/%m/%d")


class HousingFundSandbox(DepartmentSandbox):
    """The centre's account registry, deposit certificates and catalog feed."""

    kind = "housing_fund"
    routes = {
        ("GET", "/gjj/sxml"): ("feed", "feed"),
        ("POST", "/gjj/smrz"): ("identity", "verify"),
        ("POST", "/gjj/grzh"): ("records", "account"),
        ("POST", "/gjj/jcmx"): ("shared", "deposits"),
    }
    corruptible = {
        "missing_field": ("jg", "zhye", "zs", "jcjs"),
        "wrong_type": ("jg", "zhye", "jl", "jcjs"),
        "bad_date": ("zjjcrq", "gxsj"),
        "bad_date_value": ("2026/02/31",),
    }

    def error(self, status: int, message: str) -> Answer:
        """The centre answers errors as bare HTTP statuses with a Chinese text body."""
        text = {400: "请求参数错误", 404: "接口不存在"}.get(status, "系统维护中，请稍后再试" if status >= 500 else "拒绝访问")
        return Answer(status, f"{text}（{message}）", text=True)

    def feed(self, request: Request) -> Answer:
        """Serve ``ts`` items from offset ``ks`` among those changed at or after ``gxsjq``."""
        try:
            start, count = int(request.query.get("ks", "0")), int(request.query.get("ts", "20"))
            since = dt.datetime.strptime(request.query.get("gxsjq", "1970/01/01 08:00:00"),
                                         "%Y/%m/%d %H:%M:%S")
        except ValueError:
            return self.error(400, "ks/ts/gxsjq")
        if start < 0 or not 1 <= count <= 100:
            return self.error(400, "ks/ts")
        rows = self.catalog.changed_since(since.replace(tzinfo=_CST))
        return Answer(200, {"zs": len(rows), "jl": [
            {"sxbm": item.impl_code, "sxmc": item.name,
             "gxsj": at.astimezone(_CST).strftime("%Y/%m/%d %H:%M:%S"), "sxxq": item_to_dict(item)}
            for at, item in rows[start:start + count]]})

    def verify(self, request: Request) -> Answer:
        """Answer 实名认证: 1 一致, 2 不一致, 3 查无此人."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("zjhm") or not body.get("xm"):
            return self.error(400, "zjhm/xm")
        outcome, _ = self.person(body["zjhm"], body["xm"])
        return Answer(200, {"jg": _JG[outcome]})

    def account(self, request: Request) -> Answer:
        """Return the personal account (个人账户) and its deposit certificate, or ``cxjg: "0"``."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("zjhm") or not body.get("xm"):
            return self.error(400, "zjhm/xm")
        _, demo = self.person(body["zjhm"], body["xm"])
        if demo is None or demo.housing_fund is None:
            return Answer(200, {"cxjg": "0"})
        hf = demo.housing_fund
        cert = next((lic for lic in demo.licenses if lic.license_type == "housing_fund_certificate"), None)
        data: dict[str, Any] = {
            "cxjg": "1", "zgxm": demo.citizen.name, "zjhm": demo.citizen.id_number, "grzh": hf.account_number,
            "zhzt": _ZHZT[hf.account_status], "dwmc": hf.employer, "zhye": _yuan(hf.balance_fen),
            "yjce": _yuan(hf.monthly_deposit_fen), "zjjcrq": _ymd(hf.last_deposit_on),
            "jczm": None if cert is None or cert.valid_until is None else {
                "zmbh": cert.serial, "kjrq": _ymd(cert.issued_on), "yxqz": _ymd(cert.valid_until),
                "jgdm": cert.issuer_code, "jgmc": cert.issuer_name},
        }
        return Answer(200, data)

    def deposits(self, request: Request) -> Answer:
        """Return the deposit record (缴存明细): base, both rates, continuity and the months deposited; or ``cxjg: "0"``."""
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("zjhm") or not body.get("xm"):
            return self.error(400, "zjhm/xm")
        _, demo = self.person(body["zjhm"], body["xm"])
        record = None if demo is None else demo_shared_record(demo, "housing_fund_deposits", "housing_fund")
        if record is None:
            return Answer(200, {"cxjg": "0"})
        d = record.data
        return Answer(200, {
            "cxjg": "1", "grzh": d["account_number"], "dwmc": d["employer"], "zhzt": _ZHZT[d["account_status"]],
            "jcjs": _yuan(d["base_fen"]), "dwjcbl": f"{d['employer_rate_pct']}%",
            "grjcbl": f"{d['personal_rate_pct']}%",
            "lxjcys": d["continuous_months"], "zjjcrq": d["last_deposit_on"].replace("-", "/"),
            "jcmx": [{"ny": m["month"].replace("-", ""), "je": _yuan(m["amount_fen"])} for m in d["deposits"]],
        })
