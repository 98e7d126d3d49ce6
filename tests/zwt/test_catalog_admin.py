"""Department registration API: drafts, scoped access, If-Match, the audited lifecycle and the rule report."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services_catalog.lifecycle import ACTIONS, REVIEWED_ACTIONS, TRANSITIONS
from zwt.db import session
from zwt.models import ItemEvent, ServiceItemRow

from .catalog_admin_helpers import BASE, impl_code, item_doc, register_departments, url

# The actions that lead from a fresh draft to each status.
PATH_TO = {"draft": [], "pending": ["submit"], "published": ["submit", "publish"],
           "suspended": ["submit", "publish", "suspend"], "cancelled": ["cancel"]}


@pytest.fixture(autouse=True)
def register(app):
    """The department register the items' names come from."""
    register_departments(app)


@pytest.fixture
def police(auth):
    """Headers of a police dept_admin."""
    return auth.staff("dept_admin", "police_admin", department_code="police")


@pytest.fixture
def reviewer(auth):
    """Headers of a second police dept_admin, who may publish what ``police`` submitted."""
    return auth.staff("dept_admin", "police_reviewer", department_code="police")


@pytest.fixture
def housing(auth):
    """Headers of a housing-fund dept_admin (another department)."""
    return auth.staff("dept_admin", "housing_admin", department_code="housing_fund")


@pytest.fixture
def created(client, police):
    """The impl_code of a police draft created through the API."""
    response = client.post(BASE, json=item_doc(), headers=police)
    assert response.status_code == 201, response.json
    return impl_code()


def _drive(client, headers, code, status, reviewer=None):
    """Move a fresh draft to ``status`` through the API; ``reviewer`` publishes what ``headers`` submitted."""
    for action in PATH_TO[status]:
        who = reviewer if reviewer and action in REVIEWED_ACTIONS else headers
        assert client.post(url(code, action), headers=who).status_code == 200


def _row_count(app):
    """How many items the database holds."""
    with app.app_context():
        return session().scalar(select(func.count()).select_from(ServiceItemRow))


def test_create_returns_a_draft_with_etag_and_location(client, police):
    """A new item is a version-1 draft of the admin's department, addressed by Location and tagged by ETag."""
    response = client.post(BASE, json=item_doc(), headers=police)
    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(url(impl_code()))
    body = response.json
    assert body["item"]["status"] == "draft" and body["item"]["version"] == 1
    assert body["item"]["department_code"] == "police"
    assert body["allowed_actions"] == ["submit", "cancel"] and body["source"] == "registration"


def test_department_is_forced_to_the_admins_own(client, police):
    """An omitted department_code becomes the admin's department; another department is a 422."""
    doc = item_doc()
    del doc["department_code"]
    assert client.post(BASE, json=doc, headers=police).json["item"]["department_code"] == "police"
    other = client.post(BASE, json=item_doc(1, department_code="housing_fund"), headers=police)
    assert other.status_code == 422
    assert {"field": "department_code", "code": "department_mismatch"}.items() <= other.json["errors"][0].items()


def test_duplicate_impl_code_is_a_conflict(client, police, housing, created):
    """An impl_code already in the catalog answers 409, whichever department holds it."""
    again = client.post(BASE, json=item_doc(), headers=police)
    assert again.status_code == 409 and again.json["code"] == "impl_code_taken"
    assert again.json["errors"][0]["field"] == "impl_code"
    assert client.post(BASE, json=item_doc(department_code="housing_fund"), headers=housing).status_code == 409


@pytest.mark.parametrize("key, code, field", [("status", "read_only", "status"), ("version", "read_only", "version"),
                                              ("colour", "unknown_field", "colour"), ("", "unknown_field", "body")])
def test_unknown_and_read_only_keys_are_refused(app, client, police, key, code, field):
    """Status, version and unknown keys in a new document are 422 and nothing is stored; an empty key is named
    by the document holding it (it was a 422 whose field was "", found by the JSON body fuzz properties)."""
    response = client.post(BASE, json=item_doc(**{key: "x"}), headers=police)
    assert response.status_code == 422
    assert {"field": field, "code": code}.items() <= response.json["errors"][0].items()
    assert _row_count(app) == 0


