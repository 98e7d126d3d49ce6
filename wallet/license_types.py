"""Registry of the 21 license types the city's e-card wallet (市民电子卡包) carries: labels, keys, profiles.

Compact claim keys are part of the wire format: ``FieldSpec.key`` and ``LicenseType.number`` are
never reused or renumbered; new fields are appended to a type. Common fields (GB/T 36903 metadata:
holder, holder code, validity) share keys 2-6 in every type; per-type fields start at key 8.

The GB/T 36904 type codes follow the standard's structure (the defining national department's
18-character unified social credit code plus a 3-digit sequence), but the department codes below are
placeholders with valid check characters: the national catalogue (全国一体化政务服务平台电子证照目录)
assigns the real ones, which replace these when the platform is connected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from wallet.identifiers import unified_credit_code_check_char

__all__ = [
    "FieldSpec",
    "LicenseType",
    "PROFILES",
    "BIRTH_DATE",
    "COMMON_FIELDS",
    "REGISTRY",
    "BY_NUMBER",
    "UnknownLicenseType",
    "get_type",
]

PROFILES = ("minimal", "standard", "full")

#: Holder kinds: which identifier ``holder_code`` must be.
PERSON, ORGANIZATION, EITHER, DOCUMENT = "resident_id", "credit_code", "resident_id_or_credit_code", "text"

GENDERS = ("男", "女")

BIRTH_DATE = "birth_date"
# A value naming a district: an authority or place written with {district}, or a number that carries the
# 3702xx area code of its registry office (marriage certificate 字号, teacher certificate number, ...).
_NAMES_DISTRICT = re.compile(r"\{district\}|3702\{digits:[2-9]")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a license type: machine name, compact key, labels, value kind and sensitivity."""

    name: str
    key: int
    label_zh: str
    label_en: str
    kind: str = "text"  # "text" | "date" | "enum"
    sensitive: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 64
    sample: str = ""  # template for demo values, see wallet.licenses.sample_license

    @property
    def names_district(self) -> bool:
        """Whether a value names a Qingdao district (the authority or place written with one, or its area code)."""
        return bool(_NAMES_DISTRICT.search(self.sample))

    @property
    def narrows_resident_id(self) -> bool:
        """Whether the field fills hidden digits of a masked resident ID number: the birth date or the district."""
        return self.name == BIRTH_DATE or self.names_district


