"""Demo citizens of Qingdao and what the police, social security and housing fund hold about them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import Citizen, CitizenRecord, HousingFundSummary, LicenseRecord, SocialSecuritySummary

__all__ = [
    "resident_id",
    "is_valid_resident_id",
    "vin",
    "add_years",
    "BRANCHES",
    "id_card_record",
    "driving_record",
    "vehicle_record",
    "social_security_card_record",
    "housing_fund_certificate_record",
    "household_register_record",
    "residence_permit_record",
    "exit_entry_permit_record",
    "DemoCitizen",
    "DEMO_CITIZENS",
    "UNKNOWN_CITIZEN",
    "KIND_LICENSE_TYPES",
    "ISSUERS",
    "demo_record",
]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
               **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

#: which license types each kind of department issues
KIND_LICENSE_TYPES = {
    "police": ("id_card", "driving_license", "vehicle_license", "household_register", "residence_permit",
               "exit_entry_permit"),
    "hrss": ("social_security_card",),
    "housing_fund": ("housing_fund_certificate",),
    "civil_affairs": (),  # its certificates come through the standard issuing interface
}
#: issuing bodies: unified social credit code (check-valid, GB 32100) and name
ISSUERS = {
    "police": ("11370200004186573Q", "青岛市公安局"),
    "traffic": ("113702000041866112", "青岛市公安局交通警察支队"),
    "hrss": ("11370200004187779X", "青岛市人力资源和社会保障局"),
    "housing_fund": ("12370200MB1A123454", "青岛市住房公积金管理中心"),
    "immigration": ("11370200MB14097231", "青岛市公安局出入境管理局"),
}


#: Qingdao district area codes -> the district's name (its police branch is 青岛市公安局<name>分局)
BRANCHES = {"370202": "市南", "370203": "市北", "370211": "黄岛", "370212": "崂山", "370213": "李沧",
            "370214": "城阳"}


def _check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def resident_id(area6: str, birth: dt.date, seq3: str) -> str:
    """Return an 18-digit resident ID number with its GB 11643 check digit, computed locally."""
    first17 = f"{area6}{birth:%Y%m%d}{seq3}"
    return first17 + _check_digit(first17)


def is_valid_resident_id(text: str) -> bool:
    """Tell whether ``text`` is an 18-character resident ID number with a real birth date and GB 11643 check digit.

    The library keeps its own check (``wallet`` has one too, but the two libraries never import each other).
    """
    if len(text) != 18 or not text[:17].isdigit() or not text[:17].isascii():
        return False
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return text[17] == _check_digit(text[:17])


def add_years(day: dt.date, years: int) -> dt.date:
    """Return ``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def vin(body: str) -> str:
    """Return a 17-character VIN from 16 characters (position 9 omitted) with its ISO 3779 check digit."""
    full = body[:8] + "0" + body[8:]
    total = sum(_VIN_VALUES[c] * w for c, w in zip(full, _VIN_WEIGHTS))
    return body[:8] + ("X" if total % 11 == 10 else str(total % 11)) + body[8:]


@dataclass(frozen=True)
class DemoCitizen:
    """A demo citizen and everything the departments hold about them."""

    citizen: Citizen
    licenses: tuple[LicenseRecord, ...]
    social_security: SocialSecuritySummary | None
    housing_fund: HousingFundSummary | None
    #: the mobile number a carrier has registered to this person (运营商实名登记)
    phone: str = ""


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def id_card_record(c: Citizen, sex: str, address: str, issued: dt.date, years: int | None) -> LicenseRecord:
    """Return the resident ID card the police issued ``c`` on ``issued``, valid ``years`` (None: 长期)."""
    branch = BRANCHES.get(c.id_number[:6])
    office = f"青岛市公安局{branch}分局" if branch else ISSUERS["police"][1]
    birth = f"{c.id_number[6:10]}-{c.id_number[10:12]}-{c.id_number[12:14]}"
    return LicenseRecord("id_card", c.id_number, c.name, c.id_number, ISSUERS["police"][0], office, issued, issued,
                         add_years(issued, years) if years else None,
                         {"sex": sex, "ethnicity": "汉", "birth_date": birth, "address": address})


