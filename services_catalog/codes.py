"""Code tables of the service-item domain: item types, audiences, statuses, channels, regions, licenses."""

from __future__ import annotations

from typing import Mapping, NamedTuple

__all__ = [
    "Label",
    "ITEM_TYPES",
    "ITEM_TYPE_PUBLIC_SERVICE",
    "AUDIENCES",
    "AUDIENCE_NATURAL_PERSON",
    "PERSONAS",
    "PERSONA_INDIVIDUAL",
    "PERSONA_LEGAL",
    "persona_of_audience",
    "HANDLING_TYPES",
    "HANDLING_IMMEDIATE",
    "HANDLING_PROMISED",
    "TIME_UNITS",
    "TIME_UNIT_WORKING_DAY",
    "TIME_UNIT_NATURAL_DAY",
    "ONLINE_DEPTHS",
    "ONLINE_DEPTH_FULL",
    "CHANNELS",
    "CHANNEL_EXPRESS",
    "CHANNEL_WINDOW",
    "CHANNEL_ONLINE",
    "MATERIAL_KINDS",
    "MATERIAL_FORMS",
    "NECESSITIES",
    "NECESSITY_REQUIRED",
    "OUTPUT_KINDS",
    "STATUSES",
    "STATUS_DRAFT",
    "STATUS_PENDING",
    "STATUS_PUBLISHED",
    "STATUS_SUSPENDED",
    "STATUS_CANCELLED",
    "E_LICENSE_TYPES",
    "THEMES",
    "LIFE_EVENTS",
    "QINGDAO_CITY",
    "QINGDAO_REGIONS",
]


class Label(NamedTuple):
    """A code's display names, Chinese first because the catalog is Chinese."""

    zh: str
    en: str


# 事项类型 as used by the national integrated platform (taskType in the provincial portals).
ITEM_TYPES: Mapping[str, Label] = {
    "01": Label("行政许可", "administrative licensing"),
    "02": Label("行政处罚", "administrative penalty"),
    "03": Label("行政强制", "administrative enforcement"),
    "04": Label("行政征收", "administrative levy"),
    "05": Label("行政给付", "administrative payment"),
    "06": Label("行政检查", "administrative inspection"),
    "07": Label("行政确认", "administrative confirmation"),
    "08": Label("行政奖励", "administrative reward"),
    "09": Label("行政裁决", "administrative adjudication"),
    "10": Label("其他行政权力", "other administrative power"),
    "20": Label("公共服务", "public service"),
}
ITEM_TYPE_PUBLIC_SERVICE = "20"

# The seven 服务对象 categories; slugs rather than numbers so API filters read plainly.
AUDIENCE_NATURAL_PERSON = "natural_person"
AUDIENCES: Mapping[str, Label] = {
    AUDIENCE_NATURAL_PERSON: Label("自然人", "natural person"),
    "enterprise_legal_person": Label("企业法人", "enterprise legal person"),
    "institution_legal_person": Label("事业法人", "public institution legal person"),
    "social_org_legal_person": Label("社会组织法人", "social organisation legal person"),
    "unincorporated_enterprise": Label("非法人企业", "unincorporated enterprise"),
    "government_agency": Label("行政机关", "government agency"),
    "other_organization": Label("其他组织", "other organisation"),
}

PERSONA_INDIVIDUAL = "individual"
PERSONA_LEGAL = "legal"
PERSONAS: Mapping[str, Label] = {
    PERSONA_INDIVIDUAL: Label("个人", "individual"),
    PERSONA_LEGAL: Label("法人", "legal entity"),
}


def persona_of_audience(audience: str) -> str:
    """Return the app persona (个人 / 法人) an audience code belongs to."""
    return PERSONA_INDIVIDUAL if audience == AUDIENCE_NATURAL_PERSON else PERSONA_LEGAL