@dataclass(frozen=True)
class LicenseType:
    """A kind of license: codes, names, issuing department, holder kind, fields and profiles."""

    code: str
    number: int
    gb_type_code: str
    name_zh: str
    name_en: str
    department_kind: str
    department_zh: str
    holder_kind: str
    fields: tuple[FieldSpec, ...]
    profiles: Mapping[str, tuple[str, ...]]
    #: Fields a profile no longer shows but credentials signed before may carry (verifiers still read them).
    retired: Mapping[str, tuple[str, ...]]

    def field(self, name: str) -> FieldSpec:
        """Return the spec of field ``name`` or raise ``KeyError``."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.code} has no field {name!r}")

    @property
    def field_names(self) -> tuple[str, ...]:
        """All field names in wire order, the derived ``holder_code_masked`` included."""
        return tuple(spec.name for spec in self.fields)

    @property
    def own_field_names(self) -> tuple[str, ...]:
        """The per-type field names (keys 8 and up), i.e. what ``License.fields`` may hold."""
        return tuple(spec.name for spec in self.fields if spec.key >= 8)


class UnknownLicenseType(LookupError):
    """No license type has this code."""


COMMON_FIELDS = ("holder_name", "holder_code", "holder_code_masked", "valid_from", "valid_until")


def _dept(seq: int) -> str:
    body = f"111000000000{seq:05d}"
    return body + unified_credit_code_check_char(body)


# Placeholder national department codes by department kind (see module docstring).
_DEPARTMENTS = {
    "police": _dept(101),
    "immigration": _dept(102),
    "hrss": _dept(201),
    "healthcare_security": _dept(202),
    "housing_fund": _dept(301),
    "market_regulation": _dept(401),
    "civil_affairs": _dept(501),
    "health": _dept(601),
    "natural_resources": _dept(701),
    "education": _dept(801),
    "veterans_affairs": _dept(901),
    "disabled_persons_federation": _dept(902),
}

_F = tuple[str, str, str, str, str]  # name, label_zh, label_en, options, sample


def _spec(key: int, row: _F) -> FieldSpec:
    name, label_zh, label_en, options, sample = row
    kind, sensitive, max_length = "text", False, 64
    choices: tuple[str, ...] = ()
    for option in filter(None, options.split(";")):
        if option == "s":
            sensitive = True
        elif option == "date":
            kind = "date"
        elif option.startswith("max="):
            max_length = int(option[4:])
        elif option.startswith("enum="):
            kind, choices = "enum", tuple(option[5:].split("|"))
        else:
            raise ValueError(f"unknown field option {option!r}")
    return FieldSpec(name, key, label_zh, label_en, kind, sensitive, choices, max_length, sample)


def _type(
    number: int,
    code: str,
    name: tuple[str, str],
    kind: str,
    seq: int,
    department_zh: str,
    holder: tuple[str, str, str, str, str],
    rows: tuple[_F, ...],
) -> LicenseType:
    holder_kind, name_zh, name_en, code_zh, code_en = holder
    common = (
        FieldSpec("holder_name", 2, name_zh, name_en, max_length=100),
        FieldSpec("holder_code", 3, code_zh, code_en, sensitive=True, max_length=32),
        FieldSpec("holder_code_masked", 4, code_zh, code_en, max_length=32),
        FieldSpec("valid_from", 5, "有效期起始日期", "Valid from", "date"),
        FieldSpec("valid_until", 6, "有效期截止日期", "Valid until", "date"),
    )
    own = tuple(_spec(8 + i, row) for i, row in enumerate(rows))
    validity = ("valid_from", "valid_until")
    minimal = ("holder_name", "holder_code_masked") + validity
    # Beside the masked number (first 4 and last 4 digits) a birth date or a district leaves too few
    # candidate ID numbers (wallet.reidentification): profiles short of ``full`` leave them out.
    # Until issue 12 they were shown: a credential signed then still verifies until it expires.
    person = holder_kind in (PERSON, EITHER)
    shown = [spec for spec in own if not spec.sensitive]
    standard = minimal + tuple(spec.name for spec in shown if not (person and spec.narrows_resident_id))
    full = ("holder_name", "holder_code") + validity + tuple(spec.name for spec in own)
    profiles = MappingProxyType({"minimal": minimal, "standard": standard, "full": full})
    retired = MappingProxyType({"standard": tuple(spec.name for spec in shown if spec.name not in standard)})
    return LicenseType(
        code, number, _DEPARTMENTS[kind] + f"{seq:03d}", name[0], name[1], kind, department_zh,
        holder_kind, common + own, profiles, retired,
    )


_PERSON = (PERSON, "姓名", "Name", "公民身份号码", "Citizen ID number")
_GENDER: _F = ("gender", "性别", "Sex", "enum=男|女", "")
_BIRTH: _F = (BIRTH_DATE, "出生日期", "Date of birth", "date", "")
_ETHNIC: _F = ("ethnicity", "民族", "Ethnic group", "", "{pick:汉|汉|汉|汉|回|满|朝鲜|蒙古}")
_ADDRESS: _F = (
    "address", "住址", "Address", "s;max=100",
    "山东省青岛市{district}{street}{n:1-300}号{n:1-30}号楼{n:1-6}单元{n:101-2802}户",
)
_ISSUE: _F = ("issue_date", "发证日期", "Date of issue", "date", "")
_POLICE = "青岛市公安局{district}分局"

_TYPES = (
    _type(1, "id_card", ("居民身份证", "Resident identity card"), "police", 1, "青岛市公安局", _PERSON, (
        _GENDER, _ETHNIC, _BIRTH, _ADDRESS,
        ("issuing_authority", "签发机关", "Issuing authority", "", _POLICE),
    )),
    _type(2, "driving_license", ("机动车驾驶证", "Motor vehicle driving licence"), "police", 2,
          "青岛市公安局交通警察支队", (PERSON, "姓名", "Name", "证号", "Licence number"), (
        _GENDER, ("nationality", "国籍", "Nationality", "", "中国"), _ADDRESS, _BIRTH,
        ("first_issue_date", "初次领证日期", "Date of first issue", "date", ""),
        ("license_class", "准驾车型", "Permitted vehicle classes", "max=16", "{pick:C1|C1|C2|C1E|B2|A1|A2}"),
        ("file_number", "档案编号", "File number", "s", "3702{digits:8}"),
        ("record_status", "状态", "Status", "enum=正常|逾期未换证|逾期未审验|累积记分达到规定分值|暂扣|停止使用", ""),
        ("points", "累积记分", "Penalty points", "max=2", "{pick:0|0|0|2|3|6}"),
    )),
    _type(3, "vehicle_license", ("机动车行驶证", "Motor vehicle registration certificate"), "police", 3,
          "青岛市公安局交通警察支队", (EITHER, "所有人", "Owner", "所有人证件号码", "Owner ID number"), (
        ("plate_number", "号牌号码", "Plate number", "max=10", "鲁B{plate}"),
        ("vehicle_type", "车辆类型", "Vehicle type", "", "{pick:小型轿车|小型普通客车|小型越野客车}"),
        ("use_character", "使用性质", "Use", "enum=非营运|营运|预约出租客运|警用", ""),
        ("brand_model", "品牌型号", "Make and model", "", "{pick:大众汽车牌SVW7155|比亚迪牌BYD7005BEV|丰田牌TV7251}"),
        ("vin", "车辆识别代号", "VIN", "s;max=17", "L{upper:2}{digits:14}"),
        ("engine_number", "发动机号码", "Engine number", "s;max=20", "{upper:2}{digits:6}"),
        ("register_date", "注册日期", "Date of registration", "date", ""),
        _ISSUE, _ADDRESS,
        ("inspection_until", "检验有效期至", "Inspection valid until", "date", ""),
    )),
    _type(4, "social_security_card", ("社会保障卡", "Social security card"), "hrss", 1,
          "青岛市人力资源和社会保障局", (PERSON, "姓名", "Name", "社会保障号码", "Social security number"), (
        ("card_number", "社会保障卡卡号", "Card number", "s", "{upper:1}{digits:8}"),
        _ISSUE, ("issue_place", "发卡地", "Place of issue", "", "山东省青岛市"),
        ("bank_name", "金融账户开户行", "Bank", "", "{pick:中国工商银行|中国建设银行|青岛银行|青岛农商银行}"),
    )),
    _type(5, "housing_fund_certificate", ("住房公积金缴存证明", "Housing provident fund deposit certificate"),
          "housing_fund", 1, "青岛市住房公积金管理中心", _PERSON, (
        ("account_number", "个人账号", "Account number", "s", "{digits:12}"),
        ("employer", "单位名称", "Employer", "max=100", "青岛{pick:海尔|海信|啤酒|港湾|城投}{pick:科技|集团|物流}有限公司"),
        ("deposit_status", "缴存状态", "Deposit status", "enum=正常缴存|封存|销户", ""),
        ("open_date", "开户日期", "Account opened", "date", ""),
        ("paid_until", "缴至年月", "Paid up to", "max=7", "{yyyymm}"),
        ("monthly_deposit", "月缴存额", "Monthly deposit", "s", "{n:300-6000}.00"),
        ("balance", "账户余额", "Balance", "s", "{n:1000-300000}.{digits:2}"),
    )),
    _type(6, "business_license", ("营业执照", "Business licence"), "market_regulation", 1,
          "青岛市市场监督管理局", (ORGANIZATION, "名称", "Name", "统一社会信用代码", "Unified social credit code"), (
        ("entity_type", "类型", "Entity type", "",
         "{pick:有限责任公司(自然人投资或控股)|个人独资企业|股份有限公司(非上市)|个体工商户}"),
        ("legal_representative", "法定代表人", "Legal representative", "", "{name}"),
        ("registered_capital", "注册资本", "Registered capital", "", "{pick:10|50|100|500|1000}万元人民币"),
        ("established_date", "成立日期", "Date of establishment", "date", ""),
        ("domicile", "住所", "Domicile", "max=100", "山东省青岛市{district}{street}{n:1-300}号"),
        ("business_scope", "经营范围", "Business scope", "max=300",
         "一般项目：{pick:技术服务、技术开发、技术咨询|食品销售（仅销售预包装食品）|货物进出口|日用百货销售}。"
         "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"),
        ("registration_authority", "登记机关", "Registration authority", "", "青岛市{district}市场监督管理局"),
    )),
    _type(7, "household_register", ("居民户口簿", "Household register"), "police", 4, "青岛市公安局", _PERSON, (
        ("household_number", "户号", "Household number", "s", "{digits:9}"),
        ("household_type", "户别", "Household type", "enum=家庭户|集体户", ""),
        ("head_name", "户主姓名", "Head of household", "", "{name}"),
        ("relation", "与户主关系", "Relation to head", "", "{pick:户主|配偶|子|女|母|父}"),
        _GENDER, _ETHNIC, _BIRTH,
        ("birthplace", "出生地", "Place of birth", "", "山东省青岛市"),
        ("native_place", "籍贯", "Native place", "", "{pick:山东省青岛市|山东省潍坊市|山东省烟台市|河北省石家庄市}"),
        _ADDRESS,
    )),
    _type(8, "marriage_certificate", ("结婚证", "Marriage certificate"), "civil_affairs", 1, "青岛市民政局",
          _PERSON, (
        ("certificate_number", "结婚证字号", "Certificate number", "max=24", "J3702{digits:2}-{yyyy}-{digits:6}"),
        ("registration_date", "登记日期", "Date of registration", "date", ""),
        ("spouse_name", "配偶姓名", "Spouse", "", "{name}"),
        ("spouse_code", "配偶身份证件号", "Spouse ID number", "s;max=32", "{resident_id}"),
        ("registration_authority", "登记机关", "Registration authority", "", "青岛市{district}民政局"),
    )),
    _type(9, "divorce_certificate", ("离婚证", "Divorce certificate"), "civil_affairs", 2, "青岛市民政局",
          _PERSON, (
        ("certificate_number", "离婚证字号", "Certificate number", "max=24", "L3702{digits:2}-{yyyy}-{digits:6}"),
        ("registration_date", "登记日期", "Date of registration", "date", ""),
        ("former_spouse_name", "原配偶姓名", "Former spouse", "", "{name}"),
        ("former_spouse_code", "原配偶身份证件号", "Former spouse ID number", "s;max=32", "{resident_id}"),
        ("registration_authority", "登记机关", "Registration authority", "", "青岛市{district}民政局"),
    )),
    _type(10, "birth_certificate", ("出生医学证明", "Medical certificate of birth"), "health", 1,
          "青岛市卫生健康委员会", (DOCUMENT, "新生儿姓名", "Newborn", "出生医学证明编号", "Certificate number"), (
        _GENDER, ("birth_time", "出生时间", "Time of birth", "max=20", "{date_time}"),
        ("birthplace", "出生地点", "Place of birth", "", "山东省青岛市{district}"),
        ("gestational_weeks", "出生孕周", "Gestational weeks", "max=4", "{n:37-41}"),
        ("mother_name", "母亲姓名", "Mother", "", "{name}"),
        ("mother_code", "母亲有效身份证件号码", "Mother ID number", "s;max=32", "{resident_id}"),
        ("father_name", "父亲姓名", "Father", "", "{name}"),
        ("father_code", "父亲有效身份证件号码", "Father ID number", "s;max=32", "{resident_id}"),
        ("institution", "接生机构名称", "Delivery institution", "",
         "{pick:青岛大学附属医院|青岛市妇女儿童医院|青岛市市立医院|青岛市中心医院}"),
    )),
    _type(11, "disability_certificate", ("残疾人证", "Disability certificate"), "disabled_persons_federation", 1,
          "青岛市残疾人联合会", _PERSON, (
        ("certificate_number", "残疾人证号", "Certificate number", "s;max=20",
         "{holder_code}{pick:41|42|43|44|51|52}"),
        _GENDER,
        ("disability_category", "残疾类别", "Category", "s;enum=视力|听力|言语|肢体|智力|精神|多重", ""),
        ("disability_grade", "残疾等级", "Grade", "s;enum=一级|二级|三级|四级", ""),
        ("guardian_name", "监护人", "Guardian", "", "{name}"), _ADDRESS, _ISSUE,
    )),
    _type(12, "real_estate_certificate", ("不动产权证书", "Real estate title certificate"), "natural_resources", 1,
          "青岛市自然资源和规划局", (EITHER, "权利人", "Right holder", "证件号码", "ID number"), (
        ("certificate_number", "不动产权证号", "Certificate number", "max=40",
         "鲁({yyyy})青岛市不动产权第{digits:7}号"),
        ("co_ownership", "共有情况", "Co-ownership", "enum=单独所有|共同共有|按份共有", ""),
        ("location", "坐落", "Location", "s;max=100", "{district}{street}{n:1-300}号{n:1-30}号楼{n:101-2802}户"),
        ("unit_number", "不动产单元号", "Unit number", "s;max=28", "3702{digits:8}GB{digits:5}F{digits:8}"),
        ("right_type", "权利类型", "Right type", "", "国有建设用地使用权/房屋所有权"),
        ("right_nature", "权利性质", "Right nature", "", "出让/市场化商品房"),
        ("use", "用途", "Use", "", "城镇住宅用地/住宅"),
        ("area", "面积", "Area", "s", "房屋建筑面积{n:40-180}.{digits:2}㎡"),
        ("land_use_term", "使用期限", "Term of use", "", "{yyyy}年{n:1-12}月{n:1-28}日起70年"),
    )),
    _type(13, "residence_permit", ("居住证", "Residence permit"), "police", 5, "青岛市公安局", _PERSON, (
        _GENDER, _ETHNIC, _BIRTH, _ADDRESS,
        ("issuing_authority", "签发机关", "Issuing authority", "", _POLICE),
    )),
    _type(14, "exit_entry_permit", ("往来港澳通行证", "Exit-entry permit to Hong Kong and Macao"), "immigration",
          1, "青岛市公安局出入境管理局", _PERSON, (
        ("permit_number", "证件号码", "Permit number", "s;max=12", "C{digits:8}"),
        _GENDER, _BIRTH, ("birthplace", "出生地点", "Place of birth", "", "山东"),
        ("issue_place", "签发地点", "Place of issue", "", "山东"),
        ("issuing_authority", "签发机关", "Issuing authority", "", "中华人民共和国出入境管理局"),
    )),
    _type(15, "medical_insurance_voucher", ("医保电子凭证", "Medical insurance e-voucher"), "healthcare_security",
          1, "青岛市医疗保障局", _PERSON, (
        ("insured_area", "参保地", "Insured in", "", "山东省青岛市"),
        ("insurance_type", "险种类型", "Insurance type", "enum=职工基本医疗保险|城乡居民基本医疗保险", ""),
        ("insured_status", "参保状态", "Status", "enum=正常参保|暂停参保|终止参保", ""),
        ("personal_number", "个人编号", "Personal number", "s", "3702{digits:12}"),
    )),
    _type(16, "health_card", ("电子健康卡", "Electronic health card"), "health", 2, "青岛市卫生健康委员会",
          _PERSON, (
        ("card_number", "主索引号", "Master index number", "s;max=64", "{upper:4}{digits:28}"),
        _GENDER, _BIRTH, ("issuer_org", "发卡机构", "Issued by", "", "青岛市卫生健康委员会"),
    )),
    _type(17, "teacher_qualification", ("教师资格证书", "Teacher qualification certificate"), "education", 1,
          "青岛市教育局", _PERSON, (
        ("certificate_number", "资格证书号码", "Certificate number", "max=20", "{yyyy}3702{digits:9}"),
        _GENDER, _BIRTH,
        ("qualification_type", "资格种类", "Qualification",
         "enum=幼儿园教师资格|小学教师资格|初级中学教师资格|高级中学教师资格|中等职业学校教师资格", ""),
        ("subject", "任教学科", "Subject", "", "{pick:语文|数学|英语|物理|化学|生物|历史|地理|体育|音乐}"),
        _ISSUE, ("issuing_authority", "颁发机关", "Issuing authority", "", "青岛市{district}教育和体育局"),
    )),
    _type(18, "veteran_preferential_card", ("退役军人优待证", "Veteran preferential treatment card"),
          "veterans_affairs", 1, "青岛市退役军人事务局", _PERSON, (
        ("card_number", "优待证号", "Card number", "max=20", "370200{digits:10}"),
        _GENDER, _BIRTH, _ISSUE,
    )),
    _type(19, "senior_citizen_card", ("老年人优待证", "Senior citizen preferential card"), "civil_affairs", 3,
          "青岛市民政局", _PERSON, (
        ("card_number", "优待证号", "Card number", "max=20", "QD{digits:10}"),
        _GENDER, _BIRTH, ("district", "所属区(市)", "District", "", "{district}"), _ISSUE,
    )),
    _type(20, "food_business_permit", ("食品经营许可证", "Food business permit"), "market_regulation", 2,
          "青岛市市场监督管理局", (ORGANIZATION, "经营者名称", "Operator", "社会信用代码", "Unified social credit code"), (
        ("permit_number", "许可证编号", "Permit number", "max=16", "JY{pick:1|2|3}3702{digits:9}"),
        ("legal_representative", "法定代表人(负责人)", "Legal representative", "", "{name}"),
        ("domicile", "住所", "Domicile", "max=100", "山东省青岛市{district}{street}{n:1-300}号"),
        ("premises", "经营场所", "Business premises", "max=100", "山东省青岛市{district}{street}{n:1-300}号"),
        ("main_business", "主体业态", "Main business", "", "{pick:餐饮服务经营者|食品销售经营者|单位食堂}"),
        ("business_items", "经营项目", "Business items", "max=100",
         "{pick:热食类食品制售|预包装食品（含冷藏冷冻食品）销售|冷食类食品制售}"),
        ("issuing_authority", "发证机关", "Issuing authority", "", "青岛市{district}市场监督管理局"),
        _ISSUE,
    )),
    _type(21, "physician_practice_certificate", ("医师执业证书", "Physician practising certificate"), "health", 3,
          "青岛市卫生健康委员会", _PERSON, (
        ("certificate_number", "证书编码", "Certificate number", "max=16", "1{digits:14}"),
        _GENDER, _BIRTH,
        ("practice_category", "执业类别", "Category", "enum=临床|中医|口腔|公共卫生", ""),
        ("practice_scope", "执业范围", "Scope", "", "{pick:内科专业|外科专业|妇产科专业|儿科专业|全科医学专业}"),
        ("practice_place", "执业地点", "Place of practice", "",
         "{pick:青岛大学附属医院|青岛市市立医院|青岛市中心医院|青岛市海慈医疗集团}"),
        _ISSUE, ("issuing_authority", "发证机关", "Issuing authority", "", "青岛市卫生健康委员会"),
    )),
)

REGISTRY: Mapping[str, LicenseType] = MappingProxyType({t.code: t for t in _TYPES})
BY_NUMBER: Mapping[int, LicenseType] = MappingProxyType({t.number: t for t in _TYPES})


def get_type(code: str) -> LicenseType:
    """Return the license type registered as ``code`` or raise ``UnknownLicenseType`` listing the codes."""
    try:
        return REGISTRY[code]
    except (KeyError, TypeError):
        raise UnknownLicenseType(f"unknown license type {code!r}; known: {', '.join(REGISTRY)}") from None
