"""Ready-made valid service items for tests and documentation, as structlog ships ``structlog.testing``."""

from __future__ import annotations

import dataclasses
from typing import Any

from services_catalog.codes import CHANNEL_EXPRESS, CHANNEL_ONLINE, CHANNEL_WINDOW, STATUS_DRAFT
from services_catalog.impl_code import ImplCode, format_impl_code, org_code_check_char, uscc_check_char
from services_catalog.items import Fee, Material, Output, ServiceItem, Window

__all__ = ["government_uscc", "example_item"]


def government_uscc(region6: str, org_body8: str) -> str:
    """Return a check-valid 统一社会信用代码 of a government body (机构编制, 机关) in ``region6``."""
    org_code = org_body8 + org_code_check_char(org_body8)
    first17 = "11" + region6 + org_code
    return first17 + uscc_check_char(first17)


def example_item(**overrides: Any) -> ServiceItem:
    """Return a complete, publishable ID-card renewal item of the Shinan police branch, with overrides."""
    basic = "371A0123400000"
    implementer = government_uscc("370202", "MB280101")
    item = ServiceItem(
        impl_code=format_impl_code(ImplCode(basic, "370202000000", "000", implementer, "1", "00")),
        basic_code=basic,
        name="居民身份证换领",
        short_name="身份证换领",
        aliases=("换身份证",),
        item_type="20",
        department_code="police",
        department_name="青岛市公安局市南分局",
        region_code="370202",
        audiences=("natural_person",),
        personas=("individual",),
        themes=("identity",),
        life_events=(),
        handling_type="promised",
        is_immediate=False,
        legal_time_limit=60,
        legal_time_limit_unit="natural_day",
        promised_time_limit=20,
        promised_time_limit_unit="working_day",
        visit_count=1,
        onsite_reason="需现场采集人像和指纹",
        online_depth=3,
        channels=(CHANNEL_WINDOW, CHANNEL_ONLINE, CHANNEL_EXPRESS),
        fees=(Fee("居民身份证工本费", "每证20元", "《居民身份证法》第二十条；发改价格〔2003〕2322号"),),
        materials=(
            Material("居民身份证", kind="original", form="paper", necessity="required", copies=1,
                     e_license_type="id_card", exempt_with_e_license=True,
                     required_fields=("holder", "holder_code", "valid_until")),
            Material("居民户口簿", kind="original", form="paper", necessity="deferrable", copies=1,
                     e_license_type="household_register", exempt_with_e_license=True,
                     required_fields=("holder", "holder_code", "address")),
            Material("彩色数码相片回执", kind="original", form="paper_or_electronic", necessity="required"),
        ),
        outputs=(Output("居民身份证", kind="license", e_license_type="id_card"),),
        windows=(Window("市南区政务服务中心", "青岛市市南区宁夏路", "周一至周五 9:00-17:00", "0532-12345"),),
        legal_basis=("《中华人民共和国居民身份证法》",),
        status=STATUS_DRAFT,
        version=1,
    )
    return dataclasses.replace(item, **overrides)
