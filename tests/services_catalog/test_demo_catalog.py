"""Specification of the demo catalog: size, unique ids, validity, determinism and the department feeds."""

from __future__ import annotations

import collections

import pytest

from services_catalog.codes import QINGDAO_REGIONS
from services_catalog.demo_catalog import demo_items, demo_popularity, load_source
from services_catalog.demo_departments import DEPARTMENTS, body_uscc
from services_catalog.impl_code import is_valid_uscc, parse_impl_code
from services_catalog.items import ServiceItem, content_hash
from services_catalog.search import analyze_query, search_document
from services_catalog.search_index import SearchIndex
from services_catalog.validation import validate_for_publish


@pytest.fixture(scope="module")
def catalog() -> list[ServiceItem]:
    """The default demo catalog, built once for the module."""
    return demo_items()


def test_has_ten_thousand_items_with_unique_impl_codes(catalog: list[ServiceItem]) -> None:
    """The default catalog has 10,000 items and no two share an 实施编码."""
    assert len(catalog) == 10_000
    assert len({item.impl_code for item in catalog}) == len(catalog)


def test_every_item_passes_publish_validation(catalog: list[ServiceItem]) -> None:
    """Every generated item is published and breaks no audit rule."""
    broken = {item.impl_code: validate_for_publish(item) for item in catalog if validate_for_publish(item)}
    assert broken == {}
    assert {item.status for item in catalog} == {"published"}


def test_impl_codes_use_qingdao_regions_and_valid_implementers(catalog: list[ServiceItem]) -> None:
    """Each 实施编码 carries the item's Qingdao region and a check-valid implementer USCC."""
    for item in catalog:
        parts = parse_impl_code(item.impl_code)
        assert parts is not None and parts.region == item.region_code + "000000"
        assert item.region_code in QINGDAO_REGIONS and is_valid_uscc(parts.implementer)


def test_covers_the_city_and_all_ten_districts(catalog: list[ServiceItem]) -> None:
    """Items exist in the city and in each of its ten districts, every department at city level."""
    assert {item.region_code for item in catalog} == set(QINGDAO_REGIONS)
    assert {i.department_code for i in catalog if i.region_code == "370200"} == set(DEPARTMENTS)


def test_same_seed_same_catalog_other_seed_other_catalog() -> None:
    """The catalog is a pure function of its seed."""
    first, again, other = demo_items(count=600), demo_items(count=600), demo_items(count=2_000, seed=7)
    assert [content_hash(i) for i in first] == [content_hash(i) for i in again]
    assert {i.impl_code for i in demo_items(count=2_000)} != {i.impl_code for i in other}


@pytest.mark.parametrize("department", ["police", "hrss", "housing_fund"])
def test_department_feeds_have_a_few_hundred_items(catalog: list[ServiceItem], department: str) -> None:
    """The three sandbox departments each get a few hundred of their own items."""
    feed = demo_items(department)
    assert len(feed) >= 200 and {item.department_code for item in feed} == {department}
    assert {i.impl_code for i in feed} == {i.impl_code for i in catalog if i.department_code == department}


def test_materials_link_to_wallet_license_types(catalog: list[ServiceItem]) -> None:
    """Most items accept a wallet license instead of a paper material, across many license types."""
    types = collections.Counter(m.e_license_type for i in catalog for m in i.materials if m.exempt_with_e_license)
    assert sum(any(m.exempt_with_e_license for m in i.materials) for i in catalog) > len(catalog) // 2
    assert {"id_card", "driving_license", "housing_fund_certificate", "household_register"} <= set(types)


def test_life_events_and_themes_are_populated(catalog: list[ServiceItem]) -> None:
    """Life events such as 新生儿出生, 企业开办 and 身后事 gather items; every item has a theme."""
    events = collections.Counter(e for i in catalog for e in i.life_events)
    assert all(events[e] > 0 for e in ("newborn", "business_startup", "retirement", "vehicle", "after_death"))
    assert all(item.themes for item in catalog)


def test_source_keeps_real_names_and_adds_the_supplement() -> None:
    """All 1,135 source items load (mapped to Qingdao departments) followed by the supplement."""
    source = load_source()
    assert len(source) > 1_135 and source[0].name == "企业投资项目备案（技术改造）（市级/县级）"
    assert all(parse_impl_code(f"{s.basic_code}-370200000000-000-{body_uscc('tax', '370200')}-1-00")
               for s in source)


def test_popularity_is_deterministic_and_favours_everyday_items(catalog: list[ServiceItem]) -> None:
    """Popularity is stable for a seed and higher on average for items such as 社保 and 身份证."""
    popularity = demo_popularity(catalog)
    assert popularity == demo_popularity(catalog)
    hot = [popularity[i.impl_code] for i in catalog if "公积金" in i.name or "身份证" in i.name]
    rest = [popularity[i.impl_code] for i in catalog if "审批" in i.name]
    assert sum(hot) / len(hot) > 2 * sum(rest) / len(rest)


@pytest.mark.slow
def test_shebao_sb_and_pinyin_agree_on_the_demo_catalog(catalog: list[ServiceItem]) -> None:
    """On the full demo catalog 社保, shebao and sb rank the same ten items first."""
    index: SearchIndex[str] = SearchIndex()
    popularity = demo_popularity(catalog)
    for item in catalog:
        index.add(item.impl_code, search_document(item), popularity=popularity[item.impl_code])
    top = [key for key, _ in index.search(analyze_query("社保"), limit=10)]
    assert len(top) == 10
    assert [k for k, _ in index.search("shebao", limit=10)] == top
    assert [k for k, _ in index.search("sb", limit=10)] == top
