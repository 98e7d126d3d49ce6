"""A deterministic demo catalog of about 10,000 Qingdao (370200) service items over its real departments.

Item names come from ``service_items_sichuan_guangan.jsonl``: 1,135 real service items of
Guang'an District, Sichuan, from https://github.com/v-luobo/zwfw (Apache License 2.0), mapped onto
Qingdao's line departments and replicated to the city and its ten districts with 实施编码 for
Qingdao region codes; a hand-written supplement (``demo_supplement``) adds everyday items the
source lacks. Every other element (materials, limits, channels, popularity) is generated from a
seeded ``random.Random`` and keyword rules, so the same seed always gives the same catalog.
"""

from __future__ import annotations

import hashlib
import json
import random
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

from services_catalog.codes import ITEM_TYPE_PUBLIC_SERVICE, QINGDAO_CITY, QINGDAO_REGIONS, persona_of_audience
from services_catalog.demo_departments import DEPARTMENTS, DISTRICTS, SOURCE_DEPARTMENTS, body_name, body_uscc
from services_catalog.demo_enrich import (
    audiences_for,
    fees_for,
    hotness,
    is_consultation,
    license_materials,
    license_outputs,
    life_events_for,
    themes_for,
)
from services_catalog.demo_handling import with_online_handling
from services_catalog.demo_supplement import SUPPLEMENT
from services_catalog.impl_code import BASIC_CODE_PATTERN, ImplCode, format_impl_code
from services_catalog.items import Material, Output, ServiceItem, Window

__all__ = ["SourceItem", "DEFAULT_SEED", "DEFAULT_COUNT", "DEFAULT_SOURCE", "load_source", "demo_items",
           "demo_popularity", "ATTRIBUTION"]

DEFAULT_SEED = 20240601
DEFAULT_COUNT = 10_000
# Shipped with the package (Apache-2.0, see data/NOTICE) so a fresh clone builds the demo catalog by itself.
DEFAULT_SOURCE = Path(__file__).resolve().parent / "data" / "service_items_sichuan_guangan.jsonl"
ATTRIBUTION = ("Service item names: v-luobo/zwfw (https://github.com/v-luobo/zwfw), Apache License 2.0; "
               "Guang'an District, Sichuan items adapted to Qingdao departments and region codes.")
_TYPE_LETTER = {"01": "A", "02": "B", "03": "C", "04": "D", "05": "G", "06": "J", "07": "F", "08": "H",
                "09": "E", "10": "Z", "20": "P"}
_ONSITE_REASONS = ("需现场核验申请人身份和原件", "需现场采集人像和指纹", "需现场勘验", "需现场签署告知承诺书")


class SourceItem(NamedTuple):
    """One real item of the source data: its Qingdao line department, type, name and basic code."""

    department: str
    item_type: str
    name: str
    basic_code: str


def _qingdao_basic_code(source_code: str, item_type: str, name: str) -> str:
    """Return a Qingdao basic code: the source's with the Sichuan prefix 51 as Shandong 37, or a derived one."""
    parts = source_code.split("-")
    basic = "-".join(parts[:-5]) if len(parts) > 5 else ""
    if BASIC_CODE_PATTERN.match(basic):
        return "37" + basic[2:] if basic[:2] == "51" and basic[3].isalpha() else basic
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**10
    return f"371{_TYPE_LETTER.get(item_type, 'Z')}{digits:010d}"


@lru_cache(maxsize=4)
def load_source(path: Path = DEFAULT_SOURCE) -> tuple[SourceItem, ...]:
    """Return the source items mapped to Qingdao departments, then the supplement, in a fixed order."""
    items: list[SourceItem] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            department = SOURCE_DEPARTMENTS[row["department"]]
            name = "".join(row["name"].split())
            items.append(SourceItem(department, row["item_type"],
                                    name, _qingdao_basic_code(row["impl_code"], row["item_type"], name)))
    for department, item_type, name in SUPPLEMENT:
        items.append(SourceItem(department, item_type, name, _qingdao_basic_code("", item_type, name)))
    return tuple(items)