def _person(name: str, area6: str, birth: str, seq3: str, sex: str, address: str, card_issued: str,
            card_years: int | None) -> tuple[Citizen, LicenseRecord]:
    citizen = Citizen(resident_id(area6, _d(birth), seq3), name)
    return citizen, id_card_record(citizen, sex, address, _d(card_issued), card_years)


def driving_record(c: Citizen, file_number: str, first: str, issued: str, years: int | None) -> LicenseRecord:
    """Return a C1 driving licence (file number, first issued, this issue and years valid; None: 长期)."""
    start = _d(issued)
    until = add_years(start, years) if years else None
    return LicenseRecord("driving_license", c.id_number, c.name, c.id_number, ISSUERS["traffic"][0],
                         ISSUERS["traffic"][1], start, start, until,
                         {"permitted_class": "C1", "file_number": file_number, "first_issued_on": first})


def vehicle_record(c: Citizen, serial: str, plate: str, kind: str, model: str, vin_body: str,
                   registered: str) -> LicenseRecord:
    """Return a vehicle licence; ``vin_body`` is the VIN without its check digit."""
    day = _d(registered)
    return LicenseRecord("vehicle_license", serial, c.name, c.id_number, ISSUERS["traffic"][0],
                         ISSUERS["traffic"][1], day, day, None,
                         {"plate_number": plate, "vehicle_type": kind, "brand_model": model,
                          "vin": vin(vin_body), "registered_on": registered})


def social_security_card_record(c: Citizen, card_no: str, bank: str, issued: str) -> LicenseRecord:
    """Return a social security card issued through ``bank``, valid ten years."""
    day = _d(issued)
    return LicenseRecord("social_security_card", card_no, c.name, c.id_number, ISSUERS["hrss"][0],
                         ISSUERS["hrss"][1], day, day, add_years(day, 10),
                         {"card_number": card_no, "bank": bank})


def housing_fund_certificate_record(c: Citizen, serial: str, account: str, employer: str,
                                    issued: str) -> LicenseRecord:
    """Return a housing fund deposit certificate (缴存证明), valid 90 days."""
    day = _d(issued)
    return LicenseRecord("housing_fund_certificate", serial, c.name, c.id_number, ISSUERS["housing_fund"][0],
                         ISSUERS["housing_fund"][1], day, day, day + dt.timedelta(days=90),
                         {"account_number": account, "employer": employer})


def _branch(c: Citizen, area6: str | None = None) -> str:
    """The police branch of the district ``area6`` (default: the one in ``c``'s ID number), or the bureau."""
    branch = BRANCHES.get(area6 or c.id_number[:6])
    return f"青岛市公安局{branch}分局" if branch else ISSUERS["police"][1]


def _born(c: Citizen) -> str:
    return f"{c.id_number[6:10]}-{c.id_number[10:12]}-{c.id_number[12:14]}"


def household_register_record(c: Citizen, household: str, member: int, head: str, relation: str, sex: str,
                              native_place: str, address: str, issued: str) -> LicenseRecord:
    """Return the household register page (户口簿常住人口登记卡) of ``c``, member ``member`` of ``household``."""
    day = _d(issued)
    return LicenseRecord("household_register", f"{household}-{member:02d}", c.name, c.id_number,
                         ISSUERS["police"][0], _branch(c), day, day, None,
                         {"household_number": household, "household_type": "家庭户", "head_name": head,
                          "relation": relation, "sex": sex, "ethnicity": "汉", "birth_date": _born(c),
                          "birthplace": "山东省青岛市", "native_place": native_place, "address": address})