RULE_CASES = [
    ({"onsite_reason": ""}, "onsite_reason", "visit_count.reason_required"),
    ({"online_depth": 4}, "visit_count", "online_depth.full_requires_zero_visits"),
    ({"is_immediate": True}, "handling_type", "immediate.handling_type"),
    ({"fees": [{"name": "工本费", "standard": "", "basis": "某法"}]}, "fees[0].standard", "fees.standard_required"),
    ({"visit_count": 0, "channels": ["online"]}, "channels", "channels.express_required"),
    ({"item_type": "99"}, "item_type", "unknown_code"),
    ({"impl_code": "ABC"}, "impl_code", "impl_code.format"),
    ({"visit_count": "two"}, "visit_count", "type"),
    ({"name": None}, "name", "required"),
    ({"credit_rule": {"deferrable_materials": ["护照"], "commitment_days": 5}},
     "credit_rule.deferrable_materials[0]", "credit_rule.deferrable_unknown"),
    ({"credit_rule": {"restricted_lists": ["bad_people"]}}, "credit_rule.restricted_lists[0]", "unknown_code"),
    ({"credit_rule": {"commitment_days": "ten"}}, "credit_rule.commitment_days", "type"),
    ({"credit_rule": []}, "credit_rule", "type"),
]


@pytest.mark.parametrize("overrides, field, rule", RULE_CASES)
def test_rule_violations_are_422_naming_field_and_rule(app, client, police, overrides, field, rule):
    """Every broken catalog rule is a 422 entry with the field path and the rule code, and nothing is saved."""
    doc = item_doc(**overrides)
    doc["materials"][0]["e_license_type"] = "id_card"
    response = client.post(BASE, json=doc, headers=police)
    assert response.status_code == 422, response.json
    assert any(e["field"] == field and e["code"] == rule for e in response.json["errors"]), response.json
    assert _row_count(app) == 0


def test_nested_material_violation_names_its_path_in_the_clients_language(client, police):
    """A bad license type on the third material is reported at ``materials[2].e_license_type``, in English."""
    doc = item_doc()
    doc["materials"][2]["e_license_type"] = "passport_of_mars"
    response = client.post(BASE, json=doc, headers={**police, "Accept-Language": "en"})
    error = next(e for e in response.json["errors"] if e["field"] == "materials[2].e_license_type")
    assert error["code"] == "unknown_code" and "code table" in error["message"]
    chinese = client.post(BASE, json=doc, headers=police).json["errors"][0]["message"]
    assert "代码表" in chinese


def test_citizen_is_forbidden_everywhere(client, auth, police, created):
    """A citizen gets 403 on every admin route."""
    headers = auth.register().headers
    code = created
    calls = [("get", BASE), ("post", BASE), ("post", f"{BASE}/validate"), ("post", f"{BASE}/import"),
             ("get", url(code)), ("put", url(code)), ("patch", url(code)), ("post", url(code, "submit")),
             ("get", url(code, "history"))]
    for method, path in calls:
        assert getattr(client, method)(path, json={}, headers=headers).status_code == 403, (method, path)


def _verbs(code):
    """Every verb on one item, with a current If-Match."""
    headers = {"If-Match": '"1"'}
    return [("get", url(code), {}, {}), ("put", url(code), item_doc(), headers),
            ("patch", url(code), {"name": "居民身份证补领"}, headers),
            *[("post", url(code, action), {}, headers) for action in ACTIONS],
            ("get", url(code, "history"), {}, {})]


