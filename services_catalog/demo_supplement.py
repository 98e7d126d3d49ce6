"""Everyday items the Guang'an source lacks (housing fund, vehicle administration, 企业开办 ...), written for the demo.

These names follow the wording of Qingdao's published catalogs but are authored here, not copied
from the Apache-2.0 source data; item types are 01 行政许可, 07 行政确认, 05 行政给付, 20 公共服务.
"""

from __future__ import annotations

__all__ = ["SUPPLEMENT"]

_POLICE_07 = (
    "居民身份证首次申领 居民身份证换领 居民身份证补领 临时居民身份证申领 出生登记 死亡注销户口 户籍证明开具 "
    "居住证申领 居住证签注 机动车注册登记 机动车转移登记 机动车注销登记 机动车抵押登记 电动自行车登记上牌"
)
_POLICE_20 = (
    "机动车驾驶证期满换证 机动车驾驶证补证 机动车驾驶证审验 补领机动车行驶证 换领机动车行驶证 补领机动车号牌 "
    "机动车检验合格标志核发 无犯罪记录证明开具 居民户口簿补领 户口迁入 户口迁出"
)
_POLICE_01 = "普通护照签发 往来港澳通行证签发 往来台湾通行证签发 港澳签注 机动车驾驶证初次申领"
_FUND_20 = (
    "单位住房公积金缴存登记 单位住房公积金缴存信息变更 住房公积金个人账户设立 住房公积金个人账户封存 "
    "住房公积金个人账户启封 住房公积金个人账户转移 住房公积金缴存证明开具 住房公积金缴存基数调整 "
    "住房公积金补缴 住房公积金汇缴 住房公积金贷款提前还款 住房公积金贷款结清证明开具 "
    "住房公积金贷款还款账户变更 住房公积金异地贷款缴存使用证明开具 住房公积金个人信息变更 "
    "灵活就业人员住房公积金缴存登记 住房公积金缓缴申请 住房公积金缴存比例调整"
)
_FUND_05 = (
    "购买新建商品住房提取住房公积金 购买存量住房提取住房公积金 偿还住房公积金贷款本息提取住房公积金 "
    "租赁住房提取住房公积金 离休退休提取住房公积金 出境定居提取住房公积金 死亡或宣告死亡提取住房公积金 "
    "完全丧失劳动能力提取住房公积金 与单位终止劳动关系提取住房公积金 既有住宅加装电梯提取住房公积金 "
    "住房公积金个人住房贷款申请 商业性住房贷款转住房公积金贷款申请"
)
_MARKET_01 = "企业设立登记 企业变更登记 企业注销登记 个体工商户设立登记 个体工商户注销登记 食品经营许可证核发"
_MARKET_20 = "营业执照补领 企业名称自主申报 小餐饮登记 电子营业执照下载"
_LAND_07 = (
    "不动产首次登记 二手房转移登记 新建商品房转移登记 不动产抵押登记 不动产变更登记 不动产权证书补发 "
    "不动产登记资料查询"
)
_CIVIL = (
    ("07", "内地居民结婚登记 内地居民离婚登记 补领结婚证 婚姻登记记录证明"),
    ("05", "最低生活保障申请 特困人员救助供养申请 临时救助申请 八十周岁以上老年人高龄津贴申请 惠民殡葬补贴申领"),
    ("20", "遗体火化证明开具"),
)
_HEALTH_20 = "出生医学证明首次签发 出生医学证明补发 生育登记 预防接种证办理 居民死亡医学证明书开具"
_HRSS = (
    ("20", "社会保障卡申领 社会保障卡补换 个人社保权益单打印 灵活就业人员参保登记 就业登记"),
    ("05", "退休申请 失业保险金申领"),
)
_MEDICAL_20 = "医保电子凭证激活 职工医保个人账户家庭共济 异地就医备案 城乡居民医保参保登记 生育津贴申领"
_TAX_20 = "个人所得税综合所得汇算清缴 二手房交易契税申报 发票领用"

# (line department, item type, name)
SUPPLEMENT: tuple[tuple[str, str, str], ...] = tuple(
    (department, item_type, name)
    for department, item_type, names in (
        ("police", "07", _POLICE_07), ("police", "20", _POLICE_20), ("police", "01", _POLICE_01),
        ("housing_fund", "20", _FUND_20), ("housing_fund", "05", _FUND_05),
        ("market", "01", _MARKET_01), ("market", "20", _MARKET_20),
        ("natural_resources", "07", _LAND_07),
        *(("civil_affairs", t, n) for t, n in _CIVIL),
        ("health", "20", _HEALTH_20),
        *(("hrss", t, n) for t, n in _HRSS),
        ("medical_security", "20", _MEDICAL_20), ("tax", "20", _TAX_20),
    )
    for name in names.split()
)
