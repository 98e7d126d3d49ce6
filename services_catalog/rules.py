"""The catalog audit rules by code, each with its Chinese and English message template."""

from __future__ import annotations

from typing import Any, Mapping

from services_catalog.codes import Label
from services_catalog.violations import Violation

__all__ = ["RULES", "violation"]

RULES: Mapping[str, Label] = {
    "required": Label("必填", "is required"),
    "unknown_code": Label("代码“{value}”不在代码表中", "code '{value}' is not in the code table"),
    "duplicate": Label("“{value}”重复", "'{value}' appears more than once"),
    "impl_code.format": Label(
        "实施编码应为“基本编码-12位区划-3位序号-18位实施主体代码-1位-2位”",
        "the implementation code must read basic-code, 12-digit region, 3 digits, 18-character "
        "implementer code, 1 digit, 2 digits"),
    "impl_code.region": Label("实施编码中的区划{value}与所属区划不符", "region {value} in the code differs "
                              "from the item's region"),
    "impl_code.implementer_check": Label("实施主体统一社会信用代码校验位错误",
                                         "the implementer's unified social credit code fails its check"),
    "basic_code.format": Label("基本编码格式不正确", "the basic code is malformed"),
    "basic_code.mismatch": Label("基本编码与实施编码不一致", "the basic code differs from the one in the "
                                 "implementation code"),
    "name.length": Label("名称长度应为{low}至{high}个字符", "the name must be {low} to {high} characters"),
    "name.whitespace": Label("名称首尾或中间不应有空白", "the name must not contain whitespace"),
    "text.formula": Label("不能以 = + - @ 或制表符、回车开头（表格软件会当作公式执行）",
                          "must not start with =, +, -, @, a tab or a carriage return (spreadsheets would run it "
                          "as a formula)"),
    "short_name.length": Label("简称应短于名称且不超过{high}个字符",
                               "the short name must be shorter than the name and at most {high} characters"),
    "region_code.format": Label("区划代码应为6位数字", "the region code must be 6 digits"),
    "personas.inconsistent": Label("服务对象中没有与“{value}”对应的类别",
                                   "no audience belongs to persona '{value}'"),
    "time_limit.range": Label("时限应为0至{high}之间的整数", "the time limit must be between 0 and {high}"),
    "time_limit.promised_exceeds_legal": Label("承诺时限不得超过法定时限",
                                               "the promised time limit must not exceed the legal one"),
    "immediate.handling_type": Label("即办事项的办件类型应为即办件，反之亦然",
                                     "an immediate item must be 即办件 and a 即办件 must be immediate"),
    "immediate.promised_limit": Label("即办件承诺时限应为0或1个工作日",
                                      "an immediate item promises 0 or 1 working day"),
    "visit_count.range": Label("到办事现场次数应为0至{high}", "visits must be between 0 and {high}"),
    "visit_count.reason_required": Label("需到现场办理时应说明到现场原因",
                                         "an item needing a visit must say why"),
    "online_depth.range": Label("网办深度应为0至4", "the online depth must be 0 to 4"),
    "online_depth.full_requires_zero_visits": Label("全程网办事项到现场次数应为0",
                                                    "a fully online item needs no visit"),
    "channels.online_required": Label("提供网上办理的事项应包含网上或掌上渠道",
                                      "an item with online depth needs the online or mobile channel"),
    "channels.express_required": Label("零跑腿但非全程网办的事项应提供邮寄送达",
                                       "a zero-visit item that is not fully online needs express delivery"),
    "channels.window_required": Label("需到现场的事项应提供窗口办理", "an item needing a visit needs a window"),
    "fees.standard_required": Label("收费项目应写明收费标准", "a fee needs its standard"),
    "fees.basis_required": Label("收费项目应写明收费依据", "a fee needs its legal basis"),
    "materials.copies_range": Label("份数应为1至{high}", "copies must be between 1 and {high}"),
    "materials.exempt_requires_license": Label("可免提交的材料应关联电子证照类型",
                                               "a material exempted by an e-license must name its type"),
    "materials.fields_require_license": Label("只有关联电子证照的材料才能指定所需字段",
                                              "only a material linked to an e-license can name fields"),
    "materials.field_name": Label("字段名“{value}”格式不正确", "field name '{value}' is malformed"),
    "materials.required": Label("应至少有一项申请材料（公共服务事项可说明无需材料）",
                                "at least one material is needed (a public service may explain why not)"),
    "outputs.required": Label("行政许可事项应写明审批结果", "a licensing item must name its result"),
    "legal_basis.required": Label("行政权力事项应写明设定依据", "an administrative power needs a legal basis"),
    "windows.required": Label("需到现场的事项应写明办理窗口", "an item needing a visit must list a window"),
    "version.range": Label("版本号应为正整数", "the version must be a positive integer"),
    "form_fields.name": Label("表单字段名“{value}”格式不正确", "form field name '{value}' is malformed"),
    "form_fields.options": Label("选项型字段应有至少两个选项，其他类型不应有选项",
                                 "a choice needs at least two options, and only a choice has options"),
    "form_fields.pattern": Label("格式规则应为不超过{high}个字符的正则表达式，且仅用于文本字段",
                                 "a pattern must be a regular expression of at most {high} characters, on a text "
                                 "field"),
    "satisfied_by.license": Label("电子证照方式应写明证照类型，其他方式不应写证照类型或字段",
                                  "a license way names its license type, and only a license way names a type or "
                                  "fields"),
    "satisfied_by.source": Label("数据共享方式应写明已知的数据来源，其他方式不应写数据来源",
                                 "a shared-data way names a known source, and only a shared-data way names one"),
    "accepts_online.depth": Label("接受网上申请的事项网办深度应至少为三级",
                                  "an item accepting online applications needs online depth 3 or more"),
    "credit_rule.deferrable_unknown": Label("容缺材料“{value}”不是本事项的申请材料",
                                            "the deferrable material '{value}' is not one of the item's materials"),
    "credit_rule.deferrable_way": Label("容缺材料“{value}”应写明网上补交的方式",
                                        "the deferrable material '{value}' needs a way to be delivered online"),
    "credit_rule.commitment_days": Label("有容缺材料时承诺期限应为1至{high}个工作日，无容缺材料时不应设承诺期限",
                                         "with deferrable materials the commitment period is 1 to {high} working "
                                         "days; without them there is none"),
    "accepts_online.channel": Label("接受网上申请的事项应包含网上或掌上渠道",
                                    "an item accepting online applications needs the online or mobile channel"),
}


def violation(field: str, rule: str, **fmt: Any) -> Violation:
    """Return the violation of ``rule`` at ``field`` with the rule's messages filled in from ``fmt``."""
    label = RULES[rule]
    return Violation(field, rule, label.zh.format(**fmt), label.en.format(**fmt))
