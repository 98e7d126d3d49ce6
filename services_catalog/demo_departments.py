"""Qingdao's departments for the demo catalog, and how the source data's district bureaus map onto them."""

from __future__ import annotations

import hashlib
from typing import Mapping, NamedTuple

from services_catalog.codes import QINGDAO_CITY, QINGDAO_REGIONS
from services_catalog.examples import government_uscc

__all__ = ["DemoDepartment", "DEPARTMENTS", "SOURCE_DEPARTMENTS", "body_name", "body_uscc", "DISTRICTS"]

DISTRICTS: tuple[str, ...] = tuple(code for code in QINGDAO_REGIONS if code != QINGDAO_CITY)


class DemoDepartment(NamedTuple):
    """A line department: code used for scoping and feeds, city body name, district body name pattern."""

    code: str
    city_name: str
    district_pattern: str  # {district} is the district name, {short} the name without 区
    legal_basis: str
    theme: str


DEPARTMENTS: Mapping[str, DemoDepartment] = {d.code: d for d in (
    DemoDepartment("police", "青岛市公安局", "青岛市公安局{short}分局", "《中华人民共和国人民警察法》", "identity"),
    DemoDepartment("hrss", "青岛市人力资源和社会保障局", "{district}人力资源和社会保障局",
                   "《中华人民共和国社会保险法》", "social_security"),
    DemoDepartment("housing_fund", "青岛市住房公积金管理中心", "青岛市住房公积金管理中心{short}管理处",
                   "《住房公积金管理条例》", "housing_fund"),
    DemoDepartment("market", "青岛市市场监督管理局", "{district}市场监督管理局", "《中华人民共和国行政许可法》",
                   "business_setup"),
    DemoDepartment("civil_affairs", "青岛市民政局", "{district}民政局", "《社会救助暂行办法》", "social_assistance"),
    DemoDepartment("health", "青岛市卫生健康委员会", "{district}卫生健康局",
                   "《中华人民共和国基本医疗卫生与健康促进法》", "medical"),
    DemoDepartment("natural_resources", "青岛市自然资源和规划局", "青岛市自然资源和规划局{short}分局",
                   "《不动产登记暂行条例》", "real_estate"),
    DemoDepartment("transport", "青岛市交通运输局", "{district}交通运输局", "《中华人民共和国道路运输条例》",
                   "transport"),
    DemoDepartment("tax", "国家税务总局青岛市税务局", "国家税务总局青岛市{district}税务局",
                   "《中华人民共和国税收征收管理法》", "tax"),
    DemoDepartment("medical_security", "青岛市医疗保障局", "{district}医疗保障局", "《中华人民共和国社会保险法》",
                   "medical"),
    DemoDepartment("education", "青岛市教育局", "{district}教育和体育局", "《中华人民共和国教育法》", "education"),
    DemoDepartment("housing", "青岛市住房和城乡建设局", "{district}住房和城乡建设局", "《中华人民共和国建筑法》",
                   "construction"),
    DemoDepartment("ecology", "青岛市生态环境局", "青岛市生态环境局{short}分局", "《中华人民共和国环境保护法》",
                   "environment"),
    DemoDepartment("veterans", "青岛市退役军人事务局", "{district}退役军人事务局",
                   "《中华人民共和国退役军人保障法》", "veterans"),
    DemoDepartment("disabled", "青岛市残疾人联合会", "{district}残疾人联合会", "《中华人民共和国残疾人保障法》",
                   "disability"),
    DemoDepartment("approval", "青岛市行政审批服务局", "{district}行政审批服务局", "《中华人民共和国行政许可法》",
                   "permits"),
    DemoDepartment("justice", "青岛市司法局", "{district}司法局", "《中华人民共和国公证法》", "justice"),
    DemoDepartment("culture", "青岛市文化和旅游局", "{district}文化和旅游局", "《中华人民共和国文物保护法》",
                   "culture"),
    DemoDepartment("agriculture", "青岛市农业农村局", "{district}农业农村局", "《中华人民共和国农业法》",
                   "agriculture"),
    DemoDepartment("forestry", "青岛市园林和林业局", "{district}园林和林业局", "《中华人民共和国森林法》",
                   "agriculture"),
    DemoDepartment("water", "青岛市水务管理局", "{district}水务局", "《中华人民共和国水法》", "environment"),
    DemoDepartment("emergency", "青岛市应急管理局", "{district}应急管理局", "《中华人民共和国安全生产法》", "safety"),
    DemoDepartment("meteorology", "青岛市气象局", "{district}气象局", "《中华人民共和国气象法》", "safety"),
    DemoDepartment("tobacco", "青岛市烟草专卖局", "青岛市烟草专卖局{short}分局", "《中华人民共和国烟草专卖法》",
                   "permits"),
    DemoDepartment("finance", "青岛市财政局", "{district}财政局", "《中华人民共和国会计法》", "other"),
    DemoDepartment("urban_management", "青岛市城市管理局", "{district}综合行政执法局",
                   "《城市市容和环境卫生管理条例》", "construction"),
    DemoDepartment("development_reform", "青岛市发展和改革委员会", "{district}发展和改革局",
                   "《企业投资项目核准和备案管理条例》", "construction"),
    DemoDepartment("commerce", "青岛市商务局", "{district}商务局", "《中华人民共和国对外贸易法》", "permits"),
    DemoDepartment("industry", "青岛市工业和信息化局", "{district}工业和信息化局",
                   "《企业投资项目核准和备案管理条例》", "permits"),
    DemoDepartment("statistics", "青岛市统计局", "{district}统计局", "《中华人民共和国统计法》", "other"),
    DemoDepartment("fire", "青岛市消防救援支队", "青岛市{short}消防救援大队", "《中华人民共和国消防法》", "safety"),
    DemoDepartment("government_office", "青岛市人民政府办公厅", "{district}人民政府办公室",
                   "《中华人民共和国政府信息公开条例》", "other"),
)}

