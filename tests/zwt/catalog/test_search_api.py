"""Citizens search the catalog over HTTP: Chinese, pinyin and initials alike, with filters and paging."""

from __future__ import annotations

import pytest

from services_catalog.items import Material

from .conftest import SOCIAL_CARD, make_item


@pytest.fixture
def catalog(seed):
    """A small catalog covering the filters and the search forms."""
    items = [
        make_item(1, **SOCIAL_CARD),
        make_item(2, name="社会保险参保登记", department_code="hrss", department_name="青岛市人力资源和社会保障局",
                  themes=("social_security",), life_events=("employment",)),
        make_item(3, name="住房公积金提取", department_code="housing_fund", department_name="青岛市住房公积金管理中心",
                  themes=("housing_fund",)),
        make_item(4, name="机动车驾驶证换证", themes=("transport",),
                  materials=(Material("机动车驾驶证", e_license_type="driving_license", exempt_with_e_license=True),)),
        make_item(5, name="居民身份证换领", life_events=("newborn",)),
        make_item(6, name="出生登记", life_events=("newborn",), item_type="07",
                  materials=(Material("出生医学证明"),
                             Material("居民身份证", e_license_type="id_card", exempt_with_e_license=True))),
        make_item(7, name="社会保障卡挂失", status="suspended", department_code="hrss"),
        make_item(8, name="营业执照补领", audiences=("enterprise_legal_person",), personas=("legal",),
                  department_code="market", department_name="青岛市市场监督管理局", region_code="370203"),
    ]
    codes = {}
    for item, popularity in zip(items, [50, 400, 300, 200, 100, 10, 999, 5]):
        codes[item.name] = seed(item, popularity={item.impl_code: popularity})[0]
    return codes


def _names(client, query):
    response = client.get("/api/v1/services", query_string=query)
    assert response.status_code == 200, response.json
    return [i["name"] for i in response.json["items"]]


@pytest.mark.parametrize("q", ["社保", "shebao", "she bao", "sb", "ＳＨＥＢＡＯ", "社會保障"])
def test_chinese_pinyin_and_initials_find_the_same_top_items(client, catalog, q):
    """社保, shebao and sb (and full-width or traditional input) put social-security items first."""
    names = _names(client, {"q": q})
    assert set(names[:2]) == {"社会保障卡申领", "社会保险参保登记"}


@pytest.mark.parametrize("q, expected", [("驾照", "机动车驾驶证换证"), ("公积金", "住房公积金提取"),
                                         ("身份证", "居民身份证换领"), ("出生", "出生登记"), ("gjj", "住房公积金提取")])
def test_short_queries_and_synonyms(client, catalog, q, expected):
    """Two-character queries and synonyms (驾照 = 机动车驾驶证) find their item first."""
    assert _names(client, {"q": q})[0] == expected


def test_highlight_marks_the_match_in_the_name(client, catalog):
    """Hits say which characters of the name matched."""
    item = client.get("/api/v1/services", query_string={"q": "公积金"}).json["items"][0]
    start, end = item["highlight"][0]
    assert item["name"][start:end] in {"公积金", "住房公积金"}


def test_unpublished_items_are_invisible(client, catalog):
    """Suspended items are neither listed, found nor shown."""
    assert "社会保障卡挂失" not in _names(client, {"q": "挂失"}) + _names(client, {"per_page": 50})
    assert client.get(f"/api/v1/services/{catalog['社会保障卡挂失']}").status_code == 404


@pytest.mark.parametrize("query, expected", [
    ({"department": "hrss"}, {"社会保障卡申领", "社会保险参保登记"}),
    ({"theme": "social_security"}, {"社会保障卡申领", "社会保险参保登记"}),
    ({"life_event": "newborn"}, {"居民身份证换领", "出生登记"}),
    ({"persona": "legal"}, {"营业执照补领"}),
    ({"item_type": "07"}, {"出生登记"}),
    ({"online_depth": 4}, {"社会保障卡申领"}),
    ({"zero_visits": "true"}, {"社会保障卡申领"}),
    ({"handling_type": "immediate"}, {"社会保障卡申领"}),
    ({"region": "370203"}, {"营业执照补领"}),
    ({"e_license_exempt": "true", "q": "驾驶"}, {"机动车驾驶证换证"}),
    ({"department": "hrss", "q": "挂失"}, set()),
])
def test_filters(client, catalog, query, expected):
    """Each filter narrows the list (and combines with a query)."""
    assert set(_names(client, {"per_page": 50, **query})) == expected


def test_paging_sorting_and_totals(client, catalog):
    """Pages are stable, totals count every match, and sorts follow popularity or pinyin name order."""
    first = client.get("/api/v1/services", query_string={"per_page": 3, "page": 1}).json
    second = client.get("/api/v1/services", query_string={"per_page": 3, "page": 2}).json
    assert first["total"] == second["total"] == 7
    assert [i["name"] for i in first["items"]] == ["社会保险参保登记", "住房公积金提取", "机动车驾驶证换证"]
    assert not {i["impl_code"] for i in first["items"]} & {i["impl_code"] for i in second["items"]}
    by_name = _names(client, {"sort": "name", "per_page": 50})
    assert by_name[0] == "出生登记" and by_name[-1] == "住房公积金提取"


