"""Keyword rules that give a demo item realistic audiences, themes, life events, materials, outputs and fees."""

from __future__ import annotations

from typing import NamedTuple

from services_catalog.items import Fee, Material, Output

__all__ = [
    "LicenseRule",
    "LICENSE_RULES",
    "audiences_for",
    "themes_for",
    "life_events_for",
    "license_materials",
    "license_outputs",
    "fees_for",
    "hotness",
    "is_consultation",
]

_LEGAL_WORDS = ("企业", "公司", "单位", "机构", "经营", "生产", "项目", "工程", "建设", "场所", "店", "厂",
                "营业", "运输", "许可证核发", "资质", "学校", "医院", "诊所", "社会组织", "合作社")
_PERSON_WORDS = ("个人", "居民", "身份证", "户口", "户籍", "婚", "出生", "新生儿", "退休", "学生", "残疾",
                 "老年", "驾驶证", "行驶证", "护照", "通行证", "居住证", "就业", "失业", "灵活就业", "生育",
                 "死亡", "高龄", "低保", "救助", "社会保障卡", "提取", "贷款", "儿童", "教师资格", "退役", "优抚",
                 "医保", "接种", "无犯罪", "电动自行车", "供养", "补贴")


def audiences_for(name: str) -> tuple[str, ...]:
    """Return the 服务对象 codes an item name suggests: people, organisations or both."""
    legal = any(w in name for w in _LEGAL_WORDS)
    person = any(w in name for w in _PERSON_WORDS)
    if person and not legal:
        return ("natural_person",)
    if legal and not person:
        return ("enterprise_legal_person", "institution_legal_person", "unincorporated_enterprise")
    return ("natural_person", "enterprise_legal_person")


_THEME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("identity", ("身份证", "护照", "通行证", "签注", "无犯罪")),
    ("household", ("户口", "户籍", "居住证", "落户")),
    ("birth", ("出生", "生育", "新生儿", "接种", "收养")),
    ("education", ("学", "教师", "教育", "培训")),
    ("employment", ("就业", "创业", "职业", "人才", "劳动")),
    ("social_security", ("社会保险", "社保", "社会保障卡", "养老保险", "工伤", "失业保险")),
    ("medical", ("医疗", "医保", "医师", "诊所", "医院", "卫生", "就医")),
    ("housing_fund", ("公积金",)),
    ("real_estate", ("不动产", "房屋", "二手房", "商品房", "房产")),
    ("housing", ("住房", "保障房", "租赁")),
    ("marriage", ("婚",)),
    ("transport", ("机动车", "驾驶", "车辆", "道路", "运输", "号牌", "船舶", "出租")),
    ("retirement", ("退休", "离休", "养老", "高龄", "老年")),
    ("disability", ("残疾",)),
    ("social_assistance", ("低保", "救助", "特困", "最低生活")),
    ("veterans", ("退役", "优抚", "抚恤", "烈士", "军人")),
    ("death", ("死亡", "殡葬", "火化", "丧葬", "遗属")),
    ("tax", ("税", "发票")),
    ("business_setup", ("设立登记", "变更登记", "注销登记", "营业执照", "名称", "个体工商户")),
    ("construction", ("建设", "工程", "施工", "规划")),
    ("environment", ("环境", "排污", "水土", "取水", "林木", "野生")),
    ("agriculture", ("农", "渔", "兽", "种子", "畜", "林")),
    ("culture", ("文物", "文化", "旅游", "演出", "网吧", "互联网上网", "体育")),
    ("safety", ("安全", "危险", "烟花", "爆", "消防", "易制毒")),
    ("justice", ("公证", "法律援助", "律师", "司法")),
)


def themes_for(name: str, department_theme: str) -> tuple[str, ...]:
    """Return up to three theme codes for a name, the department's own theme when no word matches."""
    found = [theme for theme, words in _THEME_WORDS if any(w in name for w in words)]
    return tuple(found[:3]) or (department_theme,)


_LIFE_EVENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("newborn", ("出生", "新生儿", "生育", "接种")),
    ("school_enrollment", ("入学", "学籍", "随迁子女")),
    ("employment", ("就业登记", "就业创业", "招用", "参保登记")),
    ("unemployment", ("失业",)),
    ("marriage", ("结婚", "婚姻登记")),
    ("retirement", ("退休", "离休", "养老保险待遇", "养老保险正常")),
    ("business_startup", ("企业设立", "个体工商户设立", "名称自主申报", "公章刻制", "发票领用", "企业社会保险登记",
                          "单位住房公积金缴存登记")),
    ("business_closure", ("企业注销", "个体工商户注销")),
    ("second_hand_housing", ("二手房", "存量住房", "转移登记")),
    ("housing_purchase", ("商品房", "商品住房", "住房公积金贷款", "住房贷款")),
    ("vehicle", ("机动车", "驾驶证", "行驶证", "号牌")),
    ("disability", ("残疾",)),
    ("veterans", ("退役", "优抚")),
    ("after_death", ("死亡", "殡葬", "火化", "丧葬", "遗属", "供养亲属")),
)


def life_events_for(name: str) -> tuple[str, ...]:
    """Return the 一件事 codes an item belongs to, by the words in its name."""
    return tuple(event for event, words in _LIFE_EVENT_WORDS if any(w in name for w in words))


class LicenseRule(NamedTuple):
    """Words that make an item ask for (or issue) a wallet license, and the fields a counter reads."""

    words: tuple[str, ...]
    e_license_type: str
    material: str
    fields: tuple[str, ...]