# The Guang'an district bureaus of the source data, mapped to the Qingdao line department that does
# the same job (Guang'an's 行政审批局 is Qingdao's 行政审批服务局; its 教科体局 is the education bureau).
SOURCE_DEPARTMENTS: Mapping[str, str] = {
    "区行政审批局": "approval", "区人社局": "hrss", "区交通运输局": "transport", "广安区税务局": "tax",
    "区住建局": "housing", "区自然资源和规划局": "natural_resources", "区公安分局": "police",
    "区医疗保障局": "medical_security", "区文广旅局": "culture", "区教科体局": "education",
    "区农业农村局": "agriculture", "区司法局": "justice", "区卫健局": "health", "区民政局": "civil_affairs",
    "区市监局": "market", "区林业局": "forestry", "区生态环境局": "ecology", "区残联": "disabled",
    "区水务局": "water", "区应急管理局": "emergency", "区政府办": "government_office",
    "区烟草专卖局": "tobacco", "区气象局": "meteorology", "区退役军人事务局": "veterans", "区财政局": "finance",
    "区委办": "government_office", "区综合执法局": "urban_management", "区发改局": "development_reform",
    "区公管办": "government_office", "区商务局": "commerce", "区委统战部": "government_office",
    "区经信局": "industry", "区消防大队": "fire", "区统计局": "statistics",
}

# County-level cities have their own police bureau rather than a branch of the city's.
_CITY_POLICE = {"370281": "胶州市公安局", "370283": "平度市公安局", "370285": "莱西市公安局"}


def body_name(department: str, region: str) -> str:
    """Return the name of the body of ``department`` that implements items in ``region``."""
    dept = DEPARTMENTS[department]
    if region == QINGDAO_CITY:
        return dept.city_name
    if department == "police" and region in _CITY_POLICE:
        return _CITY_POLICE[region]
    district = QINGDAO_REGIONS[region].zh
    return dept.district_pattern.format(district=district, short=district.removesuffix("区"))


def body_uscc(department: str, region: str) -> str:
    """Return a stable, check-valid 统一社会信用代码 for a department body (independent of any seed)."""
    digits = int(hashlib.sha256(f"{department}:{region}".encode()).hexdigest(), 16) % 10**6
    return government_uscc(region, f"MB{digits:06d}")
