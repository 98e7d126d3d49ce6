"""Registry of the 21 license types the city's e-card wallet (市民电子卡包) carries: labels, keys, profiles.

Compact claim keys are part of the wire format, so every field declares its key, and keys are permanent:
type -> field -> key -> value format (text, date, or enum with its choices in order; max length;
sensitivity). Keys 0 and 1 of the license claim carry the type number and the profile number; common
fields (GB/T 36903 metadata: holder, holder code, validity) share keys 2-6 in every type; per-type fields
take 8 and up (7 is never assigned). Within a type, keys are unique and ascend in declaration order
(checked at import). ``tests/vectors/qd1/registry.json`` is the committed, append-only record of every key
ever given out: an existing key never changes name or format, a removed key is never reused, a new field
takes a key above every key its type used (``tests/wallet/test_registry_snapshot.py`` compares; record a
new key with ``python tests/vectors/qd1/snapshot_registry.py --append``). Demo values are not declared
here: ``wallet.license_sample_templates`` holds them, by type and field.

The GB/T 36904 type codes follow the standard's structure (the defining national department's
18-character unified social credit code plus a 3-digit sequence), but the department codes below are
placeholders with valid check characters: the national catalogue (全国一体化政务服务平台电子证照目录)
assigns the real ones, which replace these when the platform is connected.
"""

from __future__ import annotations

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
    "FIRST_OWN_KEY",
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


@dataclass(frozen=True)
class FieldSpec:
    """One field of a license type: machine name, compact key, labels, value kind and sensitivity.

    ``names_district`` and ``holds_resident_id`` are declared facts for the re-identification audit
    (``wallet.reidentification``): a value names a Qingdao district (an authority or place written with
    one, or a number carrying the 3702xx area code of its registry office), or is another person's whole
    resident ID number (a spouse's, a parent's).
    """

    name: str
    key: int
    label_zh: str
    label_en: str
    kind: str = "text"  # "text" | "date" | "enum"
    sensitive: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 64
    names_district: bool = False
    holds_resident_id: bool = False

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
        return tuple(spec.name for spec in self.fields if spec.key >= FIRST_OWN_KEY)


class UnknownLicenseType(LookupError):
    """No license type has this code."""


COMMON_FIELDS = ("holder_name", "holder_code", "holder_code_masked", "valid_from", "valid_until")
#: The first key of a per-type field; below it: 0 type number, 1 profile number, 2-6 common fields, 7 unused.
FIRST_OWN_KEY = 8


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

_F = tuple[int, str, str, str, str]  # key, name, label_zh, label_en, options
_Shared = tuple[str, str, str, str]  # a field several types carry, each at its own key: (key, *_SHARED)


def _spec(row: _F) -> FieldSpec:
    """Build a field from its row; options, ``;``-separated: s (sensitive), date, max=N, enum=a|b|...,
    district (the value names a district), rid (the value is another person's resident ID number)."""
    key, name, label_zh, label_en, options = row
    kind, sensitive, max_length, district, rid = "text", False, 64, False, False
    choices: tuple[str, ...] = ()
    for option in filter(None, options.split(";")):
        if option == "s":
            sensitive = True
        elif option == "date":
            kind = "date"
        elif option == "district":
            district = True
        elif option == "rid":
            rid = True
        elif option.startswith("max="):
            max_length = int(option[4:])
        elif option.startswith("enum="):
            kind, choices = "enum", tuple(option[5:].split("|"))
        else:
            raise ValueError(f"unknown field option {option!r}")
    return FieldSpec(name, key, label_zh, label_en, kind, sensitive, choices, max_length, district, rid)