@pytest.mark.parametrize("query, field", [({"page": 0}, "page"), ({"per_page": 51}, "per_page"),
                                          ({"sort": "random"}, "sort"), ({"online_depth": 9}, "online_depth"),
                                          ({"q": "x" * 65}, "q"), ({"zero_visits": "maybe"}, "zero_visits")])
def test_bad_parameters_are_422_naming_the_field(client, query, field):
    """Out-of-range or malformed parameters answer 422 with the parameter named."""
    response = client.get("/api/v1/services", query_string=query)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == field


def test_list_etag_changes_when_the_catalog_changes(client, catalog, seed):
    """A client holding the current ETag gets 304 until an item changes."""
    first = client.get("/api/v1/services", query_string={"q": "社保"})
    etag = first.headers["ETag"]
    assert client.get("/api/v1/services", query_string={"q": "社保"}, headers={"If-None-Match": etag}).status_code == 304
    seed(make_item(20, name="社会保险转移"))
    again = client.get("/api/v1/services", query_string={"q": "社保"}, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag


def test_detail_returns_the_whole_document(client, catalog):
    """The detail view carries materials, fees, windows and the version as a weak ETag."""
    response = client.get(f"/api/v1/services/{catalog['出生登记']}")
    body = response.json
    assert body["name"] == "出生登记" and body["status"] == "published"
    assert [m["name"] for m in body["materials"]] == ["出生医学证明", "居民身份证"]
    assert response.headers["ETag"] == f'W/"v{body["version"]}"'
    assert client.get(f"/api/v1/services/{catalog['出生登记']}",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_suggest_gives_distinct_names(client, catalog, seed):
    """District copies of one item are suggested once."""
    seed(make_item(30, name="住房公积金提取", region_code="370203", department_code="housing_fund"))
    names = [s["name"] for s in client.get("/api/v1/search/suggest", query_string={"q": "gjj"}).json["suggestions"]]
    assert names.count("住房公积金提取") == 1


def test_search_index_catches_up_with_changes_from_another_node(make_app, client, catalog, seed, app, clock):
    """A worker's in-memory index sees items published or suspended through another app instance."""
    import dataclasses

    from zwt.catalog.repository import load_item, row_by_impl_code, save_item
    from zwt.db import session

    assert "社会保障卡申领" in _names(client, {"q": "社保"})
    other = make_app()
    with other.app_context():
        row = row_by_impl_code(session(), catalog["社会保障卡申领"])
        save_item(session(), dataclasses.replace(load_item(row), status="suspended"), source="registration",
                  actor="t", action="suspend", now=clock.now())
        save_item(session(), make_item(40, name="社会保险关系转移"), source="registration", actor="t",
                  action="import", now=clock.now())
        session().commit()
    # This worker trusts the generation it read for ZWT_CATALOG_FRESHNESS_SECONDS (1 s by default).
    assert "社会保障卡申领" in _names(client, {"q": "社保"})
    clock.advance(1)
    names = _names(client, {"q": "社保"})
    assert "社会保障卡申领" not in names and "社会保险关系转移" in names


def test_own_changes_show_at_once_and_rolled_back_ones_never(client, catalog, app, clock):
    """A worker's own committed change is searchable at once; a change it rolled back never shows."""
    import dataclasses

    from zwt.catalog.repository import load_item, row_by_impl_code, save_item
    from zwt.db import session

    before = client.get("/api/v1/services", query_string={"q": "社保"})
    with app.app_context():
        save_item(session(), make_item(41, name="社会保险缴费证明"), source="registration", actor="t",
                  action="import", now=clock.now())
        session().rollback()
    again = client.get("/api/v1/services", query_string={"q": "社保"})
    assert again.headers["ETag"] == before.headers["ETag"] and "社会保险缴费证明" not in _names(client, {"q": "社保"})
    with app.app_context():
        row = row_by_impl_code(session(), catalog["社会保障卡申领"])
        save_item(session(), dataclasses.replace(load_item(row), status="suspended"), source="registration",
                  actor="t", action="suspend", now=clock.now())
        session().commit()
    after = client.get("/api/v1/services", query_string={"q": "社保"})
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "社会保障卡申领" not in [i["name"] for i in after.json["items"]]


def test_freshness_zero_reads_the_generation_every_request(make_app, client, catalog, clock):
    """With ZWT_CATALOG_FRESHNESS_SECONDS=0 another node's change shows on the very next request."""
    from zwt.catalog.repository import save_item
    from zwt.db import session

    exact = make_app({"ZWT_CATALOG_FRESHNESS_SECONDS": "0"}).test_client()
    assert "社会保险缴费证明" not in _names(exact, {"q": "社保"})
    with make_app().app_context():
        save_item(session(), make_item(42, name="社会保险缴费证明"), source="registration", actor="t",
                  action="import", now=clock.now())
        session().commit()
    assert "社会保险缴费证明" in _names(exact, {"q": "社保"})


def test_initials_matched_apart_are_still_highlighted(client, seed):
    """gjjtq finds 出境定居提取住房公积金 through initials pairs that are not in one run, and lights them."""
    seed(make_item(50, name="出境定居提取住房公积金"))
    item = client.get("/api/v1/services", query_string={"q": "gjjtq"}).json["items"][0]
    assert item["name"] == "出境定居提取住房公积金"
    assert [item["name"][start:end] for start, end in item["highlight"]] == ["居提取", "公积金"]
