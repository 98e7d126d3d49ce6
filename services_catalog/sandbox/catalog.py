"""The service items each sandbox department publishes in its feed."""

from __future__ import annotations

import datetime as dt

from ..demo_catalog import demo_items
from ..examples import example_item
from ..impl_code import ImplCode, format_impl_code, parse_impl_code
from ..items import ServiceItem
from .common import SandboxCatalog

__all__ = ["FEED_START", "demo_catalog", "fallback_items"]

#: when the sandbox feeds say their items last changed: one minute apart from here (Beijing time)
FEED_START = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_NAMES = {
    "police": ("居民身份证换领", "机动车驾驶证期满换证", "机动车行驶证补领", "户口迁移（市内）", "居住证签发",
               "港澳台通行证签注", "无犯罪记录证明开具"),
    "hrss": ("社会保障卡申领", "职工基本养老保险个人权益记录查询", "失业保险金申领", "社会保障卡挂失",
             "灵活就业人员参保登记", "城乡居民养老保险待遇申领", "职业资格证书查询"),
    "housing_fund": ("住房公积金缴存证明出具", "住房公积金提取（租房）", "住房公积金个人账户设立",
                     "住房公积金贷款申请", "住房公积金提取（退休）", "异地转移接续", "个人账户封存"),
}


def fallback_items(department_code: str, kind: str) -> list[ServiceItem]:
    """Return a handful of valid items for a department when the demo catalog is not available."""
    base = example_item()
    parts = parse_impl_code(base.impl_code)
    assert parts is not None
    return [
        example_item(impl_code=format_impl_code(ImplCode(*parts[:2], f"{i:03d}", *parts[3:])),
                     name=name, short_name="", aliases=(), department_code=department_code)
        for i, name in enumerate(_NAMES.get(kind, _NAMES["police"]), start=1)
    ]


def demo_catalog(department_code: str, kind: str) -> SandboxCatalog:
    """Return the feed of ``department_code``: its demo-catalog items (or stand-ins), a minute apart."""
    items = demo_items(department_code=department_code) or fallback_items(department_code, kind)
    catalog = SandboxCatalog()
    for i, item in enumerate(items):
        catalog.put(item, FEED_START + dt.timedelta(minutes=i))
    return catalog