def _check_keys(code: str, fields: tuple[FieldSpec, ...]) -> None:
    """Refuse a type whose keys repeat, go down, or leave their ranges, and one naming a field twice."""
    keys = [spec.key for spec in fields]
    names = [spec.name for spec in fields]
    own = [spec.key for spec in fields if spec.name not in COMMON_FIELDS]
    if len(set(keys)) != len(keys) or len(set(names)) != len(names):
        raise ValueError(f"{code}: a field key or name is declared twice: {list(zip(keys, names))}")
    if keys != sorted(keys) or any(key < FIRST_OWN_KEY for key in own):
        raise ValueError(f"{code}: per-type keys must ascend from {FIRST_OWN_KEY} in declaration order: {own}")


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
    """Declare a type; its common fields are built here, its own come from ``rows``, each with its key."""
    holder_kind, name_zh, name_en, code_zh, code_en = holder
    common = (
        FieldSpec("holder_name", 2, name_zh, name_en, max_length=100),
        FieldSpec("holder_code", 3, code_zh, code_en, sensitive=True, max_length=32),
        FieldSpec("holder_code_masked", 4, code_zh, code_en, max_length=32),
        FieldSpec("valid_from", 5, "有效期起始日期", "Valid from", "date"),
        FieldSpec("valid_until", 6, "有效期截止日期", "Valid until", "date"),
    )
    own = tuple(_spec(row) for row in rows)
    _check_keys(code, common + own)
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
_GENDER: _Shared = ("gender", "性别", "Sex", "enum=男|女")
_BIRTH: _Shared = (BIRTH_DATE, "出生日期", "Date of birth", "date")
_ETHNIC: _Shared = ("ethnicity", "民族", "Ethnic group", "")
_ADDRESS: _Shared = ("address", "住址", "Address", "s;max=100;district")
_ISSUE: _Shared = ("issue_date", "发证日期", "Date of issue", "date")

