"""Templates of the demo values of every license type, by type and field (``wallet.license_samples`` renders them).

Demo data only: nothing here is part of the wire format or of the production registry
(``wallet.license_types``). A text field of every type has a template; dates, enums and the fields a
holder's ID number implies (sex, birth date) are drawn by ``wallet.license_samples`` without one.

Template syntax: ``{district}`` a Qingdao district, ``{street}``, ``{name}`` a Chinese name,
``{resident_id}`` a valid Qingdao ID number, ``{holder_code}`` the holder's own, ``{n:LOW-HIGH}``,
``{digits:N}``, ``{upper:N}``, ``{pick:a|b|c}``, ``{plate}``, ``{yyyy}`` a recent year, ``{yyyymm}`` last
month, ``{date_time}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["TEMPLATES", "template"]

_ADDRESS = "山东省青岛市{district}{street}{n:1-300}号{n:1-30}号楼{n:1-6}单元{n:101-2802}户"
_STREET_ADDRESS = "山东省青岛市{district}{street}{n:1-300}号"
_ETHNIC = "{pick:汉|汉|汉|汉|回|满|朝鲜|蒙古}"
_NAME = "{name}"
_RESIDENT_ID = "{resident_id}"
_POLICE = "青岛市公安局{district}分局"
_MARKET_REGULATION = "青岛市{district}市场监督管理局"
_CIVIL_AFFAIRS = "青岛市{district}民政局"

_TEMPLATES: dict[str, dict[str, str]] = {
    "id_card": {"ethnicity": _ETHNIC, "address": _ADDRESS, "issuing_authority": _POLICE},
    "driving_license": {
        "nationality": "中国", "address": _ADDRESS, "license_class": "{pick:C1|C1|C2|C1E|B2|A1|A2}",
        "file_number": "3702{digits:8}", "points": "{pick:0|0|0|2|3|6}",
    },
    "vehicle_license": {
        "plate_number": "鲁B{plate}", "vehicle_type": "{pick:小型轿车|小型普通客车|小型越野客车}",
        "brand_model": "{pick:大众汽车牌SVW7155|比亚迪牌BYD7005BEV|丰田牌TV7251}",
        "vin": "L{upper:2}{digits:14}", "engine_number": "{upper:2}{digits:6}", "address": _ADDRESS,
    },
    "social_security_card": {
        "card_number": "{upper:1}{digits:8}", "issue_place": "山东省青岛市",
        "bank_name": "{pick:中国工商银行|中国建设银行|青岛银行|青岛农商银行}",
    },
    "housing_fund_certificate": {
        "account_number": "{digits:12}", "employer": "青岛{pick:海尔|海信|啤酒|港湾|城投}{pick:科技|集团|物流}有限公司",
        "paid_until": "{yyyymm}", "monthly_deposit": "{n:300-6000}.00", "balance": "{n:1000-300000}.{digits:2}",
    },
    "business_license": {
        "entity_type": "{pick:有限责任公司(自然人投资或控股)|个人独资企业|股份有限公司(非上市)|个体工商户}",
        "legal_representative": _NAME, "registered_capital": "{pick:10|50|100|500|1000}万元人民币",
        "domicile": _STREET_ADDRESS,
        "business_scope": "一般项目：{pick:技术服务、技术开发、技术咨询|食品销售（仅销售预包装食品）|货物进出口|日用百货销售}。"
                          "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
        "registration_authority": _MARKET_REGULATION,
    },
    "household_register": {
        "household_number": "{digits:9}", "head_name": _NAME, "relation": "{pick:户主|配偶|子|女|母|父}",
        "ethnicity": _ETHNIC, "birthplace": "山东省青岛市",
        "native_place": "{pick:山东省青岛市|山东省潍坊市|山东省烟台市|河北省石家庄市}", "address": _ADDRESS,
    },
    "marriage_certificate": {
        "certificate_number": "J3702{digits:2}-{yyyy}-{digits:6}", "spouse_name": _NAME,
        "spouse_code": _RESIDENT_ID, "registration_authority": _CIVIL_AFFAIRS,
    },
    "divorce_certificate": {
        "certificate_number": "L3702{digits:2}-{yyyy}-{digits:6}", "former_spouse_name": _NAME,
        "former_spouse_code": _RESIDENT_ID, "registration_authority": _CIVIL_AFFAIRS,
    },
    "birth_certificate": {
        "birth_time": "{date_time}", "birthplace": "山东省青岛市{district}", "gestational_weeks": "{n:37-41}",
        "mother_name": _NAME, "mother_code": _RESIDENT_ID, "father_name": _NAME, "father_code": _RESIDENT_ID,
        "institution": "{pick:青岛大学附属医院|青岛市妇女儿童医院|青岛市市立医院|青岛市中心医院}",
    },
    "disability_certificate": {
        "certificate_number": "{holder_code}{pick:41|42|43|44|51|52}", "guardian_name": _NAME, "address": _ADDRESS,
    },
    "real_estate_certificate": {
        "certificate_number": "鲁({yyyy})青岛市不动产权第{digits:7}号",
        "location": "{district}{street}{n:1-300}号{n:1-30}号楼{n:101-2802}户",
        "unit_number": "3702{digits:8}GB{digits:5}F{digits:8}", "right_type": "国有建设用地使用权/房屋所有权",
        "right_nature": "出让/市场化商品房", "use": "城镇住宅用地/住宅", "area": "房屋建筑面积{n:40-180}.{digits:2}㎡",
        "land_use_term": "{yyyy}年{n:1-12}月{n:1-28}日起70年",
    },
    "residence_permit": {"ethnicity": _ETHNIC, "address": _ADDRESS, "issuing_authority": _POLICE},
    "exit_entry_permit": {
        "permit_number": "C{digits:8}", "birthplace": "山东", "issue_place": "山东",
        "issuing_authority": "中华人民共和国出入境管理局",
    },
    "medical_insurance_voucher": {"insured_area": "山东省青岛市", "personal_number": "3702{digits:12}"},
    "health_card": {"card_number": "{upper:4}{digits:28}", "issuer_org": "青岛市卫生健康委员会"},
    "teacher_qualification": {
        "certificate_number": "{yyyy}3702{digits:9}",
        "subject": "{pick:语文|数学|英语|物理|化学|生物|历史|地理|体育|音乐}",
        "issuing_authority": "青岛市{district}教育和体育局",
    },
    "veteran_preferential_card": {"card_number": "370200{digits:10}"},
    "senior_citizen_card": {"card_number": "QD{digits:10}", "district": "{district}"},
    "food_business_permit": {
        "permit_number": "JY{pick:1|2|3}3702{digits:9}", "legal_representative": _NAME,
        "domicile": _STREET_ADDRESS, "premises": _STREET_ADDRESS,
        "main_business": "{pick:餐饮服务经营者|食品销售经营者|单位食堂}",
        "business_items": "{pick:热食类食品制售|预包装食品（含冷藏冷冻食品）销售|冷食类食品制售}",
        "issuing_authority": _MARKET_REGULATION,
    },
    "physician_practice_certificate": {
        "certificate_number": "1{digits:14}", "practice_scope": "{pick:内科专业|外科专业|妇产科专业|儿科专业|全科医学专业}",
        "practice_place": "{pick:青岛大学附属医院|青岛市市立医院|青岛市中心医院|青岛市海慈医疗集团}",
        "issuing_authority": "青岛市卫生健康委员会",
    },
}

#: Template of each (license type code, field name) that has one.
TEMPLATES: Mapping[tuple[str, str], str] = MappingProxyType(
    {(code, name): text for code, fields in _TEMPLATES.items() for name, text in fields.items()}
)


def template(type_code: str, field_name: str) -> str:
    """Return the demo template of a text field, or ``KeyError`` naming the pair that has none."""
    try:
        return TEMPLATES[(type_code, field_name)]
    except KeyError:
        raise KeyError(f"no sample template for {type_code}.{field_name} in {__name__}") from None