HANDLING_IMMEDIATE = "immediate"
HANDLING_PROMISED = "promised"
HANDLING_TYPES: Mapping[str, Label] = {
    HANDLING_IMMEDIATE: Label("即办件", "handled on the spot"),
    HANDLING_PROMISED: Label("承诺件", "handled within a promised time"),
}

TIME_UNIT_WORKING_DAY = "working_day"
TIME_UNIT_NATURAL_DAY = "natural_day"
TIME_UNITS: Mapping[str, Label] = {
    TIME_UNIT_WORKING_DAY: Label("工作日", "working days"),
    TIME_UNIT_NATURAL_DAY: Label("自然日", "calendar days"),
}

# 网上办理深度: the four national levels, 0 meaning the item is not online at all.
ONLINE_DEPTH_FULL = 4
ONLINE_DEPTHS: Mapping[int, Label] = {
    0: Label("不提供网上办理", "not online"),
    1: Label("网上咨询（一级）", "information and consultation online (level 1)"),
    2: Label("网上下载表格（二级）", "forms downloadable (level 2)"),
    3: Label("网上预审（三级）", "online pre-review (level 3)"),
    4: Label("全程网办（四级）", "fully online (level 4)"),
}

CHANNEL_WINDOW = "window"
CHANNEL_ONLINE = "online"
CHANNEL_EXPRESS = "express"
CHANNELS: Mapping[str, Label] = {
    CHANNEL_WINDOW: Label("窗口办理", "service-hall window"),
    CHANNEL_ONLINE: Label("网上办理", "website"),
    "mobile": Label("掌上办理", "mobile app"),
    "kiosk": Label("自助终端", "self-service kiosk"),
    CHANNEL_EXPRESS: Label("邮寄送达", "express delivery"),
}

MATERIAL_KINDS: Mapping[str, Label] = {
    "original": Label("原件", "original"),
    "copy": Label("复印件", "photocopy"),
    "original_and_copy": Label("原件及复印件", "original and photocopy"),
    "electronic": Label("电子材料", "electronic document"),
}
MATERIAL_FORMS: Mapping[str, Label] = {
    "paper": Label("纸质", "paper"),
    "electronic": Label("电子", "electronic"),
    "paper_or_electronic": Label("纸质或电子", "paper or electronic"),
}
NECESSITY_REQUIRED = "required"
NECESSITIES: Mapping[str, Label] = {
    NECESSITY_REQUIRED: Label("必要", "required"),
    "deferrable": Label("容缺", "may be supplied later (容缺受理)"),
    "optional": Label("非必要", "optional"),
}
OUTPUT_KINDS: Mapping[str, Label] = {
    "license": Label("证照", "license or certificate"),
    "approval": Label("批准文书", "approval document"),
    "record": Label("备案或登记结果", "filing or registration result"),
    "payment": Label("待遇或资金", "benefit or payment"),
    "other": Label("其他", "other"),
}

STATUS_DRAFT = "draft"
STATUS_PENDING = "pending"
STATUS_PUBLISHED = "published"
STATUS_SUSPENDED = "suspended"
STATUS_CANCELLED = "cancelled"
STATUSES: Mapping[str, Label] = {
    STATUS_DRAFT: Label("草稿", "draft"),
    STATUS_PENDING: Label("待审核", "pending review"),
    STATUS_PUBLISHED: Label("已发布", "published"),
    STATUS_SUSPENDED: Label("暂停办理", "suspended"),
    STATUS_CANCELLED: Label("已取消", "cancelled"),
}

# Wallet license type codes, shared with the wallet's registry: a material linked to one is 免证办.
E_LICENSE_TYPES: Mapping[str, Label] = {
    "id_card": Label("居民身份证", "resident identity card"),
    "driving_license": Label("机动车驾驶证", "driving licence"),
    "vehicle_license": Label("机动车行驶证", "vehicle licence"),
    "social_security_card": Label("社会保障卡", "social security card"),
    "housing_fund_certificate": Label("住房公积金缴存证明", "housing fund deposit certificate"),
    "business_license": Label("营业执照", "business licence"),
    "household_register": Label("居民户口簿", "household register"),
    "marriage_certificate": Label("结婚证", "marriage certificate"),
    "birth_certificate": Label("出生医学证明", "medical birth certificate"),
    "disability_certificate": Label("残疾人证", "disability certificate"),
    "real_estate_certificate": Label("不动产权证书", "real estate title certificate"),
    "residence_permit": Label("居住证", "residence permit"),
}