def _build(source: SourceItem, region: str, seq: int, seed: int) -> ServiceItem:
    """Return one published item for ``source`` implemented in ``region``, its details drawn from ``seed``."""
    impl = format_impl_code(ImplCode(source.basic_code, region + "000000", f"{seq:03d}",
                                     body_uscc(source.department, region), "1", "00"))
    rng = random.Random(f"{seed}:{impl}")
    dept = DEPARTMENTS[source.department]
    name, item_type = source.name, source.item_type
    is_power = item_type != ITEM_TYPE_PUBLIC_SERVICE
    audiences = audiences_for(name)
    immediate = (item_type in ("20", "07") and rng.random() < 0.45) or (item_type == "01" and rng.random() < 0.1)
    promised = rng.choice((0, 1)) if immediate else rng.choice((3, 5, 7, 10, 15, 20))
    legal = max(promised * 2, rng.choice((20, 30, 60))) if is_power or rng.random() < 0.5 else None
    depth = rng.choices((0, 1, 2, 3, 4), weights=(5, 5, 15, 35, 40))[0]
    visits = 0 if depth == 4 else rng.choices((0, 1, 2), weights=(45, 50, 5))[0]
    channels = ["window"] if visits else []
    if depth:
        channels += ["online", "mobile"] if rng.random() < 0.8 else ["online"]
    if visits == 0 and depth < 4 or rng.random() < 0.3:
        channels.append("express")
    if rng.random() < 0.15:
        channels.append("kiosk")
    if not channels:
        channels.append("express")
    consultation = is_consultation(name) and item_type == ITEM_TYPE_PUBLIC_SERVICE
    materials: list[Material] = []
    if not consultation:
        if "natural_person" in audiences:
            materials.append(Material("居民身份证", kind="original", form="paper_or_electronic",
                                      e_license_type="id_card", exempt_with_e_license=True,
                                      required_fields=("holder", "holder_code")))
        if audiences != ("natural_person",):
            materials.append(Material("营业执照", kind="original", form="paper_or_electronic",
                                      e_license_type="business_license", exempt_with_e_license=True,
                                      required_fields=("entity_name", "credit_code")))
        materials += license_materials(name)
        materials.append(Material(f"《{name[:30]}》申请表", kind="original", form="paper_or_electronic"))
        if item_type == "01":
            materials.append(Material("相关资质或场所证明材料", kind="copy", necessity="deferrable",
                                      copies=rng.choice((1, 2))))
        elif rng.random() < 0.4:
            materials.append(Material("其他相关证明材料", kind="copy", necessity="optional"))
    outputs = license_outputs(name) or [_default_output(item_type, name)]
    hall = "青岛市民中心" if region == QINGDAO_CITY else f"{QINGDAO_REGIONS[region].zh}政务服务中心"
    return with_online_handling(ServiceItem(
        impl_code=impl, basic_code=source.basic_code, name=name, item_type=item_type,
        department_code=source.department, department_name=body_name(source.department, region),
        region_code=region,
        short_name=name.split("（")[0] if "（" in name and 2 <= name.index("（") <= 20 else "",
        audiences=audiences, personas=tuple(sorted({persona_of_audience(a) for a in audiences})),
        themes=themes_for(name, dept.theme), life_events=life_events_for(name),
        handling_type="immediate" if immediate else "promised", is_immediate=immediate,
        legal_time_limit=legal, legal_time_limit_unit="working_day",
        promised_time_limit=promised, promised_time_limit_unit="working_day",
        visit_count=visits, onsite_reason=rng.choice(_ONSITE_REASONS) if visits else "",
        online_depth=depth, channels=tuple(channels), fees=fees_for(name),
        materials=tuple(materials),
        materials_note="本事项为咨询或查询服务，无需提交材料" if consultation else "",
        outputs=tuple(outputs),
        windows=(Window(hall, f"{hall}{dept.city_name.removeprefix('青岛市')}窗口",
                        "工作日 9:00-12:00，13:30-17:00", "0532-12345"),) if visits else (),
        legal_basis=(dept.legal_basis,) if is_power or rng.random() < 0.5 else (),
        status="published", version=1,
    ))


def _default_output(item_type: str, name: str) -> Output:
    if item_type == "01":
        return Output("准予行政许可决定书", kind="approval")
    if item_type in ("05", "08"):
        return Output("待遇或资金发放通知", kind="payment")
    if item_type in ("07", "10"):
        return Output("办理结果通知书", kind="record")
    return Output("办理结果告知", kind="other")


def _pool(source: Iterable[SourceItem]) -> list[tuple[SourceItem, str]]:
    return [(item, region) for item in source for region in (QINGDAO_CITY, *DISTRICTS)]


def demo_items(department_code: str | None = None, *, seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT,
               source: Path = DEFAULT_SOURCE) -> list[ServiceItem]:
    """Return ``count`` published demo items (or those of one department among them), sorted by impl_code.

    Every item exists at city level; district replicas are sampled with ``seed`` to reach ``count``.
    """
    catalog = _catalog(seed, count, source)
    return [it for it in catalog if department_code is None or it.department_code == department_code]


@lru_cache(maxsize=4)
def _catalog(seed: int, count: int, source: Path) -> tuple[ServiceItem, ...]:
    # Cached: items are immutable and the three sandbox feeds each ask for their slice of one catalog.
    items = load_source(source)
    city = [(item, QINGDAO_CITY) for item in items]
    districts = [pair for pair in _pool(items) if pair[1] != QINGDAO_CITY]
    rng = random.Random(seed)
    wanted = max(0, min(len(districts), count - len(city)))
    chosen = city[:count] + rng.sample(districts, wanted)
    seen: dict[tuple[str, str, str], int] = {}
    built: list[ServiceItem] = []
    for item, region in chosen:
        key = (item.basic_code, item.department, region)
        seq = seen[key] = seen.get(key, -1) + 1
        built.append(_build(item, region, seq, seed))
    return tuple(sorted(built, key=lambda it: it.impl_code))


def demo_popularity(items: Iterable[ServiceItem], *, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Return a deterministic view count per impl_code: everyday items and city-level items are busier."""
    out: dict[str, int] = {}
    for item in items:
        rng = random.Random(f"{seed}:popularity:{item.impl_code}")
        base = 20 * (1 + 4 * hotness(item.name)) * (3 if item.region_code == QINGDAO_CITY else 1)
        out[item.impl_code] = int(base * rng.lognormvariate(0, 1))
    return out
