"""Departments, themes, life events and favourites over HTTP."""

from __future__ import annotations

import pytest

from services_catalog.items import Material

from .conftest import SOCIAL_CARD, make_item


@pytest.fixture
def catalog(seed, app):
    """Two newborn items sharing the ID-card material, one social-security item, departments loaded."""
    from zwt.catalog.demo import load_departments
    from zwt.db import session

    with app.app_context():
        load_departments(session())
        session().commit()
    return dict(zip(["birth", "card", "social"], seed(
        make_item(1, name="出生登记", life_events=("newborn",), materials=(
            Material("出生医学证明", necessity="required"),
            Material("居民身份证", e_license_type="id_card", exempt_with_e_license=True))),
        make_item(2, name="居民身份证首次申领", life_events=("newborn",), materials=(
            Material("居民身份证", e_license_type="id_card", exempt_with_e_license=True),
            Material("居民户口簿", necessity="optional"))),
        make_item(3, **SOCIAL_CARD),
    )))


def test_departments_list_counts_published_items(client, catalog):
    """Departments come in their configured order with item counts."""
    departments = {d["code"]: d for d in client.get("/api/v1/departments").json["departments"]}
    assert departments["police"]["name"] == "青岛市公安局" and departments["police"]["item_count"] == 2
    assert departments["hrss"]["item_count"] == 1 and departments["housing_fund"]["item_count"] == 0


def test_themes_carry_labels_and_counts(client, catalog):
    """Themes show Chinese and English names and how many items they hold."""
    themes = {t["code"]: t for t in client.get("/api/v1/themes").json["themes"]}
    assert themes["social_security"]["item_count"] == 1 and themes["identity"]["item_count"] == 2
    assert themes["identity"]["name"] == "证件办理"


def test_life_event_merges_and_deduplicates_materials(client, catalog):
    """The ID card needed by both newborn items is listed once, naming both items."""
    body = client.get("/api/v1/life-events/newborn").json
    assert {i["name"] for i in body["items"]} == {"出生登记", "居民身份证首次申领"}
    materials = {m["name"]: m for m in body["materials"]}
    assert sorted(materials["居民身份证"]["items"]) == sorted([catalog["birth"], catalog["card"]])
    assert materials["居民身份证"]["exempt_with_e_license"] is True
    assert materials["居民户口簿"]["required"] is False and materials["出生医学证明"]["required"] is True
    assert body["name"] == "新生儿出生一件事"


def test_unknown_life_event_is_404(client, catalog):
    """A life event nobody uses does not exist."""
    assert client.get("/api/v1/life-events/no_such_event").status_code == 404


def test_favourites_round_trip(client, auth, catalog):
    """Saving twice keeps one entry; removing is idempotent; the list shows saved items."""
    citizen = auth.register()
    for _ in range(2):
        assert client.put(f"/api/v1/me/favorites/{catalog['birth']}", headers=citizen.headers).status_code == 204
    listed = client.get("/api/v1/me/favorites", headers=citizen.headers).json["items"]
    assert [i["impl_code"] for i in listed] == [catalog["birth"]]
    for _ in range(2):
        assert client.delete(f"/api/v1/me/favorites/{catalog['birth']}", headers=citizen.headers).status_code == 204
    assert client.get("/api/v1/me/favorites", headers=citizen.headers).json["items"] == []


def test_favourites_are_private_and_need_a_citizen(client, auth, catalog):
    """Another citizen sees only their own; staff get 403, anonymous callers 401, unknown items 404."""
    alice, bob = auth.register(), auth.register()
    client.put(f"/api/v1/me/favorites/{catalog['social']}", headers=alice.headers)
    assert client.get("/api/v1/me/favorites", headers=bob.headers).json["items"] == []
    clerk = auth.staff("clerk", "clerk1", hall_code="h1", counter_code="c1")
    assert client.get("/api/v1/me/favorites", headers=clerk).status_code == 403
    assert client.get("/api/v1/me/favorites").status_code == 401
    assert client.put("/api/v1/me/favorites/NOPE", headers=alice.headers).status_code == 404


def test_life_events_list_counts_items_with_a_weak_etag(client, catalog, seed):
    """Every life event is listed with its labels and published items; the ETag holds until the catalog changes."""
    response = client.get("/api/v1/life-events")
    events = {e["code"]: e for e in response.json["life_events"]}
    assert events["newborn"] == {"code": "newborn", "name": "新生儿出生一件事", "name_en": "a child is born",
                                 "item_count": 2}
    assert events["employment"]["item_count"] == 0
    etag = response.headers["ETag"]
    assert client.get("/api/v1/life-events", headers={"If-None-Match": etag}).status_code == 304
    seed(make_item(4, name="出生医学证明补发", life_events=("newborn",)))
    again = client.get("/api/v1/life-events", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert {e["code"]: e for e in again.json["life_events"]}["newborn"]["item_count"] == 3


def test_life_event_region_narrows_items_and_materials(client, catalog, seed):
    """?region= keeps one district's items of the life event, and only the materials those need."""
    district = seed(make_item(5, name="出生登记", region_code="370203", life_events=("newborn",),
                              materials=(Material("出生医学证明", necessity="required"),)))[0]
    assert len(client.get("/api/v1/life-events/newborn").json["items"]) == 3
    body = client.get("/api/v1/life-events/newborn", query_string={"region": "370203"}).json
    assert [i["impl_code"] for i in body["items"]] == [district]
    assert [(m["name"], m["items"]) for m in body["materials"]] == [("出生医学证明", [district])]
    assert client.get("/api/v1/life-events/newborn", query_string={"region": "370299"}).json["items"] == []
    bad = client.get("/api/v1/life-events/newborn", query_string={"region": "qingdao"})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "region"


@pytest.mark.parametrize("flag", ["zero_visits", "e_license_exempt"])
@pytest.mark.parametrize("value", ["yes", "on", "y", ""])
def test_boolean_filters_refuse_words_that_only_look_like_booleans(client, flag, value):
    """A filter flag is ``true``/``false`` or ``1``/``0``; ``yes`` is a 422 naming it, as for ``reveal``."""
    response = client.get(f"/api/v1/services?{flag}={value}")
    assert response.status_code == 422 and response.json["errors"][0]["field"] == flag


def test_an_unpublished_item_answers_like_a_missing_one_unless_it_was_saved(app, client, auth, catalog, seed):
    """Forgetting a draft nobody could save is a 404 like a missing code (it was a 204, telling the draft
    exists); an item saved while published and suspended since can still be forgotten."""
    import dataclasses

    citizen = auth.register()
    draft = seed(dataclasses.replace(make_item(4, name="草稿事项"), status="draft"))[0]
    assert client.delete(f"/api/v1/me/favorites/{draft}", headers=citizen.headers).status_code == 404
    saved = catalog["social"]
    assert client.put(f"/api/v1/me/favorites/{saved}", headers=citizen.headers).status_code == 204
    seed(dataclasses.replace(make_item(3, **SOCIAL_CARD), status="suspended"))
    assert client.get(f"/api/v1/services/{saved}").status_code == 404
    assert client.delete(f"/api/v1/me/favorites/{saved}", headers=citizen.headers).status_code == 204
    assert client.get("/api/v1/me/favorites", headers=citizen.headers).json["items"] == []