def test_another_departments_item_answers_404_like_a_missing_one(app, client, housing, police, created):
    """Every verb on a police item from a housing admin answers exactly as for a code that does not exist."""
    for (method, path, body, extra), (_, missing_path, _, _) in zip(_verbs(created), _verbs(impl_code(9))):
        foreign = getattr(client, method)(path, json=body, headers={**housing, **extra})
        missing = getattr(client, method)(missing_path, json=body, headers={**housing, **extra})
        assert foreign.status_code == missing.status_code == 404, (method, path)
        assert {k: v for k, v in foreign.json.items() if k != "request_id"} == \
               {k: v for k, v in missing.json.items() if k != "request_id"}
    listed = client.get(BASE, headers=housing).json
    assert listed["total"] == 0 and listed["items"] == []
    assert client.get(url(created), headers=police).json["item"]["version"] == 1


def test_platform_admin_acts_on_any_department(client, auth, created):
    """A platform admin reads, edits and moves any department's item and must name the department."""
    admin = auth.staff("platform_admin", "platform_admin")
    assert client.get(url(created), headers=admin).status_code == 200
    assert client.post(url(created, "submit"), headers=admin).json["item"]["status"] == "pending"
    doc = item_doc(1)
    del doc["department_code"]
    missing = client.post(BASE, json=doc, headers=admin)
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "department_code"
    assert client.post(BASE, json=item_doc(1, department_code="housing_fund"), headers=admin).status_code == 201
    too_long = client.post(BASE, json=item_doc(2, department_code="d" * 41), headers=admin)
    assert too_long.status_code == 422 and too_long.json["errors"][0]["code"] == "length"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_without_if_match_is_428(client, police, created, method):
    """An edit that names no version is refused with 428 and changes nothing."""
    response = getattr(client, method)(url(created), json=item_doc(name="居民身份证补领"), headers=police)
    assert response.status_code == 428 and response.json["code"] == "precondition_required"
    assert client.get(url(created), headers=police).json["item"]["name"] == "居民身份证换领"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_stale_if_match_is_412_with_the_current_version(client, police, created, method):
    """An edit based on an old version is refused with 412 naming the current version, and changes nothing."""
    client.post(url(created, "submit"), headers=police)
    response = getattr(client, method)(url(created), json=item_doc(name="居民身份证补领"),
                                       headers={**police, "If-Match": '"1"'})
    assert response.status_code == 412 and response.json["current_version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert client.get(url(created), headers=police).json["item"]["name"] == "居民身份证换领"


def test_stale_if_match_on_an_action_is_412(client, police, created):
    """An action that sends an old ETag is refused; one without If-Match goes through."""
    assert client.post(url(created, "submit"), headers={**police, "If-Match": '"7"'}).status_code == 412
    assert client.post(url(created, "submit"), headers=police).status_code == 200


def test_put_replaces_the_document_and_bumps_the_version(client, police, created):
    """A current If-Match replaces the document (version + 1); the same document again changes nothing."""
    doc = item_doc(name="居民身份证补领")
    response = client.put(url(created), json=doc, headers={**police, "If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    assert response.json["item"]["name"] == "居民身份证补领"
    again = client.put(url(created), json=doc, headers={**police, "If-Match": '"2"'})
    assert again.status_code == 200 and again.headers["ETag"] == '"2"'


def test_a_get_document_round_trips_through_put(client, police, created):
    """The item of a GET, status and version included, can be sent back as a PUT unchanged."""
    got = client.get(url(created), headers=police)
    response = client.put(url(created), json=got.json["item"], headers={**police, "If-Match": got.headers["ETag"]})
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'


def test_get_answers_304_while_the_clients_copy_is_current(client, police, created):
    """An admin client holding the item's ETag gets 304 until the item changes."""
    first = client.get(url(created), headers=police)
    tag = first.headers["ETag"]
    assert client.get(url(created), headers={**police, "If-None-Match": tag}).status_code == 304
    client.post(url(created, "submit"), headers=police)
    assert client.get(url(created), headers={**police, "If-None-Match": tag}).status_code == 200


def test_impl_code_cannot_change(client, police, created):
    """A PUT with another impl_code is a 422 and not a second item."""
    response = client.put(url(created), json=item_doc(3), headers={**police, "If-Match": '"1"'})
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "immutable"


def test_patch_merges_and_null_restores_the_default(client, police, created):
    """A merge patch changes only the keys it names; ``null`` puts a key back to its default."""
    response = client.patch(url(created), json={"short_name": None, "visit_count": 2},
                            headers={**police, "If-Match": '"1"'})
    assert response.status_code == 200, response.json
    item = response.json["item"]
    assert item["short_name"] == "" and item["visit_count"] == 2 and item["name"] == "居民身份证换领"


def test_patch_accepts_the_merge_patch_media_type(client, police, created):
    """RFC 7396's own media type is accepted as well as plain JSON."""
    response = client.patch(url(created), data='{"visit_count": 2}', content_type="application/merge-patch+json",
                            headers={**police, "If-Match": '"1"'})
    assert response.status_code == 200 and response.json["item"]["visit_count"] == 2


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_editing_a_live_item_keeps_its_status_and_needs_the_publish_rules(client, police, reviewer, created,
                                                                          status):
    """An edit of a submitted or suspended item keeps the status and must still be publishable."""
    _drive(client, police, created, status, reviewer)
    etag = client.get(url(created), headers=police).headers["ETag"]
    broken = client.put(url(created), json=item_doc(materials=[]), headers={**police, "If-Match": etag})
    assert broken.status_code == 422 and broken.json["errors"][0]["code"] == "materials.required"
    fixed = client.put(url(created), json=item_doc(name="居民身份证补领"), headers={**police, "If-Match": etag})
    assert fixed.status_code == 200 and fixed.json["item"]["status"] == status


def test_a_draft_may_be_incomplete(client, police):
    """A draft needs only the draft rules; submitting it applies the publish rules (422 not_publishable)."""
    response = client.post(BASE, json=item_doc(materials=[], windows=[]), headers=police)
    assert response.status_code == 201
    submit = client.post(url(impl_code(), "submit"), headers=police)
    assert submit.status_code == 422 and submit.json["code"] == "not_publishable"
    assert {(e["field"], e["code"]) for e in submit.json["errors"]} == {
        ("materials", "materials.required"), ("windows", "windows.required")}
    assert client.get(url(impl_code()), headers=police).json["item"]["status"] == "draft"


def test_a_cancelled_item_cannot_be_edited(client, police, created):
    """Cancelled is final: an edit is a 409 ``item_cancelled``."""
    _drive(client, police, created, "cancelled")
    response = client.put(url(created), json=item_doc(), headers={**police, "If-Match": '"2"'})
    assert response.status_code == 409 and response.json["code"] == "item_cancelled"


def test_an_item_synced_from_the_departments_system_is_changed_there(app, client, police, clock):
    """A feed item refuses edits, actions and import rows with ``maintained_by_feed`` (the next sync
    would undo them), and nothing about it changes."""
    from services_catalog.items import item_from_dict
    from zwt.catalog.repository import save_item

    with app.app_context():
        item = item_from_dict({**item_doc(5), "status": "published"})
        save_item(session(), item, source="feed", actor="sync:police", action="sync", now=clock.now())
        session().commit()
    code = impl_code(5)
    before = client.get(url(code), headers=police).json
    edit = client.put(url(code), json=item_doc(5), headers={**police, "If-Match": f'"{before["item"]["version"]}"'})
    assert edit.status_code == 409 and edit.json["code"] == "maintained_by_feed"
    if_match = {**police, "If-Match": f'"{before["item"]["version"]}"'}
    patch = client.patch(url(code), json={"name": "改名"}, headers=if_match)
    assert patch.status_code == 409 and patch.json["code"] == "maintained_by_feed"
    action = client.post(url(code, "suspend"), json={"note": "暂停"}, headers=police)
    assert action.status_code == 409 and action.json["code"] == "maintained_by_feed"
    imported = client.post(f"{BASE}/import", json=[item_doc(5)], headers=police)
    assert imported.status_code == 422 and imported.json["row_errors"][0]["rule"] == "maintained_by_feed"
    assert client.get(url(code), headers=police).json == before


ALL_MOVES = [(status, action) for status in PATH_TO for action in ACTIONS]


@pytest.mark.parametrize("status, action", ALL_MOVES)
def test_every_transition_is_allowed_or_refused_by_the_state_machine(client, police, reviewer, created, status,
                                                                     action):
    """Each (status, action) pair either moves the item and bumps its version, or is a 409 naming the choices."""
    _drive(client, police, created, status, reviewer)
    before = client.get(url(created), headers=police).json
    response = client.post(url(created, action), json={"note": "审核意见"},
                           headers=reviewer if action in REVIEWED_ACTIONS else police)
    if (status, action) in TRANSITIONS:
        assert response.status_code == 200, response.json
        assert response.json["item"]["status"] == TRANSITIONS[(status, action)]
        assert response.json["item"]["version"] == before["item"]["version"] + 1
    else:
        assert response.status_code == 409
        assert response.json["code"] == "transition_not_allowed"
        assert response.json["current_status"] == status
        assert response.json["allowed_actions"] == before["allowed_actions"]
        assert client.get(url(created), headers=police).json["item"]["version"] == before["item"]["version"]


def test_reject_needs_a_reason(client, police, created):
    """Rejecting a pending item without a note is a 422; with one it goes back to draft."""
    _drive(client, police, created, "pending")
    assert client.post(url(created, "reject"), headers=police).status_code == 422
    response = client.post(url(created, "reject"), json={"note": "缺少收费依据"}, headers=police)
    assert response.json["item"]["status"] == "draft"


def test_unknown_action_is_404(client, police, created):
    """An action outside the state machine's vocabulary is not a route."""
    assert client.post(url(created, "approve"), headers=police).status_code == 404


def test_history_is_the_audit_trail(app, client, police, reviewer, created):
    """History lists who did what, from which status to which, at which version, with notes, oldest first."""
    subject = client.get("/api/v1/me", headers=police).json["subject"]
    second = client.get("/api/v1/me", headers=reviewer).json["subject"]
    client.post(url(created, "submit"), json={"note": "请审核"}, headers=police)
    client.post(url(created, "publish"), headers=reviewer)
    client.post(url(created, "suspend"), headers=police)
    client.patch(url(created), json={"visit_count": 2}, headers={**police, "If-Match": '"4"'})
    events = client.get(url(created, "history"), headers=police).json["events"]
    assert [(e["action"], e["from_status"], e["to_status"], e["version"], e["note"]) for e in events] == [
        ("create", None, "draft", 1, ""), ("submit", "draft", "pending", 2, "请审核"),
        ("publish", "pending", "published", 3, ""), ("suspend", "published", "suspended", 4, ""),
        ("update", "suspended", "suspended", 5, "")]
    assert [e["actor"] for e in events] == [subject, subject, second, subject, subject]
    assert events[0]["at"].startswith("2026-11-26T09:00:00")
    with app.app_context():
        assert session().scalar(select(func.count()).select_from(ItemEvent)) == 5


def test_list_is_scoped_filtered_and_paged(client, police, housing):
    """The list shows only the department's items, filters by status and pages."""
    for n in range(3):
        client.post(BASE, json=item_doc(n), headers=police)
    client.post(url(impl_code(0), "submit"), headers=police)
    client.post(BASE, json=item_doc(5, department_code="housing_fund"), headers=housing)
    page = client.get(BASE, query_string={"per_page": 2}, headers=police).json
    assert page["total"] == 3 and len(page["items"]) == 2
    assert len(client.get(BASE, query_string={"page": 2, "per_page": 2}, headers=police).json["items"]) == 1
    pending = client.get(BASE, query_string={"status": "pending"}, headers=police).json
    assert [i["impl_code"] for i in pending["items"]] == [impl_code(0)]
    assert client.get(BASE, query_string={"status": "lost"}, headers=police).status_code == 422


def test_validate_reports_without_saving(app, client, police):
    """The rule report names every violation at the chosen level and stores nothing."""
    ok = client.post(f"{BASE}/validate", json=item_doc(), headers=police)
    assert ok.status_code == 200 and ok.json == {"valid": True, "level": "publish", "violations": []}
    incomplete = item_doc(materials=[], onsite_reason="", status="published")
    report = client.post(f"{BASE}/validate", json=incomplete, headers={**police, "Accept-Language": "en"}).json
    assert report["valid"] is False
    assert {(v["field"], v["rule"]) for v in report["violations"]} == {
        ("status", "read_only"), ("onsite_reason", "visit_count.reason_required"),
        ("materials", "materials.required")}
    draft = client.post(f"{BASE}/validate", query_string={"level": "draft"}, json=item_doc(materials=[]),
                        headers=police).json
    assert draft["valid"] is True
    assert _row_count(app) == 0


def _admin_operations():
    """Every documented services-admin operation, in positive and negative generation modes."""
    import schemathesis
    import yaml

    from zwt.docs import SPEC_PATH

    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return [(method.upper(), path, mode) for path, item in spec["paths"].items() for method, op in item.items()
            if isinstance(op, dict) and "services-admin" in op.get("tags", [])
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)]


@pytest.mark.parametrize("method, path, mode", _admin_operations())
def test_admin_operations_conform_for_a_department_admin(app, client, police, created, method, path, mode):
    """Generated requests from a signed-in dept_admin never cause a 5xx and match the documented responses."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis import checks as sc

    checks = [sc.not_a_server_error, sc.status_code_conformance, sc.content_type_conformance,
              sc.response_headers_conformance, sc.response_schema_conformance]
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.yaml", app)[path][method]

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=30, suppress_health_check=list(HealthCheck), deadline=None, database=None)
    def exercise(case):
        if "impl_code" in (case.path_parameters or {}) and mode == schemathesis.GenerationMode.POSITIVE:
            case.path_parameters["impl_code"] = created
        case.validate_response(case.call(headers=police), checks=checks)

    exercise()


@pytest.mark.parametrize("raw", ['"居民\\u0000身份证"', '"\\udaf0 lone surrogate"'])
def test_text_the_database_cannot_store_is_422(app, client, police, raw):
    """NUL characters (PostgreSQL refuses them) and unpaired surrogates are a 422, never a database error."""
    body = '{"impl_code": "%s", "name": %s, "item_type": "20", "region_code": "370202"}' % (impl_code(), raw)
    for path in (BASE, f"{BASE}/validate", f"{BASE}/import"):
        data = f"[{body}]" if path.endswith("import") else body
        response = client.post(path, data=data, content_type="application/json", headers=police)
        problems = response.json.get("errors") or response.json["violations"]
        assert response.status_code in (200, 422) and "invalid_text" in {p.get("code", p.get("rule")) for p in problems}
    assert _row_count(app) == 0


def test_unstorable_path_note_and_filter_are_refused_cleanly(client, police, created):
    """A NUL in the item path is a 404, in an action note or a list filter a 422."""
    assert client.get(f"{BASE}/a%00b", headers=police).status_code == 404
    assert client.post(url(created, "submit"), json={"note": "a\u0000b"}, headers=police).status_code == 422
    assert client.get(BASE, query_string={"department": "a\u0000b"}, headers=police).status_code == 422


# Finding 9: the department's name is the register's, never a document's.

def test_an_item_cannot_pose_as_another_departments(client, auth, housing):
    """A housing-fund admin who names the police as the item's department is refused (``read_only``); the item
    is shown under the register's name of its own department once published."""
    posing = client.post(BASE, json=item_doc(department_code="housing_fund", department_name="青岛市公安局"),
                         headers=housing)
    assert posing.status_code == 422
    assert {"field": "department_name", "code": "read_only"}.items() <= posing.json["errors"][0].items()
    created = client.post(BASE, json=item_doc(department_code="housing_fund"), headers=housing)
    assert created.status_code == 201 and created.json["item"]["department_name"] == "青岛市住房公积金管理中心"
    admin = auth.staff("platform_admin", "platform_admin")
    client.post(url(impl_code(), "submit"), headers=housing)
    assert client.post(url(impl_code(), "publish"), headers=admin).status_code == 200
    shown = client.get(f"/api/v1/services/{impl_code()}").json
    assert (shown["department_code"], shown["department_name"]) == ("housing_fund", "青岛市住房公积金管理中心")


def test_edits_cannot_rename_the_department(client, police, created):
    """A PUT may echo the stored name back unchanged; a PUT or PATCH that changes it is a 422 ``read_only``."""
    got = client.get(url(created), headers=police).json["item"]
    assert got["department_name"] == "青岛市公安局"
    headers = {**police, "If-Match": '"1"'}
    for method, body in (("put", {**got, "department_name": "青岛市住房公积金管理中心"}),
                         ("patch", {"department_name": "青岛市住房公积金管理中心"})):
        response = getattr(client, method)(url(created), json=body, headers=headers)
        assert response.status_code == 422, method
        assert {"field": "department_name", "code": "read_only"}.items() <= response.json["errors"][0].items()
    assert client.get(url(created), headers=police).json["item"] == got


def test_a_department_outside_the_register_is_refused(client, auth):
    """A platform admin cannot register an item for a department the register does not know."""
    admin = auth.staff("platform_admin", "platform_admin")
    response = client.post(BASE, json=item_doc(department_code="ministry_of_magic"),
                           headers={**admin, "Accept-Language": "en"})
    assert response.status_code == 422
    error = response.json["errors"][0]
    assert (error["field"], error["code"]) == ("department_code", "unknown_department")
    assert "department register" in error["message"]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r", " ="])
@pytest.mark.parametrize("field", ["name", "aliases[0]", "materials[0].name", "windows[0].hall"])
def test_names_that_a_spreadsheet_would_run_are_refused(app, client, police, field, prefix):
    """A name-like field starting like a formula (OWASP CSV injection) is a 422 ``text.formula`` at its path."""
    doc = item_doc()
    formula = prefix + 'HYPERLINK("http://evil.example/","点击")'
    if field == "name":
        doc["name"] = formula
    elif field == "aliases[0]":
        doc["aliases"] = [formula]
    else:
        key, attr = field.split("[0].")
        doc[key][0][attr] = formula
    response = client.post(BASE, json=doc, headers={**police, "Accept-Language": "en"})
    assert response.status_code == 422
    error = next(e for e in response.json["errors"] if e["code"] == "text.formula")
    assert error["field"] == field and "formula" in error["message"]
    assert _row_count(app) == 0


def test_a_hyphen_inside_a_name_is_fine(client, police):
    """Only the first character counts: ``0532-12345`` or ``居民身份证-换领`` are plain text."""
    assert client.post(BASE, json=item_doc(name="居民身份证-换领"), headers=police).status_code == 201


# Finding 10: publishing needs a second person, and the history names the people.

def test_the_author_cannot_publish_their_own_change(client, police, reviewer, created):
    """The admin who created and submitted an item gets 403 ``second_reviewer_required`` (zh and en); another
    admin of the department publishes it."""
    client.post(url(created, "submit"), headers=police)
    own = client.post(url(created, "publish"), headers=police)
    assert own.status_code == 403 and own.json["code"] == "second_reviewer_required"
    assert "双人审核" in own.json["detail"] and own.json["current_status"] == "pending"
    english = client.post(url(created, "publish"), headers={**police, "Accept-Language": "en"}).json
    assert "cannot publish it" in english["detail"]
    assert client.get(url(created), headers=police).json["item"]["status"] == "pending"
    assert client.post(url(created, "publish"), headers=reviewer).json["item"]["status"] == "published"


def test_whoever_edited_the_change_cannot_publish_it_either(client, auth, police, reviewer, created):
    """An admin who edited the submitted item is an author too; a platform admin who took no part publishes."""
    client.post(url(created, "submit"), headers=police)
    client.patch(url(created), json={"visit_count": 2}, headers={**reviewer, "If-Match": '"2"'})
    for author in (police, reviewer):
        assert client.post(url(created, "publish"), headers=author).status_code == 403
    admin = auth.staff("platform_admin", "platform_admin")
    assert client.post(url(created, "publish"), headers=admin).status_code == 200


def test_a_platform_admin_is_held_to_the_same_rule(client, auth, reviewer):
    """A platform admin who registered and submitted an item cannot publish it; a department admin can."""
    admin = auth.staff("platform_admin", "platform_admin")
    client.post(BASE, json=item_doc(), headers=admin)
    client.post(url(impl_code(), "submit"), headers=admin)
    assert client.post(url(impl_code(), "publish"), headers=admin).status_code == 403
    assert client.post(url(impl_code(), "publish"), headers=reviewer).status_code == 200


def test_a_published_item_changes_only_through_a_second_person(client, police, reviewer, created):
    """A published item cannot be edited in place (409 ``live_edit_needs_review``); suspended, edited and then
    resumed, the resume needs someone other than the editor. A resume with no edit since needs nobody else."""
    _drive(client, police, created, "published", reviewer)
    live = client.patch(url(created), json={"visit_count": 2}, headers={**police, "If-Match": '"3"'})
    assert live.status_code == 409 and live.json["code"] == "live_edit_needs_review"
    client.post(url(created, "suspend"), headers=police)
    assert client.post(url(created, "resume"), headers=police).status_code == 200  # nothing changed
    client.post(url(created, "suspend"), headers=police)
    assert client.patch(url(created), json={"visit_count": 2},
                        headers={**police, "If-Match": '"6"'}).status_code == 200
    refused = client.post(url(created, "resume"), headers=police)
    assert refused.status_code == 403 and refused.json["code"] == "second_reviewer_required"
    resumed = client.post(url(created, "resume"), headers=reviewer).json["item"]
    assert (resumed["status"], resumed["visit_count"]) == ("published", 2)


def test_review_can_be_turned_off_per_department(make_app, police, housing):
    """``ZWT_PUBLISH_REVIEW=required,police=off``: the police publish alone, the housing fund still cannot."""
    client = make_app({"ZWT_PUBLISH_REVIEW": "required,police=off"}).test_client()
    client.post(BASE, json=item_doc(), headers=police)
    client.post(BASE, json=item_doc(1, department_code="housing_fund"), headers=housing)
    for code, headers, expected in ((impl_code(), police, 200), (impl_code(1), housing, 403)):
        client.post(url(code, "submit"), headers=headers)
        assert client.post(url(code, "publish"), headers=headers).status_code == expected


def test_history_names_each_actor_and_role(app, client, police, reviewer, created, clock):
    """Each event carries the actor's display name and role, read from the accounts at read time; a feed's
    events read as the department's own system."""
    client.post(url(created, "submit"), headers=police)
    client.post(url(created, "publish"), headers=reviewer)
    events = client.get(url(created, "history"), headers=police).json["events"]
    assert [(e["action"], e["actor_name"], e["actor_role"]) for e in events] == [
        ("create", "police_admin", "dept_admin"), ("submit", "police_admin", "dept_admin"),
        ("publish", "police_reviewer", "dept_admin")]
    from services_catalog.items import item_from_dict
    from zwt.catalog.repository import save_item

    with app.app_context():
        save_item(session(), item_from_dict({**item_doc(5), "status": "published"}), source="feed",
                  actor="sync:police", action="sync", now=clock.now())
        session().commit()
    synced = client.get(url(impl_code(5), "history"), headers=police).json["events"]
    assert [(e["actor"], e["actor_name"], e["actor_role"]) for e in synced] == [
        ("sync:police", "青岛市公安局", "department_system")]
