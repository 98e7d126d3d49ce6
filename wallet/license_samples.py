"""Deterministic, realistic demo values for every license type (names, Qingdao addresses, numbers, dates)."""

from __future__ import annotations

import datetime as _dt
import random
import re
from collections.abc import Callable
from typing import Any

from wallet.identifiers import (
    InvalidIdentifier,
    make_license_id,
    normalize_resident_id,
    normalize_unified_credit_code,
    resident_id_check_digit,
    unified_credit_code_check_char,
)
from wallet.license_sample_templates import template
from wallet.license_types import DOCUMENT, EITHER, FIRST_OWN_KEY, ORGANIZATION, LicenseType

__all__ = [
    "SURNAMES", "GIVEN_NAME_CHARS", "DISTRICTS", "STREETS", "resident_id", "sample_parts", "issuer_code",
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_NAME_CHARS = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰婷宇浩然子涵欣怡梓轩一诺雨泽思远佳琪晨阳博文"
#: Qingdao's districts and county-level cities with their GB/T 2260 area codes, as the Ministry of Civil
#: Affairs lists them since 即墨 became a district in 2017 (370282 即墨市 -> 370215 即墨区; 2012 merged
#: 370205 四方区 into 市北 and 370284 胶南市 into 黄岛). ID numbers keep the code of their first
#: registration, so older numbers may still carry 370205, 370282 or 370284: the re-identification audit
#: (wallet.reidentification) counts over these ten only, the choice that favours the attacker.
DISTRICTS = {
    "市南区": "370202", "市北区": "370203", "黄岛区": "370211", "崂山区": "370212", "李沧区": "370213",
    "城阳区": "370214", "即墨区": "370215", "胶州市": "370281", "平度市": "370283", "莱西市": "370285",
}
STREETS = (
    "香港中路", "山东路", "延安三路", "辽阳西路", "长江中路", "黑龙江中路", "崂山路", "正阳路", "珠江路", "南京路",
)
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
# Days a license of each type stays valid from its start; absent = no end (长期).
_VALIDITY_DAYS = {
    "id_card": 20 * 365 + 5, "driving_license": 6 * 365 + 1, "social_security_card": 10 * 365 + 2,
    "housing_fund_certificate": 90, "disability_certificate": 10 * 365 + 2, "residence_permit": 365,
    "exit_entry_permit": 10 * 365 + 2, "medical_insurance_voucher": 365, "health_card": 10 * 365 + 2,
    "veteran_preferential_card": 6 * 365 + 1, "food_business_permit": 5 * 365 + 1,
    "physician_practice_certificate": 5 * 365 + 1,
}
_TEMPLATE = re.compile(r"\{(\w+)(?::([^}]*))?\}")


def resident_id(rng: random.Random, birth: _dt.date | None = None, *, male: bool | None = None) -> str:
    """Return a valid Qingdao resident ID number drawn from ``rng``."""
    birth = birth or _dt.date(1950, 1, 1) + _dt.timedelta(days=rng.randrange(60 * 365))
    seq = rng.randrange(1000)
    if male is not None and seq % 2 != int(male):
        seq = (seq + 1) % 1000
    body = rng.choice(list(DISTRICTS.values())) + birth.strftime("%Y%m%d") + f"{seq:03d}"
    return body + resident_id_check_digit(body)


def issuer_code(ltype: LicenseType) -> str:
    """Return the (demo) unified social credit code of the Qingdao office issuing ``ltype``."""
    body = f"11370200MB{ltype.number:07d}"
    return body + unified_credit_code_check_char(body)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_NAME_CHARS) for _ in range(rng.randint(1, 2)))


