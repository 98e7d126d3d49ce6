"""Realistic department records for a person added to the sandboxes, derived deterministically from their data."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Iterable

from ..records import LICENSE_TYPES, Citizen, HousingFundSummary, LicenseRecord, SocialSecuritySummary
from .citizens import (
    BRANCHES,
    DemoCitizen,
    add_years,
    driving_record,
    housing_fund_certificate_record,
    id_card_record,
    social_security_card_record,
    vehicle_record,
)

__all__ = ["RECORDS_AS_OF", "generate_person"]

#: the sandboxes' "today": generated records are issued before it and summaries are as of it
RECORDS_AS_OF = dt.date(2026, 11, 20)
_STREETS = ("香港中路", "延安三路", "辽宁路", "长江中路", "海尔路", "京口路", "正阳路", "福州南路", "山东路")
_EMPLOYERS = ("青岛啤酒股份有限公司", "海尔智家股份有限公司", "海信集团控股股份有限公司", "青岛港集团有限公司",
              "青岛地铁集团有限公司", "青岛大学附属医院")
_BANKS = ("青岛银行", "中国工商银行", "中国建设银行", "中国农业银行", "青岛农商银行")
_MODELS = (("小型轿车", "大众汽车牌SVW7141BRD"), ("小型新能源轿车", "比亚迪牌BYD7005BEVA"),
           ("小型普通客车", "丰田牌GTM7200HEV"))
#: a driving licence's terms: the first six years, renewed for ten, then for life (长期)
_DRIVING_TERMS: tuple[int | None, ...] = (6, 10, None)
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


class _Dice:
    """Deterministic choices drawn from a digest of the person's data, so regenerating gives the same records."""

    def __init__(self, seed: str) -> None:
        self._value = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest() * 4, "big")

    def below(self, n: int) -> int:
        """Return a number in ``range(n)`` and move on."""
        self._value, rest = divmod(self._value, n)
        return rest

    def digits(self, count: int) -> str:
        """Return ``count`` decimal digits."""
        return "".join(str(self.below(10)) for _ in range(count))

    def chars(self, alphabet: str, count: int) -> str:
        """Return ``count`` characters of ``alphabet``."""
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(count))

    def pick(self, options: tuple[str, ...]) -> str:
        """Return one of ``options``."""
        return options[self.below(len(options))]

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        """Return a day in ``[start, end]`` (``start`` when the range is empty)."""
        return start + dt.timedelta(days=self.below(max((end - start).days, 0) + 1))


def _card_years(birth: dt.date, issued: dt.date) -> int | None:
    """GB 11643 validity by age at issue: under 16 five years, to 25 ten, to 45 twenty, then 长期."""
    age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
    return 5 if age < 16 else 10 if age <= 25 else 20 if age <= 45 else None


def generate_person(name: str, id_number: str, phone: str, licenses: Iterable[str]) -> DemoCitizen:
    """Return a person holding the ``licenses`` asked for (always an ID card), with the summaries they imply.

    ``id_number`` must be valid (see ``is_valid_resident_id``); everything else is drawn from it and the name.
    """
    wanted = set(licenses) | {"id_card"}
    unknown = wanted - set(LICENSE_TYPES)
    if unknown:
        raise ValueError(f"unknown license types {sorted(unknown)}; known: {list(LICENSE_TYPES)}")
    dice = _Dice(f"{id_number}|{name}")
    citizen = Citizen(id_number, name)
    birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    adult = min(add_years(birth, 18), RECORDS_AS_OF - dt.timedelta(days=400))
    sex = "男" if int(id_number[16]) % 2 else "女"
    district = BRANCHES.get(id_number[:6], "市南")
    address = f"山东省青岛市{district}区{dice.pick(_STREETS)}{1 + dice.below(300)}号"
    card_issued = dice.day_between(max(birth, RECORDS_AS_OF - dt.timedelta(days=3650)),
                                   RECORDS_AS_OF - dt.timedelta(days=30))
    records: list[LicenseRecord] = [id_card_record(citizen, sex, address, card_issued, _card_years(birth, card_issued))]
    if "driving_license" in wanted:
        first = dice.day_between(adult, RECORDS_AS_OF - dt.timedelta(days=60))
        issued, valid = first, _DRIVING_TERMS[0]
        for longer in _DRIVING_TERMS[1:]:
            if valid is not None and add_years(issued, valid) <= RECORDS_AS_OF:
                issued, valid = add_years(issued, valid), longer
        records.append(driving_record(citizen, "3702" + dice.digits(8), first.isoformat(), issued.isoformat(), valid))
    if "vehicle_license" in wanted:
        kind, model = _MODELS[dice.below(len(_MODELS))]
        registered = dice.day_between(adult, RECORDS_AS_OF - dt.timedelta(days=30)).isoformat()
        records.append(vehicle_record(citizen, "3702001" + dice.digits(8), "鲁B·" + dice.chars(_PLATE_CHARS, 5), kind,
                                      model, "LSV" + dice.chars(_VIN_CHARS, 13), registered))
    employer = dice.pick(_EMPLOYERS)
    social_security = housing_fund = None
    if "social_security_card" in wanted:
        issued = dice.day_between(adult, RECORDS_AS_OF - dt.timedelta(days=30))
        records.append(social_security_card_record(citizen, "A370" + dice.digits(5), dice.pick(_BANKS),
                                                   issued.isoformat()))
        months = max(1, (RECORDS_AS_OF - issued).days // 30)
        payment = 40_000 + 100 * dice.below(800)
        social_security = SocialSecuritySummary(True, "active", employer, months, "2026-10", payment,
                                                months * payment // 3)
    if "housing_fund_certificate" in wanted:
        account = "370200" + dice.digits(6)
        records.append(housing_fund_certificate_record(citizen, "GJJZM202611" + dice.digits(4), account, employer,
                                                       (RECORDS_AS_OF - dt.timedelta(days=2)).isoformat()))
        monthly = 100_000 + 100 * dice.below(4_000)
        housing_fund = HousingFundSummary(account, "normal", employer, monthly * (12 + dice.below(120)), monthly,
                                          RECORDS_AS_OF - dt.timedelta(days=10))
    order = {kind: i for i, kind in enumerate(LICENSE_TYPES)}
    records.sort(key=lambda lic: order[lic.license_type])
    return DemoCitizen(citizen, tuple(records), social_security, housing_fund, phone)