LICENSE_RULES: tuple[LicenseRule, ...] = (
    LicenseRule(("户口", "户籍", "出生登记", "落户"), "household_register", "居民户口簿",
                ("holder", "holder_code", "address")),
    LicenseRule(("驾驶证", "驾驶人"), "driving_license", "机动车驾驶证", ("holder", "license_number", "vehicle_class")),
    LicenseRule(("行驶证", "机动车注册", "机动车转移", "机动车注销", "机动车抵押", "号牌", "检验合格"),
                "vehicle_license", "机动车行驶证", ("plate_number", "owner", "vin")),
    LicenseRule(("社会保险", "社保", "社会保障卡", "养老保险", "失业保险", "退休"), "social_security_card",
                "社会保障卡", ("holder", "holder_code", "card_number")),
    LicenseRule(("公积金",), "housing_fund_certificate", "住房公积金缴存证明", ("holder", "account_number")),
    LicenseRule(("结婚证", "离婚", "婚姻登记记录"), "marriage_certificate", "结婚证", ("holder", "spouse")),
    LicenseRule(("出生医学证明补发", "新生儿", "出生登记", "预防接种"), "birth_certificate", "出生医学证明",
                ("newborn_name", "birth_date", "mother")),
    LicenseRule(("残疾",), "disability_certificate", "残疾人证", ("holder", "disability_category", "level")),
    LicenseRule(("不动产", "二手房", "存量住房", "房屋", "加装电梯"), "real_estate_certificate", "不动产权证书",
                ("holder", "certificate_number", "location")),
    LicenseRule(("居住证", "随迁子女"), "residence_permit", "居住证", ("holder", "holder_code", "valid_until")),
)
_OUTPUT_RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("居民身份证",), "居民身份证", "id_card"),
    (("驾驶证",), "机动车驾驶证", "driving_license"),
    (("行驶证", "机动车注册登记"), "机动车行驶证", "vehicle_license"),
    (("社会保障卡申领", "社会保障卡补换"), "社会保障卡", "social_security_card"),
    (("住房公积金缴存证明",), "住房公积金缴存证明", "housing_fund_certificate"),
    (("企业设立登记", "个体工商户设立登记", "营业执照补领"), "营业执照", "business_license"),
    (("户口", "出生登记"), "居民户口簿", "household_register"),
    (("结婚登记", "补领结婚证"), "结婚证", "marriage_certificate"),
    (("出生医学证明",), "出生医学证明", "birth_certificate"),
    (("残疾人证",), "残疾人证", "disability_certificate"),
    (("不动产首次登记", "转移登记", "不动产权证书补发", "不动产变更登记"), "不动产权证书", "real_estate_certificate"),
    (("居住证",), "居住证", "residence_permit"),
)


def license_materials(name: str) -> list[Material]:
    """Return the wallet-linked materials an item name calls for; the wallet license replaces each (免证办)."""
    return [Material(rule.material, kind="original", form="paper_or_electronic", necessity="required",
                     e_license_type=rule.e_license_type, exempt_with_e_license=True, required_fields=rule.fields)
            for rule in LICENSE_RULES if any(w in name for w in rule.words) and rule.material not in name]


def license_outputs(name: str) -> list[Output]:
    """Return the licenses an item issues into the citizen's wallet, by the words in its name."""
    return [Output(title, kind="license", e_license_type=code)
            for words, title, code in _OUTPUT_RULES if any(w in name for w in words)]


_FEES: tuple[tuple[tuple[str, ...], Fee], ...] = (
    (("居民身份证换领", "居民身份证补领", "居民身份证首次申领"),
     Fee("居民身份证工本费", "每证20元", "《中华人民共和国居民身份证法》；发改价格〔2003〕2322号")),
    (("临时居民身份证",), Fee("临时居民身份证工本费", "每证10元", "发改价格〔2003〕2322号")),
    (("普通护照",), Fee("普通护照签发费", "每本120元", "发改价格〔2019〕914号")),
    (("往来港澳通行证签发", "往来台湾通行证签发"), Fee("通行证工本费", "每证60元", "发改价格〔2019〕914号")),
    (("机动车注册登记", "补领机动车号牌"), Fee("机动车号牌工本费", "每副100元", "发改价格〔2004〕2831号")),
    (("驾驶证期满换证", "驾驶证补证", "驾驶证初次申领"),
     Fee("机动车驾驶证工本费", "每证10元", "发改价格〔2004〕2831号")),
    (("不动产首次登记", "转移登记", "不动产抵押登记", "不动产变更登记"),
     Fee("不动产登记费", "住宅每件80元", "发改价格规〔2016〕2559号")),
)


def fees_for(name: str) -> tuple[Fee, ...]:
    """Return the statutory fees of an item; most government services are free."""
    return tuple(fee for words, fee in _FEES if any(w in name for w in words))


_HOT = ("社会保障卡", "社保", "公积金", "身份证", "驾驶证", "户口", "医保", "退休", "结婚", "出生", "居住证",
        "行驶证", "不动产", "二手房", "企业设立", "营业执照", "失业", "养老", "个人所得税", "就医")


def hotness(name: str) -> int:
    """Return how many everyday words a name contains: a base for its popularity."""
    return sum(w in name for w in _HOT)


def is_consultation(name: str) -> bool:
    """Tell whether the item only answers a question (咨询 / 查询), so no material is needed."""
    return name.endswith(("咨询", "查询", "咨询服务")) or "政策咨询" in name