def _render(template: str, rng: random.Random, today: _dt.date, holder_code: str) -> str:
    def one(match: re.Match[str]) -> str:
        op: str = match.group(1)
        arg: str = match.group(2) or ""
        if op == "pick":
            return rng.choice(arg.split("|"))
        if op == "digits":
            return "".join(rng.choice("0123456789") for _ in range(int(arg)))
        if op == "upper":
            return "".join(rng.choice(_UPPER) for _ in range(int(arg)))
        if op == "n":
            low, high = arg.split("-")
            return str(rng.randint(int(low), int(high)))
        if op == "plate":
            return rng.choice(_UPPER) + "".join(rng.choice(_UPPER + "0123456789" * 3) for _ in range(4))
        simple: dict[str, Callable[[], str]] = {
            "district": lambda: rng.choice(list(DISTRICTS)),
            "street": lambda: rng.choice(STREETS),
            "name": lambda: _name(rng),
            "resident_id": lambda: resident_id(rng),
            "holder_code": lambda: holder_code,
            "yyyy": lambda: str(rng.randint(today.year - 15, today.year - 1)),
            "yyyymm": lambda: (today.replace(day=1) - _dt.timedelta(days=1)).strftime("%Y-%m"),
            "date_time": lambda: f"{_past(rng, today, 0, 5)} {rng.randrange(24):02d}:{rng.randrange(60):02d}",
        }
        return simple[op]()

    return _TEMPLATE.sub(one, template)


def _past(rng: random.Random, today: _dt.date, min_days: int, max_years: int) -> _dt.date:
    return today - _dt.timedelta(days=rng.randint(min_days, max(min_days, max_years * 365)))


def _holder(ltype: LicenseType, name: str, code: str, rng: random.Random) -> tuple[str, str, dict[str, str]]:
    """Return the holder name and code fitting the type's holder kind, plus fields they imply."""
    implied: dict[str, str] = {}
    if ltype.holder_kind in (ORGANIZATION, EITHER):
        try:
            return name, normalize_unified_credit_code(code), implied
        except InvalidIdentifier:
            if ltype.holder_kind == EITHER:
                return name, normalize_resident_id(code), implied
        subject = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
        body = "91" + rng.choice(list(DISTRICTS.values())) + "MA" + subject
        implied["legal_representative"] = name
        company = f"青岛{rng.choice(STREETS)[:2]}{rng.choice(('商贸', '科技', '餐饮', '物流'))}有限公司"
        return company, body + unified_credit_code_check_char(body), implied
    if ltype.holder_kind == DOCUMENT:
        return name, code, implied
    code = normalize_resident_id(code)
    implied["birth_date"] = f"{code[6:10]}-{code[10:12]}-{code[12:14]}"
    implied["gender"] = "男" if int(code[16]) % 2 else "女"
    return name, code, implied


def sample_parts(
    ltype: LicenseType, holder_name: str, holder_code: str, serial: str, today: _dt.date
) -> dict[str, Any]:
    """Return the keyword arguments of a realistic ``License`` of ``ltype`` that is valid on ``today``."""
    rng = random.Random(f"{ltype.code}|{holder_code}|{serial}")
    name, code, implied = _holder(ltype, holder_name, holder_code, rng)
    valid_from = _past(rng, today, 1, 4)
    days = _VALIDITY_DAYS.get(ltype.code)
    valid_until = None if days is None else max(valid_from + _dt.timedelta(days=days), today)
    earliest = _dt.date.fromisoformat(implied.get("birth_date", "1990-01-01"))
    fields: dict[str, str] = {}
    for spec in ltype.fields:
        if spec.key < FIRST_OWN_KEY:
            continue
        if spec.name in implied:
            fields[spec.name] = implied[spec.name]
        elif spec.kind == "enum":
            fields[spec.name] = spec.choices[0] if rng.random() < 0.7 else rng.choice(spec.choices)
        elif spec.name == "inspection_until":
            fields[spec.name] = (today + _dt.timedelta(days=rng.randint(30, 700))).isoformat()
        elif spec.kind == "date":
            span = max(1, (valid_from - earliest).days)
            fields[spec.name] = (valid_from - _dt.timedelta(days=rng.randrange(min(span, 3650)))).isoformat()
        else:
            fields[spec.name] = _render(template(ltype.code, spec.name), rng, today, code)[: spec.max_length]
    issuer = issuer_code(ltype)
    return {
        "type_code": ltype.code,
        "identifier": make_license_id(ltype.gb_type_code, issuer, serial),
        "issuer_code": issuer,
        "holder_name": name,
        "holder_code": code,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "fields": fields,
    }
