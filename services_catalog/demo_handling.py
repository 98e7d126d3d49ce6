"""Which demo items take online applications (网上申请), with their forms and what satisfies each material.

The residence permit (police, whose system takes applications) and civil affairs' subsistence allowance,
old-age allowance and marriage registration booking (worked from the back office until civil affairs has a
system) — the items the online-handling walk-through uses. Two carry credit rules (信用规则): the residence permit
lets an applicant in good standing defer the social-security record under a commitment (信用承诺, ten working
days), and the subsistence allowance is closed to dishonest judgment debtors (the demo's 赵磊 is on that list).
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

from services_catalog.credit_rules import CreditRule
from services_catalog.handling import FormField, Satisfier
from services_catalog.items import Material, ServiceItem

__all__ = ["ONLINE_FORMS", "CREDIT_RULES", "with_online_handling"]

_ID_CARD = (Satisfier("license", "id_card", ("holder", "holder_code")), Satisfier("upload"))
_ADDRESS = FormField("address", "现居住地址", required=True)
_PHONE_FREE_NOTE = FormField("note", "补充说明")

#: item name -> (form fields, extra materials)
ONLINE_FORMS: Mapping[str, tuple[tuple[FormField, ...], tuple[Material, ...]]] = {
    "居住证申领": (
        (_ADDRESS, FormField("reason", "居住事由", "choice", True, ("就业", "就读", "投亲")),
         FormField("since", "居住起始日期", "date", True), FormField("postcode", "邮政编码", pattern="[0-9]{6}")),
        (Material("社会保险缴费记录", form="electronic", satisfied_by=(
            Satisfier("shared_data", source="social_security_record"), Satisfier("upload"))),)),
    "最低生活保障申请": (
        (_ADDRESS, FormField("household_size", "家庭人口数", "number", True),
         FormField("monthly_income", "家庭月收入（元）", "number", True), _PHONE_FREE_NOTE),
        (Material("婚姻状况证明", form="electronic", satisfied_by=(
            Satisfier("shared_data", source="marriage_status"), Satisfier("upload"))),
         Material("户口簿", form="electronic", satisfied_by=(
             Satisfier("license", "household_register", ("holder",)),
             Satisfier("shared_data", source="household_registration"), Satisfier("upload"))))),
    "八十周岁以上老年人高龄津贴申请": (
        (_ADDRESS, FormField("bank", "收款银行", "choice", True, ("青岛银行", "农商银行", "工商银行")),
         FormField("account_tail", "银行卡号后四位", required=True, pattern="[0-9]{4}")),
        ()),
    "内地居民结婚登记": (
        (FormField("booking_date", "预约日期", "date", True),
         FormField("office", "婚姻登记处", "choice", True, ("市南区婚姻登记处", "崂山区婚姻登记处", "黄岛区婚姻登记处")),
         FormField("spouse_name", "对方姓名", required=True)),
        ()),
}

#: item name -> its credit rule
CREDIT_RULES: Mapping[str, CreditRule] = {
    "居住证申领": CreditRule(deferrable_materials=("社会保险缴费记录",), commitment_days=10),
    "最低生活保障申请": CreditRule(restricted_lists=("court_dishonest_debtors",)),
}


def with_online_handling(item: ServiceItem) -> ServiceItem:
    """The item as it takes online applications, when it is one of ``ONLINE_FORMS``; else unchanged."""
    found = ONLINE_FORMS.get(item.name)
    if found is None:
        return item
    fields, extra = found
    channels = tuple(dict.fromkeys((*item.channels, "online", "mobile")))
    materials = tuple(dataclasses.replace(m, satisfied_by=_ID_CARD) if m.e_license_type == "id_card" else m
                      for m in item.materials) + extra
    return dataclasses.replace(item, accepts_online=True, online_depth=max(3, item.online_depth),
                               channels=channels, form_fields=fields, materials=materials,
                               credit_rule=CREDIT_RULES.get(item.name, item.credit_rule))