def residence_permit_record(c: Citizen, serial: str, sex: str, address: str, area6: str,
                            issued: str) -> LicenseRecord:
    """Return a residence permit (居住证) for a resident whose household is registered elsewhere, signed yearly."""
    day = _d(issued)
    return LicenseRecord("residence_permit", serial, c.name, c.id_number, ISSUERS["police"][0],
                         _branch(c, area6), day, day, add_years(day, 1) - dt.timedelta(days=1),
                         {"sex": sex, "ethnicity": "汉", "birth_date": _born(c), "address": address})


def exit_entry_permit_record(c: Citizen, permit: str, sex: str, issued: str) -> LicenseRecord:
    """Return an exit-entry permit to Hong Kong and Macao (往来港澳通行证), valid ten years for an adult."""
    day = _d(issued)
    return LicenseRecord("exit_entry_permit", permit, c.name, c.id_number, ISSUERS["immigration"][0],
                         ISSUERS["immigration"][1], day, day, add_years(day, 10) - dt.timedelta(days=1),
                         {"permit_number": permit, "sex": sex, "birth_date": _born(c), "birthplace": "山东",
                          "issue_place": "山东", "issuing_authority": "中华人民共和国国家移民管理局"})


def _build() -> tuple[DemoCitizen, ...]:
    ss_card, hf_cert = social_security_card_record, housing_fund_certificate_record
    household, permit = household_register_record, exit_entry_permit_record
    people = []
    zhang, card = _person("张伟", "370202", "1985-03-12", "031", "男", "山东省青岛市市南区香港中路61号",
                          "2016-05-20", 20)
    people.append(DemoCitizen(zhang, (
        card,
        driving_record(zhang, "370200183427", "2008-07-15", "2020-07-15", 10),
        vehicle_record(zhang, "370200100288731", "鲁B·7Q2M5", "小型轿车", "大众汽车牌SVW7141BRD",
                       "LSVAM4187E210457", "2019-04-02"),
    ), SocialSecuritySummary(True, "active", "青岛啤酒股份有限公司", 212, "2026-10", 118_920, 9_636_450),
        HousingFundSummary("370200108812", "normal", "青岛啤酒股份有限公司", 18_675_233, 426_000,
                           _d("2026-11-10"))))
    wang, card = _person("王芳", "370203", "1992-11-02", "128", "女", "山东省青岛市市北区辽宁路107号",
                         "2012-01-09", 20)
    people.append(DemoCitizen(wang, (card, driving_record(wang, "370200267731", "2015-09-03", "2021-09-03", 10)),
                              SocialSecuritySummary(True, "active", "海尔智家股份有限公司", 118, "2026-10",
                                                    96_480, 4_210_775),
                              HousingFundSummary("370200213377", "normal", "海尔智家股份有限公司", 7_320_050,
                                                 318_400, _d("2026-11-08"))))
    li, card = _person("李娜", "370211", "1978-06-23", "062", "女", "山东省青岛市黄岛区长江中路228号",
                       "2010-08-30", None)
    people.append(DemoCitizen(li, (card,),
                              SocialSecuritySummary(True, "suspended", "青岛港集团有限公司", 264, "2025-12",
                                                    102_300, 15_889_120),
                              HousingFundSummary("370200055120", "sealed", "青岛港集团有限公司", 25_410_000,
                                                 0, _d("2025-12-05"))))
    liu, card = _person("刘洋", "370212", "1996-01-17", "215", "男", "山东省青岛市崂山区海尔路1号",
                        "2019-02-14", 10)
    people.append(DemoCitizen(liu, (
        card,
        driving_record(liu, "370200415598", "2018-03-22", "2018-03-22", 6),
        vehicle_record(liu, "370200100731204", "鲁B·D08K6", "小型新能源轿车", "比亚迪牌BYD7005BEVA",
                       "LGXCE4CB1N003917", "2023-06-18"),
    ), SocialSecuritySummary(True, "active", "青岛科技有限公司", 54, "2026-10", 61_250, 1_175_860), None))
    chen, card = _person("陈静", "370213", "1988-09-05", "084", "女", "山东省青岛市李沧区京口路58号",
                         "2018-10-11", 20)
    people.append(DemoCitizen(chen, (card,), None,
                              HousingFundSummary("370200330019", "normal", "青岛市市立医院", 11_204_600,
                                                 512_000, _d("2026-11-12"))))
    zhao, card = _person("赵磊", "370214", "1964-06-12", "157", "男", "山东省青岛市城阳区正阳路178号",
                         "2011-03-01", None)
    people.append(DemoCitizen(zhao, (
        card,
        driving_record(zhao, "370200006215", "1996-05-08", "2016-05-08", None),
        vehicle_record(zhao, "370200100019935", "鲁B·5H3T9", "小型普通客车", "丰田牌GTM7200HEV",
                       "LVGBE40K0KG61208", "2017-11-25"),
    ), SocialSecuritySummary(False, "terminated", "青岛城阳区个体工商户", 300, "2024-06", 88_000, 0), None))
    # social security cards and housing fund certificates are issued by their own departments, household
    # registers, residence permits and exit-entry permits by the police (刘洋's household is registered in
    # 济南 since university, so he holds a Qingdao residence permit); the demo phones are 13800000001..6 in
    # this order (zwt.demo signs the demo accounts up with them)
    home = {p.citizen.name: p.licenses[0].fields["address"] for p in people}
    zhang, wang, li, liu, chen, zhao = (p.citizen for p in people)
    return tuple(
        DemoCitizen(p.citizen, p.licenses + tuple(extra), p.social_security, p.housing_fund, f"1380000000{n}")
        for n, (p, extra) in enumerate(zip(people, [
            [ss_card(zhang, "A37020188", "青岛银行", "2019-06-01"),
             hf_cert(zhang, "GJJZM2026110001", "370200108812", "青岛啤酒股份有限公司", "2026-11-15"),
             household(zhang, "370202118", 1, "张伟", "户主", "男", "山东省青岛市", home["张伟"], "2016-04-11"),
             permit(zhang, "C60387215", "男", "2023-04-20")],
            [ss_card(wang, "A37021452", "中国工商银行", "2020-03-18"),
             hf_cert(wang, "GJJZM2026110002", "370200213377", "海尔智家股份有限公司", "2026-11-16"),
             household(wang, "370203407", 2, "王建华", "女", "女", "山东省潍坊市", home["王芳"], "2012-01-05"),
             permit(wang, "C71520946", "女", "2024-07-08")],
            [ss_card(li, "A37006617", "中国建设银行", "2017-08-09"),
             household(li, "370211052", 1, "李娜", "户主", "女", "山东省青岛市", home["李娜"], "2018-06-20")],
            [ss_card(liu, "A37088240", "青岛农商银行", "2021-07-01"),
             residence_permit_record(liu, "JZZ370212202600518", "男", "山东省青岛市崂山区海尔路1号", "370212",
                                     "2026-03-10")],
            [hf_cert(chen, "GJJZM2026110003", "370200330019", "青岛市市立医院", "2026-11-18"),
             household(chen, "370213266", 1, "陈静", "户主", "女", "山东省烟台市", home["陈静"], "2018-09-27")],
            [ss_card(zhao, "A37003391", "中国农业银行", "2016-12-12"),
             household(zhao, "370214009", 1, "赵磊", "户主", "男", "山东省青岛市", home["赵磊"], "2018-05-30")],
        ]), start=1)
    )


DEMO_CITIZENS: tuple[DemoCitizen, ...] = _build()
#: a well-formed ID number that no department knows
UNKNOWN_CITIZEN = Citizen(resident_id("370285", dt.date(2001, 4, 1), "333"), "孙悦")


def demo_record(demo: DemoCitizen, kind: str, department_code: str) -> CitizenRecord:
    """Return what a department of ``kind`` holds about ``demo``, as its adapter should map it."""
    licenses = tuple(lic for lic in demo.licenses if lic.license_type in KIND_LICENSE_TYPES[kind])
    return CitizenRecord(
        department_code,
        licenses=licenses,
        social_security=demo.social_security if kind == "hrss" else None,
        housing_fund=demo.housing_fund if kind == "housing_fund" else None,
    )