THEMES: Mapping[str, Label] = {
    "identity": Label("证件办理", "identity documents"),
    "household": Label("户籍办理", "household registration"),
    "birth": Label("生育收养", "birth and adoption"),
    "education": Label("教育科研", "education"),
    "employment": Label("就业创业", "jobs and start-ups"),
    "social_security": Label("社会保险", "social insurance"),
    "medical": Label("医疗卫生", "health care"),
    "housing": Label("住房保障", "housing"),
    "housing_fund": Label("住房公积金", "housing provident fund"),
    "real_estate": Label("不动产登记", "real estate registration"),
    "marriage": Label("婚姻登记", "marriage registration"),
    "transport": Label("交通出行", "transport and vehicles"),
    "retirement": Label("退休养老", "retirement and old age"),
    "disability": Label("残疾人服务", "disability services"),
    "social_assistance": Label("社会救助", "social assistance"),
    "veterans": Label("优待抚恤", "veterans and survivors"),
    "death": Label("死亡殡葬", "death and funerals"),
    "tax": Label("纳税缴费", "taxes and fees"),
    "business_setup": Label("设立变更", "business registration"),
    "permits": Label("准营准办", "operating permits"),
    "construction": Label("工程建设", "construction projects"),
    "environment": Label("生态环境", "environment"),
    "agriculture": Label("农林牧渔", "agriculture and forestry"),
    "culture": Label("文化旅游", "culture and tourism"),
    "safety": Label("安全生产", "work safety"),
    "justice": Label("司法公证", "legal services"),
    "other": Label("其他", "other"),
}

# 一件事: life events whose items are offered together with merged materials.
LIFE_EVENTS: Mapping[str, Label] = {
    "newborn": Label("新生儿出生一件事", "a child is born"),
    "school_enrollment": Label("入学一件事", "starting school"),
    "employment": Label("就业一件事", "getting a job"),
    "unemployment": Label("失业一件事", "losing a job"),
    "marriage": Label("婚育一件事", "getting married"),
    "retirement": Label("退休一件事", "retiring"),
    "business_startup": Label("企业开办一件事", "starting a business"),
    "business_closure": Label("企业注销一件事", "closing a business"),
    "second_hand_housing": Label("二手房转移登记一件事", "buying a second-hand home"),
    "housing_purchase": Label("购房一件事", "buying a home"),
    "vehicle": Label("车辆一件事", "owning a vehicle"),
    "disability": Label("残疾人服务一件事", "living with a disability"),
    "veterans": Label("退役军人一件事", "leaving the armed forces"),
    "after_death": Label("身后事一件事", "after a death"),
}

QINGDAO_CITY = "370200"
# GB/T 2260 codes of Qingdao and its ten county-level divisions.
QINGDAO_REGIONS: Mapping[str, Label] = {
    QINGDAO_CITY: Label("青岛市", "Qingdao"),
    "370202": Label("市南区", "Shinan District"),
    "370203": Label("市北区", "Shibei District"),
    "370211": Label("黄岛区", "Huangdao District"),
    "370212": Label("崂山区", "Laoshan District"),
    "370213": Label("李沧区", "Licang District"),
    "370214": Label("城阳区", "Chengyang District"),
    "370215": Label("即墨区", "Jimo District"),
    "370281": Label("胶州市", "Jiaozhou"),
    "370283": Label("平度市", "Pingdu"),
    "370285": Label("莱西市", "Laixi"),
}
