"""What the departments share about each demo person (数据共享), derived from what they already hold.

The sandboxes render these records in their own wire formats and the fakes return them as they are, so an
adapter's mapping can be checked against :func:`demo_shared_record`.
"""

from __future__ import annotations

from typing import Any

from ..shared_records import SharedRecord
from .citizens import DemoCitizen
from .issued import records_of

__all__ = ["PERSONAL_RATE", "HOUSING_FUND_RATE_PCT", "demo_shared_record"]

#: the employee's social-insurance share of the base: pension 8 %, medical 2 %, unemployment 0.5 %
PERSONAL_RATE = 0.105
#: the housing-fund deposit rate of employer and employee each (Qingdao allows 5 % to 12 %)
HOUSING_FUND_RATE_PCT = 12
# uninterrupted months up to the last payment, when shorter than the whole record (a change of job, a gap)
_SS_CONTINUOUS = {"张伟": 98, "李娜": 180, "赵磊": 36}
_HF_CONTINUOUS = {"张伟": 126, "王芳": 87, "陈静": 64}


def _months_back(last: str, count: int) -> list[str]:
    """``count`` months ending with ``last`` (``YYYY-MM``), oldest first."""
    year, month = int(last[:4]), int(last[5:7])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _social_security(demo: DemoCitizen) -> dict[str, Any] | None:
    ss = demo.social_security
    if ss is None:
        return None
    base = round(ss.last_payment_fen / PERSONAL_RATE / 100) * 100  # bases are set in whole yuan
    months = []
    for month in _months_back(ss.last_payment_month, min(12, ss.contribution_months)):
        # the base is reset every July from last year's average wage: months before it ran on a 5 % lower one
        this_base = base if month >= f"{ss.last_payment_month[:4]}-07" or ss.last_payment_month[5:] < "07" \
            else round(base * 0.95 / 100) * 100
        amount = ss.last_payment_fen if this_base == base else round(this_base * PERSONAL_RATE)
        months.append({"month": month, "base_fen": this_base, "amount_fen": amount})
    return {"employer": ss.employer, "status": ss.status, "base_fen": base,
            "total_months": ss.contribution_months,
            "continuous_months": min(_SS_CONTINUOUS.get(demo.citizen.name, ss.contribution_months),
                                     ss.contribution_months) if ss.status != "terminated" else 0,
            "last_paid_month": ss.last_payment_month, "months": months}


def _housing_fund(demo: DemoCitizen) -> dict[str, Any] | None:
    hf = demo.housing_fund
    if hf is None:
        return None
    active = hf.account_status == "normal" and hf.monthly_deposit_fen > 0
    base = round(hf.monthly_deposit_fen * 100 / (2 * HOUSING_FUND_RATE_PCT) / 100) * 100
    last = hf.last_deposit_on.strftime("%Y-%m")
    deposits = [{"month": m, "amount_fen": hf.monthly_deposit_fen} for m in _months_back(last, 12)] if active else []
    return {"account_number": hf.account_number, "employer": hf.employer, "account_status": hf.account_status,
            "base_fen": base, "employer_rate_pct": HOUSING_FUND_RATE_PCT, "personal_rate_pct": HOUSING_FUND_RATE_PCT,
            "continuous_months": _HF_CONTINUOUS.get(demo.citizen.name, 12) if active else 0,
            "last_deposit_on": hf.last_deposit_on.isoformat(), "deposits": deposits}


def _household(demo: DemoCitizen) -> dict[str, Any] | None:
    register = next((lic for lic in demo.licenses if lic.license_type == "household_register"), None)
    if register is None:
        return None  # registered in another city: the city's police hold no household page
    f = register.fields
    return {"household_number": f["household_number"], "household_type": f["household_type"],
            "head_name": f["head_name"], "relation": f["relation"], "address": f["address"],
            "native_place": f["native_place"], "registered_on": register.issued_on.isoformat(),
            "police_station": register.issuer_name}


#: the register's registrations that set a marital status, and the status each sets
_REGISTRATIONS = {"marriage_certificate": "married", "divorce_certificate": "divorced"}


def _marriage(demo: DemoCitizen) -> dict[str, Any] | None:
    """The newest marriage or divorce registration of the person (its date and office), else unmarried."""
    registered = sorted((r["issued_on"], r["license_type"], r["issuer_name"])
                        for r in records_of(demo.citizen.id_number) if r["license_type"] in _REGISTRATIONS)
    if not registered:
        return {"status": "unmarried", "since": None, "office": ""}
    issued_on, kind, office = registered[-1]
    return {"status": _REGISTRATIONS[kind], "since": issued_on, "office": office}


_BUILDERS = {"social_security_payments": _social_security, "housing_fund_deposits": _housing_fund,
             "household_registration": _household, "marriage_status": _marriage}


def demo_shared_record(demo: DemoCitizen, source: str, department_code: str) -> SharedRecord | None:
    """The record of ``source`` a department holds about ``demo`` (None: none), as its adapter should map it."""
    data = _BUILDERS[source](demo)
    return None if data is None else SharedRecord(source, department_code, data)