_TYPES = (
    _type(1, "id_card", ("居民身份证", "Resident identity card"), "police", 1, "青岛市公安局", _PERSON, (
        (8, *_GENDER),
        (9, *_ETHNIC),
        (10, *_BIRTH),
        (11, *_ADDRESS),
        (12, "issuing_authority", "签发机关", "Issuing authority", "district"),
    )),
    _type(2, "driving_license", ("机动车驾驶证", "Motor vehicle driving licence"), "police", 2,
          "青岛市公安局交通警察支队", (PERSON, "姓名", "Name", "证号", "Licence number"), (
        (8, *_GENDER),
        (9, "nationality", "国籍", "Nationality", ""),
        (10, *_ADDRESS),
        (11, *_BIRTH),
        (12, "first_issue_date", "初次领证日期", "Date of first issue", "date"),
        (13, "license_class", "准驾车型", "Permitted vehicle classes", "max=16"),
        (14, "file_number", "档案编号", "File number", "s;district"),
        (15, "record_status", "状态", "Status", "enum=正常|逾期未换证|逾期未审验|累积记分达到规定分值|暂扣|停止使用"),
        (16, "points", "累积记分", "Penalty points", "max=2"),
    )),
    _type(3, "vehicle_license", ("机动车行驶证", "Motor vehicle registration certificate"), "police", 3,
          "青岛市公安局交通警察支队", (EITHER, "所有人", "Owner", "所有人证件号码", "Owner ID number"), (
        (8, "plate_number", "号牌号码", "Plate number", "max=10"),
        (9, "vehicle_type", "车辆类型", "Vehicle type", ""),
        (10, "use_character", "使用性质", "Use", "enum=非营运|营运|预约出租客运|警用"),
        (11, "brand_model", "品牌型号", "Make and model", ""),
        (12, "vin", "车辆识别代号", "VIN", "s;max=17"),
        (13, "engine_number", "发动机号码", "Engine number", "s;max=20"),
        (14, "register_date", "注册日期", "Date of registration", "date"),
        (15, *_ISSUE),
        (16, *_ADDRESS),
        (17, "inspection_until", "检验有效期至", "Inspection valid until", "date"),
    )),
    _type(4, "social_security_card", ("社会保障卡", "Social security card"), "hrss", 1,
          "青岛市人力资源和社会保障局", (PERSON, "姓名", "Name", "社会保障号码", "Social security number"), (
        (8, "card_number", "社会保障卡卡号", "Card number", "s"),
        (9, *_ISSUE),
        (10, "issue_place", "发卡地", "Place of issue", ""),
        (11, "bank_name", "金融账户开户行", "Bank", ""),
    )),
    _type(5, "housing_fund_certificate", ("住房公积金缴存证明", "Housing provident fund deposit certificate"),
          "housing_fund", 1, "青岛市住房公积金管理中心", _PERSON, (
        (8, "account_number", "个人账号", "Account number", "s"),
        (9, "employer", "单位名称", "Employer", "max=100"),
        (10, "deposit_status", "缴存状态", "Deposit status", "enum=正常缴存|封存|销户"),
        (11, "open_date", "开户日期", "Account opened", "date"),
        (12, "paid_until", "缴至年月", "Paid up to", "max=7"),
        (13, "monthly_deposit", "月缴存额", "Monthly deposit", "s"),
        (14, "balance", "账户余额", "Balance", "s"),
    )),
    _type(6, "business_license", ("营业执照", "Business licence"), "market_regulation", 1,
          "青岛市市场监督管理局", (ORGANIZATION, "名称", "Name", "统一社会信用代码", "Unified social credit code"), (
        (8, "entity_type", "类型", "Entity type", ""),
        (9, "legal_representative", "法定代表人", "Legal representative", ""),
        (10, "registered_capital", "注册资本", "Registered capital", ""),
        (11, "established_date", "成立日期", "Date of establishment", "date"),
        (12, "domicile", "住所", "Domicile", "max=100;district"),
        (13, "business_scope", "经营范围", "Business scope", "max=300"),
        (14, "registration_authority", "登记机关", "Registration authority", "district"),
    )),
    _type(7, "household_register", ("居民户口簿", "Household register"), "police", 4, "青岛市公安局", _PERSON, (
        (8, "household_number", "户号", "Household number", "s"),
        (9, "household_type", "户别", "Household type", "enum=家庭户|集体户"),
        (10, "head_name", "户主姓名", "Head of household", ""),
        (11, "relation", "与户主关系", "Relation to head", ""),
        (12, *_GENDER),
        (13, *_ETHNIC),
        (14, *_BIRTH),
        (15, "birthplace", "出生地", "Place of birth", ""),
        (16, "native_place", "籍贯", "Native place", ""),
        (17, *_ADDRESS),
    )),
    _type(8, "marriage_certificate", ("结婚证", "Marriage certificate"), "civil_affairs", 1, "青岛市民政局",
          _PERSON, (
        (8, "certificate_number", "结婚证字号", "Certificate number", "max=24;district"),
        (9, "registration_date", "登记日期", "Date of registration", "date"),
        (10, "spouse_name", "配偶姓名", "Spouse", ""),
        (11, "spouse_code", "配偶身份证件号", "Spouse ID number", "s;max=32;rid"),
        (12, "registration_authority", "登记机关", "Registration authority", "district"),
    )),
    _type(9, "divorce_certificate", ("离婚证", "Divorce certificate"), "civil_affairs", 2, "青岛市民政局",
          _PERSON, (
        (8, "certificate_number", "离婚证字号", "Certificate number", "max=24;district"),
        (9, "registration_date", "登记日期", "Date of registration", "date"),
        (10, "former_spouse_name", "原配偶姓名", "Former spouse", ""),
        (11, "former_spouse_code", "原配偶身份证件号", "Former spouse ID number", "s;max=32;rid"),
        (12, "registration_authority", "登记机关", "Registration authority", "district"),
    )),
    _type(10, "birth_certificate", ("出生医学证明", "Medical certificate of birth"), "health", 1,
          "青岛市卫生健康委员会", (DOCUMENT, "新生儿姓名", "Newborn", "出生医学证明编号", "Certificate number"), (
        (8, *_GENDER),
        (9, "birth_time", "出生时间", "Time of birth", "max=20"),
        (10, "birthplace", "出生地点", "Place of birth", "district"),
        (11, "gestational_weeks", "出生孕周", "Gestational weeks", "max=4"),
        (12, "mother_name", "母亲姓名", "Mother", ""),
        (13, "mother_code", "母亲有效身份证件号码", "Mother ID number", "s;max=32;rid"),
        (14, "father_name", "父亲姓名", "Father", ""),
        (15, "father_code", "父亲有效身份证件号码", "Father ID number", "s;max=32;rid"),
        (16, "institution", "接生机构名称", "Delivery institution", ""),
    )),
    _type(11, "disability_certificate", ("残疾人证", "Disability certificate"), "disabled_persons_federation", 1,
          "青岛市残疾人联合会", _PERSON, (
        (8, "certificate_number", "残疾人证号", "Certificate number", "s;max=20"),
        (9, *_GENDER),
        (10, "disability_category", "残疾类别", "Category", "s;enum=视力|听力|言语|肢体|智力|精神|多重"),
        (11, "disability_grade", "残疾等级", "Grade", "s;enum=一级|二级|三级|四级"),
        (12, "guardian_name", "监护人", "Guardian", ""),
        (13, *_ADDRESS),
        (14, *_ISSUE),
    )),
    _type(12, "real_estate_certificate", ("不动产权证书", "Real estate title certificate"), "natural_resources", 1,
          "青岛市自然资源和规划局", (EITHER, "权利人", "Right holder", "证件号码", "ID number"), (
        (8, "certificate_number", "不动产权证号", "Certificate number", "max=40"),
        (9, "co_ownership", "共有情况", "Co-ownership", "enum=单独所有|共同共有|按份共有"),
        (10, "location", "坐落", "Location", "s;max=100;district"),
        (11, "unit_number", "不动产单元号", "Unit number", "s;max=28;district"),
        (12, "right_type", "权利类型", "Right type", ""),
        (13, "right_nature", "权利性质", "Right nature", ""),
        (14, "use", "用途", "Use", ""),
        (15, "area", "面积", "Area", "s"),
        (16, "land_use_term", "使用期限", "Term of use", ""),
    )),
    _type(13, "residence_permit", ("居住证", "Residence permit"), "police", 5, "青岛市公安局", _PERSON, (
        (8, *_GENDER),
        (9, *_ETHNIC),
        (10, *_BIRTH),
        (11, *_ADDRESS),
        (12, "issuing_authority", "签发机关", "Issuing authority", "district"),
    )),
    _type(14, "exit_entry_permit", ("往来港澳通行证", "Exit-entry permit to Hong Kong and Macao"), "immigration",
          1, "青岛市公安局出入境管理局", _PERSON, (
        (8, "permit_number", "证件号码", "Permit number", "s;max=12"),
        (9, *_GENDER),
        (10, *_BIRTH),
        (11, "birthplace", "出生地点", "Place of birth", ""),
        (12, "issue_place", "签发地点", "Place of issue", ""),
        (13, "issuing_authority", "签发机关", "Issuing authority", ""),
    )),
    _type(15, "medical_insurance_voucher", ("医保电子凭证", "Medical insurance e-voucher"), "healthcare_security",
          1, "青岛市医疗保障局", _PERSON, (
        (8, "insured_area", "参保地", "Insured in", ""),
        (9, "insurance_type", "险种类型", "Insurance type", "enum=职工基本医疗保险|城乡居民基本医疗保险"),
        (10, "insured_status", "参保状态", "Status", "enum=正常参保|暂停参保|终止参保"),
        (11, "personal_number", "个人编号", "Personal number", "s"),
    )),
    _type(16, "health_card", ("电子健康卡", "Electronic health card"), "health", 2, "青岛市卫生健康委员会",
          _PERSON, (
        (8, "card_number", "主索引号", "Master index number", "s"),
        (9, *_GENDER),
        (10, *_BIRTH),
        (11, "issuer_org", "发卡机构", "Issued by", ""),
    )),
    _type(17, "teacher_qualification", ("教师资格证书", "Teacher qualification certificate"), "education", 1,
          "青岛市教育局", _PERSON, (
        (8, "certificate_number", "资格证书号码", "Certificate number", "max=20;district"),
        (9, *_GENDER),
        (10, *_BIRTH),
        (11, "qualification_type", "资格种类", "Qualification", "enum=幼儿园教师资格|小学教师资格|初级中学教师资格|高级中学教师资格|中等职业学校教师资格"),
        (12, "subject", "任教学科", "Subject", ""),
        (13, *_ISSUE),
        (14, "issuing_authority", "颁发机关", "Issuing authority", "district"),
    )),
    _type(18, "veteran_preferential_card", ("退役军人优待证", "Veteran preferential treatment card"),
          "veterans_affairs", 1, "青岛市退役军人事务局", _PERSON, (
        (8, "card_number", "优待证号", "Card number", "max=20"),
        (9, *_GENDER),
        (10, *_BIRTH),
        (11, *_ISSUE),
    )),
    _type(19, "senior_citizen_card", ("老年人优待证", "Senior citizen preferential card"), "civil_affairs", 3,
          "青岛市民政局", _PERSON, (
        (8, "card_number", "优待证号", "Card number", "max=20"),
        (9, *_GENDER),
        (10, *_BIRTH),
        (11, "district", "所属区(市)", "District", "district"),
        (12, *_ISSUE),
    )),
    _type(20, "food_business_permit", ("食品经营许可证", "Food business permit"), "market_regulation", 2,
          "青岛市市场监督管理局", (ORGANIZATION, "经营者名称", "Operator", "社会信用代码", "Unified social credit code"), (
        (8, "permit_number", "许可证编号", "Permit number", "max=16;district"),
        (9, "legal_representative", "法定代表人(负责人)", "Legal representative", ""),
        (10, "domicile", "住所", "Domicile", "max=100;district"),
        (11, "premises", "经营场所", "Business premises", "max=100;district"),
        (12, "main_business", "主体业态", "Main business", ""),
        (13, "business_items", "经营项目", "Business items", "max=100"),
        (14, "issuing_authority", "发证机关", "Issuing authority", "district"),
        (15, *_ISSUE),
    )),
    _type(21, "physician_practice_certificate", ("医师执业证书", "Physician practising certificate"), "health", 3,
          "青岛市卫生健康委员会", _PERSON, (
        (8, "certificate_number", "证书编码", "Certificate number", "max=16"),
        (9, *_GENDER),
        (10, *_BIRTH),
        (11, "practice_category", "执业类别", "Category", "enum=临床|中医|口腔|公共卫生"),
        (12, "practice_scope", "执业范围", "Scope", ""),
        (13, "practice_place", "执业地点", "Place of practice", ""),
        (14, *_ISSUE),
        (15, "issuing_authority", "发证机关", "Issuing authority", ""),
    )),
)

REGISTRY: Mapping[str, LicenseType] = MappingProxyType({t.code: t for t in _TYPES})
BY_NUMBER: Mapping[int, LicenseType] = MappingProxyType({t.number: t for t in _TYPES})
if not len(REGISTRY) == len(BY_NUMBER) == len(_TYPES):
    raise ValueError(f"a license type code or number is declared twice: {[(t.number, t.code) for t in _TYPES]}")


def get_type(code: str) -> LicenseType:
    """Return the license type registered as ``code`` or raise ``UnknownLicenseType`` listing the codes."""
    try:
        return REGISTRY[code]
    except (KeyError, TypeError):
        raise UnknownLicenseType(f"unknown license type {code!r}; known: {', '.join(REGISTRY)}") from None
