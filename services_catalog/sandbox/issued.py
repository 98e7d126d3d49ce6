"""What the departments without a bespoke adapter have issued to the demo people, as contract records.

Each record is one license in the standard issuing contract's shape (docs: issue #21; op ``issue``,
version 1): the department's own serial, the holder (a person by resident ID number, an organisation by
unified social credit code with its legal representative), the issuing office and the type's own fields
named as in the wallet's license-type registry (dates ISO, enums one of the listed values). Demo data only:
the production registry knows nothing of it. ``tests/services_catalog/test_issued.py`` checks every record
against the registry and every credit code's check character.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

import datetime as dt

from .citizens import DEMO_CITIZENS, DemoCitizen, resident_id

__all__ = [
    "ISSUING_OFFICES",
    "DEPARTMENT_TYPES",
    "ORGANISATIONS",
    "Organisation",
    "DEPARTMENT_RECORDS",
    "records_of",
    "holdings_of",
]

#: issuing department -> (unified social credit code of its office, office name)
ISSUING_OFFICES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "market_regulation": ("11370200004188041H", "青岛市市场监督管理局"),
    "natural_resources": ("11370200MB1568873M", "青岛市自然资源和规划局"),
    "health": ("11370200004186891M", "青岛市卫生健康委员会"),
    "healthcare_security": ("11370200MB15256308", "青岛市医疗保障局"),
    "education": ("11370200004186410K", "青岛市教育局"),
    "veterans_affairs": ("11370200MB1529252N", "青岛市退役军人事务局"),
    "disabled_persons_federation": ("13370200004187510A", "青岛市残疾人联合会"),
    "civil_affairs": ("113702000041869012", "青岛市民政局"),
})

#: issuing department -> the license types it issues through the standard interface
DEPARTMENT_TYPES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "market_regulation": ("business_license", "food_business_permit"),
    "natural_resources": ("real_estate_certificate",),
    "health": ("birth_certificate", "health_card", "physician_practice_certificate"),
    "healthcare_security": ("medical_insurance_voucher",),
    "education": ("teacher_qualification",),
    "veterans_affairs": ("veteran_preferential_card",),
    "disabled_persons_federation": ("disability_certificate",),
    "civil_affairs": ("marriage_certificate", "divorce_certificate", "senior_citizen_card"),
})

Organisation = tuple[str, str, DemoCitizen]  # (USCC, name, legal representative)

_PEOPLE = {demo.citizen.name: demo for demo in DEMO_CITIZENS}
_ZHANG, _WANG, _LI, _LIU, _CHEN, _ZHAO = (_PEOPLE[n] for n in ("张伟", "王芳", "李娜", "刘洋", "陈静", "赵磊"))

#: the demo organisations: a café in 市南 run by 王芳, a tea house in 崂山 run by 刘洋 (check-valid USCCs)
ORGANISATIONS: Mapping[str, Organisation] = MappingProxyType({
    "cafe": ("91370202MA3C7K2P5J", "青岛海岸咖啡有限公司", _WANG),
    "tea_house": ("91370212MA3D4N8R2X", "青岛崂山茶语餐饮有限公司", _LIU),
})


def _person(demo: DemoCitizen) -> dict[str, Any]:
    return {"id_number": demo.citizen.id_number, "name": demo.citizen.name}


def _organisation(key: str) -> dict[str, Any]:
    uscc, name, representative = ORGANISATIONS[key]
    return {"uscc": uscc, "name": name, "representative": _person(representative)}


def _sex(demo: DemoCitizen) -> str:
    return "女" if int(demo.citizen.id_number[16]) % 2 == 0 else "男"


def _born(demo: DemoCitizen) -> str:
    number = demo.citizen.id_number
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


def _issue(department: str, license_type: str, serial: str, holder: dict[str, Any], issued_on: str,
           valid_until: str | None, fields: dict[str, str], valid_from: str | None = None) -> dict[str, Any]:
    code, name = ISSUING_OFFICES[department]
    return {"op": "issue", "license_type": license_type, "serial": serial, "version": 1, "holder": holder,
            "issuer_code": code, "issuer_name": name, "issued_on": issued_on,
            "valid_from": valid_from or issued_on, "valid_until": valid_until, "fields": fields}


def _market_regulation() -> list[dict[str, Any]]:
    scope = ("一般项目：餐饮管理；食品销售（仅销售预包装食品）；日用百货销售。"
             "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")
    return [
        _issue("market_regulation", "business_license", "370202MR2021000417", _organisation("cafe"),
               "2021-04-16", None, {
                   "entity_type": "有限责任公司(自然人投资或控股)", "legal_representative": "王芳",
                   "registered_capital": "50万元人民币", "established_date": "2021-04-16",
                   "domicile": "山东省青岛市市南区太平路31号", "business_scope": scope,
                   "registration_authority": "青岛市市南区市场监督管理局"}),
        _issue("market_regulation", "business_license", "370212MR2023001268", _organisation("tea_house"),
               "2023-08-09", None, {
                   "entity_type": "有限责任公司(自然人独资)", "legal_representative": "刘洋",
                   "registered_capital": "100万元人民币", "established_date": "2023-08-09",
                   "domicile": "山东省青岛市崂山区仙霞岭路18号",
                   "business_scope": "许可项目：餐饮服务；食品销售。一般项目：茶具销售。"
                                     "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
                   "registration_authority": "青岛市崂山区市场监督管理局"}),
        _issue("market_regulation", "food_business_permit", "JY23702120035816", _organisation("tea_house"),
               "2023-09-01", "2028-08-31", {
                   "permit_number": "JY23702120035816", "legal_representative": "刘洋",
                   "domicile": "山东省青岛市崂山区仙霞岭路18号", "premises": "山东省青岛市崂山区仙霞岭路18号",
                   "main_business": "餐饮服务经营者", "business_items": "热食类食品制售；冷食类食品制售",
                   "issuing_authority": "青岛市崂山区市场监督管理局", "issue_date": "2023-09-01"}),
    ]


def _natural_resources() -> list[dict[str, Any]]:
    return [
        _issue("natural_resources", "real_estate_certificate", "370202BDC2019035621", _person(_ZHANG),
               "2019-09-23", None, {
                   "certificate_number": "鲁(2019)青岛市不动产权第0035621号", "co_ownership": "共同共有",
                   "location": "市南区香港中路61号3号楼1202户", "unit_number": "370202001003GB00125F00031202",
                   "right_type": "国有建设用地使用权/房屋所有权", "right_nature": "出让/市场化商品房",
                   "use": "城镇住宅用地/住宅", "area": "房屋建筑面积98.46㎡",
                   "land_use_term": "2008年03月01日起2078年02月28日止"}),
        _issue("natural_resources", "real_estate_certificate", "370202BDC2022018830", _organisation("cafe"),
               "2022-03-15", None, {
                   "certificate_number": "鲁(2022)青岛市不动产权第0018830号", "co_ownership": "单独所有",
                   "location": "市南区太平路31号1层101户", "unit_number": "370202002011GB00087F00010101",
                   "right_type": "国有建设用地使用权/房屋所有权", "right_nature": "出让/市场化商品房",
                   "use": "商服用地/商业", "area": "房屋建筑面积126.30㎡",
                   "land_use_term": "2005年06月01日起2045年05月31日止"}),
        _issue("natural_resources", "real_estate_certificate", "370214BDC2017104512", _person(_ZHAO),
               "2017-11-20", None, {
                   "certificate_number": "鲁(2017)青岛市不动产权第0104512号", "co_ownership": "单独所有",
                   "location": "城阳区正阳路178号2号楼2单元501户", "unit_number": "370214003002GB00031F00020501",
                   "right_type": "国有建设用地使用权/房屋所有权", "right_nature": "划拨/房改房",
                   "use": "城镇住宅用地/住宅", "area": "房屋建筑面积76.12㎡", "land_use_term": "长期"}),
    ]


def _health() -> list[dict[str, Any]]:
    cards = [(_ZHANG, "ABCE3702000018346925108377410652", "2021-02-03"),
             (_WANG, "BDFH3702000027718540236691850374", "2021-05-17"),
             (_LI, "CKMP3702000033095162784420967185", "2022-01-11"),
             (_CHEN, "DQRT3702000041562738890153342796", "2020-12-08")]
    mother = resident_id("370212", dt.date(1970, 3, 15), "002")
    father = resident_id("370212", dt.date(1968, 10, 24), "051")
    return [
        _issue("health", "birth_certificate", "P370128804", _person(_LIU), "1996-01-20", None, {
            "gender": "男", "birth_time": "1996-01-17 08:42", "birthplace": "山东省青岛市崂山区",
            "gestational_weeks": "39", "mother_name": "孙丽华", "mother_code": mother,
            "father_name": "刘建国", "father_code": father, "institution": "青岛市妇女儿童医院"}),
        *[_issue("health", "health_card", f"HC{demo.citizen.id_number[:6]}{n:06d}", _person(demo), issued, None, {
            "card_number": card, "gender": _sex(demo), "birth_date": _born(demo), "issuer_org": "青岛市卫生健康委员会"})
          for n, (demo, card, issued) in enumerate(cards, start=1)],
        _issue("health", "physician_practice_certificate", "110370200013582", _person(_CHEN), "2013-07-22", None, {
            "certificate_number": "110370200013582", "gender": "女", "birth_date": _born(_CHEN),
            "practice_category": "临床", "practice_scope": "内科专业", "practice_place": "青岛市市立医院",
            "issue_date": "2013-07-22", "issuing_authority": "青岛市卫生健康委员会"}),
    ]


def _healthcare_security() -> list[dict[str, Any]]:
    insured = [(_ZHANG, "正常参保", "2019-06-01"), (_WANG, "正常参保", "2020-03-18"), (_LI, "暂停参保", "2017-08-09"),
               (_LIU, "正常参保", "2021-07-01"), (_ZHAO, "正常参保", "2016-12-12")]
    return [_issue("healthcare_security", "medical_insurance_voucher", f"YBPZ{demo.citizen.id_number[:6]}{n:08d}",
                   _person(demo), issued, None, {
                       "insured_area": "山东省青岛市", "insurance_type": "职工基本医疗保险", "insured_status": status,
                       "personal_number": f"370200{4_180_000_000 + 7_919 * n}"})
            for n, (demo, status, issued) in enumerate(insured, start=1)]


def _education() -> list[dict[str, Any]]:
    return [
        _issue("education", "teacher_qualification", "20163702032000871", _person(_WANG), "2016-06-30", None, {
            "certificate_number": "20163702032000871", "gender": "女", "birth_date": _born(_WANG),
            "qualification_type": "小学教师资格", "subject": "英语", "issue_date": "2016-06-30",
            "issuing_authority": "青岛市市北区教育和体育局"}),
        _issue("education", "teacher_qualification", "20023702142000316", _person(_LI), "2002-08-15", None, {
            "certificate_number": "20023702142000316", "gender": "女", "birth_date": _born(_LI),
            "qualification_type": "高级中学教师资格", "subject": "数学", "issue_date": "2002-08-15",
            "issuing_authority": "青岛市黄岛区教育和体育局"}),
    ]


def _veterans_affairs() -> list[dict[str, Any]]:
    return [_issue("veterans_affairs", "veteran_preferential_card", "3702000010035827", _person(_ZHAO), "2022-10-19",
                   None, {"card_number": "3702000010035827", "gender": "男", "birth_date": _born(_ZHAO),
                          "issue_date": "2022-10-19"})]


def _disabled_persons_federation() -> list[dict[str, Any]]:
    number = _LI.citizen.id_number + "43"  # category 4 (肢体), grade 3
    return [_issue("disabled_persons_federation", "disability_certificate", "CJR3702112020000917", _person(_LI),
                   "2020-09-14", "2030-09-13", {
                       "certificate_number": number, "gender": "女", "disability_category": "肢体",
                       "disability_grade": "三级", "address": _LI.licenses[0].fields["address"],
                       "issue_date": "2020-09-14"})]


def _civil_affairs() -> list[dict[str, Any]]:
    def married(demo: DemoCitizen, spouse: DemoCitizen, half: int) -> dict[str, Any]:
        return _issue("civil_affairs", "marriage_certificate", f"J370202-2015-003581-{half}", _person(demo),
                      "2015-10-01", None, {
                          "certificate_number": "J370202-2015-003581", "registration_date": "2015-10-01",
                          "spouse_name": spouse.citizen.name, "spouse_code": spouse.citizen.id_number,
                          "registration_authority": "青岛市市南区民政局"})

    def divorced(demo: DemoCitizen, former: DemoCitizen, half: int) -> dict[str, Any]:
        return _issue("civil_affairs", "divorce_certificate", f"L370214-2018-000742-{half}", _person(demo),
                      "2018-05-09", None, {
                          "certificate_number": "L370214-2018-000742", "registration_date": "2018-05-09",
                          "former_spouse_name": former.citizen.name, "former_spouse_code": former.citizen.id_number,
                          "registration_authority": "青岛市城阳区民政局"})

    return [
        married(_ZHANG, _CHEN, 1), married(_CHEN, _ZHANG, 2),
        divorced(_ZHAO, _LI, 1), divorced(_LI, _ZHAO, 2),
        _issue("civil_affairs", "senior_citizen_card", "QD2024061207", _person(_ZHAO), "2024-07-02", None, {
            "card_number": "QD2024061207", "gender": "男", "birth_date": _born(_ZHAO), "district": "城阳区",
            "issue_date": "2024-07-02"}),
    ]


#: issuing department -> its demo records (op ``issue``, version 1), in the order it first loads them
DEPARTMENT_RECORDS: Mapping[str, tuple[dict[str, Any], ...]] = MappingProxyType({
    "market_regulation": tuple(_market_regulation()),
    "natural_resources": tuple(_natural_resources()),
    "health": tuple(_health()),
    "healthcare_security": tuple(_healthcare_security()),
    "education": tuple(_education()),
    "veterans_affairs": tuple(_veterans_affairs()),
    "disabled_persons_federation": tuple(_disabled_persons_federation()),
    "civil_affairs": tuple(_civil_affairs()),
})


def records_of(id_number: str) -> tuple[dict[str, Any], ...]:
    """Every demo record whose wallet-linking identity is ``id_number`` (the holder or the representative)."""
    def linked(record: Mapping[str, Any]) -> str:
        holder = record["holder"]
        return str(holder["representative"]["id_number"] if "uscc" in holder else holder["id_number"])

    return tuple(r for records in DEPARTMENT_RECORDS.values() for r in records if linked(r) == id_number)


def holdings_of(demo: DemoCitizen) -> tuple[tuple[str, str | None], ...]:
    """What the demo person's wallet holds once every department has issued: (license type, the organisation's
    name when it is an organisation's license they represent, else None), the adapters' licenses first."""
    own: list[tuple[str, str | None]] = [(lic.license_type, None) for lic in demo.licenses]
    for record in records_of(demo.citizen.id_number):
        holder = record["holder"]
        own.append((record["license_type"], holder["name"] if "uscc" in holder else None))
    return tuple(own)
