"""Bulk import of service items from JSON and CSV: dry runs, per-row reports, all or nothing, idempotence."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from services_catalog.examples import example_item
from services_catalog.items import item_from_dict
from services_catalog.validation import validate_item
from zwt.catalog.admin_import import MAX_ROWS
from services_catalog.spreadsheet import looks_like_formula
from zwt.catalog.csv_import import EXAMPLE_IMPL_CODE, TEMPLATE, parse_csv, spreadsheet_csv
from zwt.db import session
from zwt.models import ItemEvent, ServiceItemRow

from .catalog_admin_helpers import BASE, impl_code, item_doc, register_departments, url

IMPORT = f"{BASE}/import"
CSV_HEADER = ("impl_code,name,item_type,region_code,audiences,legal_time_limit,legal_time_limit_unit,"
              "promised_time_limit,visit_count,onsite_reason,online_depth,channels,is_immediate,fees,materials,"
              "outputs,windows,legal_basis,basic_code")


def _csv_line(n: int, **cells: str) -> str:
    """One CSV line of a publishable police item with sequence number ``n``; ``cells`` replace columns."""
    values = {"impl_code": impl_code(n), "name": f"居民身份证换领{n}", "item_type": "20", "region_code": "370202",
              "audiences": "natural_person", "legal_time_limit": "60", "legal_time_limit_unit": "natural_day",
              "promised_time_limit": "20", "visit_count": "1", "onsite_reason": "需现场采集人像",
              "online_depth": "3", "channels": "window|online|express", "is_immediate": "否",
              "fees": "工本费:每证20元:《居民身份证法》第二十条",
              "materials": "居民身份证:original:required:id_card|彩色数码相片回执",
              "outputs": "居民身份证:license:id_card",
              "windows": "市南区政务服务中心:宁夏路:0532-12345:周一至周五 9:00-17:00",
              "legal_basis": "《中华人民共和国居民身份证法》", "basic_code": "371A0123400000"}
    values.update(cells)
    return ",".join(f'"{values[c]}"' for c in CSV_HEADER.split(","))


def _csv(*lines: str) -> bytes:
    """A CSV file with the test header."""
    return ("\n".join([CSV_HEADER, *lines]) + "\n").encode("utf-8")


@pytest.fixture(autouse=True)
def register(app):
    """The department register the items' names come from."""
    register_departments(app)


@pytest.fixture
def police(auth):
    """Headers of a police dept_admin."""
    return auth.staff("dept_admin", "police_admin", department_code="police")


def _count(app, model=ServiceItemRow):
    """How many rows of ``model`` the database holds."""
    with app.app_context():
        return session().scalar(select(func.count()).select_from(model))


def _post_csv(client, headers, data, **query):
    """POST a CSV import."""
    return client.post(IMPORT, data=data, content_type="text/csv", headers=headers, query_string=query)


def test_json_import_creates_drafts(app, client, police):
    """A JSON array creates one draft per item and reports the counts."""
    response = client.post(IMPORT, json=[item_doc(0), item_doc(1)], headers=police)
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["total"], body["created"], body["updated"], body["unchanged"]) == (2, 2, 0, 0)
    assert [i["outcome"] for i in body["items"]] == ["created", "created"]
    assert client.get(url(impl_code(1)), headers=police).json["item"]["status"] == "draft"
    assert _count(app) == 2


def test_dry_run_saves_nothing(app, client, police):
    """A dry run reports what would happen and leaves no item and no audit event behind."""
    response = client.post(IMPORT, json=[item_doc(0), item_doc(1)], headers=police, query_string={"dry_run": "true"})
    assert response.status_code == 200 and response.json["dry_run"] is True and response.json["created"] == 2
    assert _count(app) == 0 and _count(app, ItemEvent) == 0


def test_every_problem_of_a_row_is_reported_at_once(client, police):
    """An unknown column and a broken rule in the same row are both listed, so one round of fixes suffices."""
    response = client.post(IMPORT, json=[item_doc(0, colour="red", onsite_reason="")], headers=police)
    assert {(e["field"], e["rule"]) for e in response.json["row_errors"]} == {
        ("colour", "unknown_field"), ("onsite_reason", "visit_count.reason_required")}


def test_one_bad_row_saves_nothing(app, client, police):
    """A single bad row refuses the whole file with a report naming row, field and rule."""
    rows = [item_doc(0), item_doc(1, onsite_reason=""), item_doc(2)]
    response = client.post(IMPORT, json=rows, headers=police)
    assert response.status_code == 422 and response.json["code"] == "import_failed"
    assert response.json["row_errors"] == [{
        "row": 2, "line": None, "impl_code": impl_code(1), "field": "onsite_reason",
        "rule": "visit_count.reason_required", "message": "需到现场办理时应说明到现场原因"}]
    assert response.json["errors"][0]["field"] == "rows[2].onsite_reason"
    assert _count(app) == 0


def test_reimport_is_idempotent_and_reports_updates(client, police):
    """The same file twice reports unchanged without new versions; a changed row is an update."""
    rows = [item_doc(0), item_doc(1)]
    client.post(IMPORT, json=rows, headers=police)
    again = client.post(IMPORT, json=rows, headers=police).json
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert client.get(url(impl_code(0)), headers=police).headers["ETag"] == '"1"'
    rows[1]["name"] = "居民身份证补领"
    changed = client.post(IMPORT, json=rows, headers=police).json
    assert (changed["updated"], changed["unchanged"]) == (1, 1)
    history = client.get(url(impl_code(1), "history"), headers=police).json["events"]
    assert [e["action"] for e in history] == ["import", "import"]


def test_import_keeps_a_published_items_status_and_rules(make_app, police):
    """Where the department publishes without a second reviewer (``police=off``), an imported change to a
    published item keeps it published and must meet the publish rules."""
    client = make_app({"ZWT_PUBLISH_REVIEW": "required,police=off"}).test_client()
    client.post(IMPORT, json=[item_doc(0)], headers=police)
    for action in ("submit", "publish"):
        client.post(url(impl_code(0), action), headers=police)
    refused = client.post(IMPORT, json=[item_doc(0, windows=[])], headers=police)
    assert refused.status_code == 422 and refused.json["row_errors"][0]["rule"] == "windows.required"
    accepted = client.post(IMPORT, json=[item_doc(0, name="居民身份证补领")], headers=police).json
    assert accepted["items"][0]["status"] == "published" and accepted["updated"] == 1


@pytest.mark.parametrize("rows, field, rule", [
    ([item_doc(0), item_doc(0)], "impl_code", "duplicate"),
    ([item_doc(0, department_code="housing_fund")], "department_code", "department_mismatch"),
    ([item_doc(0, status="published")], "status", "read_only"),
    ([item_doc(0, colour="red", onsite_reason="")], "colour", "unknown_field"),
    (["not an object"], "body", "invalid_type"),
])
def test_row_problems_are_reported(app, client, police, rows, field, rule):
    """Duplicates in the file, foreign departments, read-only and unknown keys and non-objects are row errors."""
    response = client.post(IMPORT, json=rows, headers=police)
    assert response.status_code == 422
    assert (field, rule) == (response.json["row_errors"][0]["field"], response.json["row_errors"][0]["rule"])
    assert _count(app) == 0


def test_another_departments_code_is_a_row_error(app, client, auth, police):
    """Importing over another department's impl_code is refused, not an update of their item."""
    housing = auth.staff("dept_admin", "housing_admin", department_code="housing_fund")
    client.post(BASE, json=item_doc(0, department_code="housing_fund"), headers=housing)
    response = client.post(IMPORT, json=[item_doc(0)], headers=police)
    assert response.status_code == 422 and response.json["row_errors"][0]["rule"] == "taken"


def test_csv_import_maps_the_flat_columns(client, police):
    """The short forms of lists, fees, materials, outputs and windows become the item document."""
    response = _post_csv(client, police, _csv(_csv_line(0)))
    assert response.status_code == 200, response.json
    item = client.get(url(impl_code(0)), headers=police).json["item"]
    assert item["channels"] == ["window", "online", "express"] and item["is_immediate"] is False
    assert item["fees"] == [{"name": "工本费", "standard": "每证20元", "basis": "《居民身份证法》第二十条"}]
    assert {"name": "居民身份证", "e_license_type": "id_card", "exempt_with_e_license": True}.items() \
        <= item["materials"][0].items()
    assert item["materials"][1]["name"] == "彩色数码相片回执" and item["materials"][1]["e_license_type"] is None
    assert item["windows"][0]["hours"] == "周一至周五 9:00-17:00" and item["department_code"] == "police"


def test_csv_json_cells_and_excel_encodings(client, police):
    """A JSON array cell is taken as is, and GBK or UTF-8 with BOM files read the same."""
    json_cell = '[{""name"": ""居民身份证"", ""e_license_type"": ""id_card"", ""exempt_with_e_license"": true}]'
    line = _csv_line(0).replace('"居民身份证:original:required:id_card|彩色数码相片回执"', f'"{json_cell}"')
    text = "\n".join([CSV_HEADER, line]) + "\n"
    assert _post_csv(client, police, text.encode("gbk"), dry_run="true").json["created"] == 1
    assert _post_csv(client, police, b"\xef\xbb\xbf" + text.encode("utf-8")).json["created"] == 1
    assert client.get(url(impl_code(0)), headers=police).json["item"]["materials"][0]["exempt_with_e_license"]


def test_a_json_cell_nested_past_the_parser_stack_is_a_row_error(app, client, police):
    """An object-list cell of 5,000 ``[`` is "not a valid JSON array" for its row, not a 500 (json.loads raised
    RecursionError; found by the CSV fuzz properties)."""
    response = _post_csv(client, police, _csv(_csv_line(0, fees="[" * 5000)))
    assert response.status_code == 422, response.json
    assert (response.json["row_errors"][0]["field"], response.json["row_errors"][0]["rule"]) == ("fees", "type")
    assert _count(app) == 0


def test_the_unedited_template_is_refused_as_the_example_row(client, police):
    """A dry run of the unchanged template reports its example row, never an update of a live item."""
    response = _post_csv(client, police, TEMPLATE.encode("utf-8"), dry_run="1")
    assert response.status_code == 422 and response.json["code"] == "import_failed"
    first = response.json["row_errors"][0]
    assert (first["row"], first["line"], first["impl_code"], first["field"], first["rule"]) == (
        1, 2, EXAMPLE_IMPL_CODE, "impl_code", "example_row")


def test_the_example_code_can_never_be_an_items_code():
    """The example's implementer code reads EXAMPLE and fails its check character, so no rule lets it be stored."""
    item = dataclasses.replace(example_item(), impl_code=EXAMPLE_IMPL_CODE)
    assert "EXAMPLE" in EXAMPLE_IMPL_CODE and EXAMPLE_IMPL_CODE in TEMPLATE
    assert "impl_code.implementer_check" in {v.rule for v in validate_item(item)}


def test_the_template_with_its_example_replaced_imports_cleanly(client, police):
    """The template's line is otherwise a valid item: with a real code in place it imports as a draft."""
    edited = TEMPLATE.replace(EXAMPLE_IMPL_CODE, impl_code(7)).encode("utf-8")
    response = _post_csv(client, police, edited, dry_run="1")
    assert response.status_code == 200 and response.json["created"] == 1, response.json


def test_every_problem_of_a_row_across_cells_shapes_and_rules(client, police):
    """A value of the wrong shape no longer hides the rules the rest of the row breaks, in JSON and in CSV."""
    json_row = item_doc(0, legal_time_limit="sixty", materials="none", onsite_reason="")
    response = client.post(IMPORT, json=[json_row], headers=police)
    assert {(e["field"], e["rule"]) for e in response.json["row_errors"]} == {
        ("legal_time_limit", "type"), ("materials", "type"), ("onsite_reason", "visit_count.reason_required")}
    csv_row = _csv_line(0, promised_time_limit="二十", onsite_reason="", channels="window|online|fax")
    response = _post_csv(client, police, _csv(csv_row))
    assert {(e["field"], e["rule"]) for e in response.json["row_errors"]} == {
        ("promised_time_limit", "type"), ("onsite_reason", "visit_count.reason_required"),
        ("channels[2]", "unknown_code")}


def test_a_rows_claim_and_its_other_problems_are_reported_together(client, police):
    """A duplicate code in the file is reported with the rest of that row's problems, not instead of them."""
    response = client.post(IMPORT, json=[item_doc(0), item_doc(0, colour="red", onsite_reason="")],
                           headers=police)
    assert [(e["row"], e["field"], e["rule"]) for e in response.json["row_errors"]] == [
        (2, "impl_code", "duplicate"), (2, "colour", "unknown_field"),
        (2, "onsite_reason", "visit_count.reason_required")]


def test_row_errors_read_in_english_as_sentences_naming_the_field(client, police):
    """In English, each row error is a sentence that names its field."""
    response = client.post(IMPORT, json=[item_doc(0, visit_count="two", colour="red")],
                           headers={**police, "Accept-Language": "en"})
    assert {e["field"]: e["message"] for e in response.json["row_errors"]} == {
        "colour": "The field 'colour' is not allowed here.",
        "visit_count": "The field 'visit_count' must be an integer."}


def test_csv_bad_cell_names_row_and_line(app, client, police):
    """A non-integer cell is reported with its row number and its line in the file; nothing is saved."""
    response = _post_csv(client, police, _csv(_csv_line(0), "", _csv_line(1, visit_count="两次")))
    assert response.status_code == 422
    error = response.json["row_errors"][0]
    assert (error["row"], error["line"], error["field"], error["rule"]) == (2, 4, "visit_count", "type")
    assert _count(app) == 0


@pytest.mark.parametrize("header, field, code", [
    ("impl_code,name,item_type,region_code,colour", "header.colour", "unknown_field"),
    ("impl_code,name,item_type", "header.region_code", "required"),
    ("impl_code,name,name,item_type,region_code", "header.name", "duplicate"),
    ("impl_code,name,item_type,region_code,department_name", "header.department_name", "read_only"),
    ("实施编码,事项名称,事项类型,行政区划,实施主体", "header.department_name", "read_only"),
])
def test_csv_header_problems_refuse_the_file(client, police, header, field, code):
    """Unknown, missing and repeated columns are reported before any row is read."""
    response = _post_csv(client, police, (header + "\n").encode())
    assert response.status_code == 422 and response.json["code"] == "import_failed"
    assert {"field": field, "code": code}.items() <= response.json["errors"][0].items()


def test_unreadable_and_empty_files_are_422(client, police):
    """A file in no known encoding, or with no rows, is refused."""
    assert _post_csv(client, police, CSV_HEADER.encode() + b"\n\xff\xfe\xfa").status_code == 422
    assert _post_csv(client, police, b"").status_code == 422
    assert client.post(IMPORT, json=[], headers=police).status_code == 422


def test_row_cap(client, police):
    """More rows than the cap is refused as a whole."""
    response = client.post(IMPORT, json=[{}] * (MAX_ROWS + 1), headers=police)
    assert response.status_code == 422 and response.json["code"] == "import_too_large"


def test_other_body_types_are_415_and_a_json_object_is_422(client, police):
    """Only a JSON array or CSV is an import body."""
    assert client.post(IMPORT, data="x", content_type="text/plain", headers=police).status_code == 415
    assert client.post(IMPORT, json=item_doc(), headers=police).status_code == 422
    malformed = client.post(IMPORT, data="[", content_type="application/json", headers=police)
    assert malformed.status_code == 400 and malformed.json["code"] == "malformed_json"


def test_citizen_cannot_import(client, auth):
    """A citizen is forbidden to import."""
    assert client.post(IMPORT, json=[item_doc()], headers=auth.register().headers).status_code == 403


def test_template_downloads_and_imports_back_once_filled_in(client, police):
    """The template opens in Excel (UTF-8 BOM); sent back unedited it is refused, filled in it imports."""
    response = client.get(f"{IMPORT}/template", headers=police)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert _post_csv(client, police, response.data).json["row_errors"][0]["rule"] == "example_row"
    filled = response.data.replace(EXAMPLE_IMPL_CODE.encode(), impl_code(3).encode())
    assert _post_csv(client, police, filled).json["created"] == 1


def test_chinese_headings_are_accepted(client, police):
    """A clerk may head the columns with the catalog's Chinese element names."""
    header = "实施编码,事项名称,事项类型,行政区划,到现场次数,网办深度,办理渠道"
    line = f"{impl_code(0)},居民身份证换领,20,370202,0,4,online"
    response = _post_csv(client, police, f"{header}\n{line}\n".encode())
    assert response.status_code == 200, response.json
    assert client.get(url(impl_code(0)), headers=police).json["item"]["online_depth"] == 4


def test_dry_run_refuses_words_that_only_look_like_booleans(app, client, police):
    """``dry_run=yes`` is a 422 naming ``dry_run``, never a real import that was meant to be a trial."""
    response = client.post(IMPORT, json=[item_doc(0)], headers=police, query_string={"dry_run": "yes"})
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "dry_run"
    assert _count(app) == 0


def test_a_formula_in_a_csv_cell_is_a_row_error(app, client, police):
    """A name that Excel would run (``=HYPERLINK(...)``) is refused in its row, and nothing is imported."""
    line = _csv_line(1, name='=HYPERLINK(""http://evil.example/"",""点击"")', materials="@SUM(1+1)")
    response = _post_csv(client, police, _csv(_csv_line(0), line))
    assert response.status_code == 422
    assert {(e["row"], e["field"], e["rule"]) for e in response.json["row_errors"]} == {
        (2, "name", "text.formula"), (2, "materials[0].name", "text.formula")}
    assert _count(app) == 0


def test_every_csv_the_service_writes_is_inert_in_a_spreadsheet():
    """The spreadsheet writer prefixes formula-like cells with ``'`` and keeps the others; the template holds
    no cell a spreadsheet would run."""
    written = spreadsheet_csv([["=1+1", "+86 532", "-5", "@SUM(A1)", "\tcmd", "0532-12345", "居民身份证"]])
    assert written == "'=1+1,'+86 532,'-5,'@SUM(A1),'\tcmd,0532-12345,居民身份证\n"
    cells = [cell for line in TEMPLATE.splitlines() for cell in line.split(",")]
    assert cells and not any(looks_like_formula(cell) for cell in cells)
    assert [row.data["name"] for row in parse_csv(TEMPLATE.encode())] == ["示例事项（请替换或删除本行）"]


def test_import_cannot_change_a_published_item_without_a_second_person(client, police, auth):
    """Under the two-person rule, an import row that would change a published item is refused in its row."""
    admin = auth.staff("platform_admin", "platform_admin")
    client.post(IMPORT, json=[item_doc(0)], headers=police)
    client.post(url(impl_code(0), "submit"), headers=police)
    assert client.post(url(impl_code(0), "publish"), headers=admin).status_code == 200
    response = client.post(IMPORT, json=[item_doc(0, name="居民身份证补领")], headers=police)
    assert response.status_code == 422
    assert response.json["row_errors"][0]["rule"] == "live_edit_needs_review"
    assert client.get(url(impl_code(0)), headers=police).json["item"]["name"] == "居民身份证换领"


def test_form_fields_and_online_acceptance_in_the_short_form():
    """The 表单字段 column's short form gives typed fields (required as a yes, options split by /)."""
    text = ("实施编码,事项名称,事项类型,行政区划,网上申请,表单字段\n"
            "X,居住证办理,20,370202,是,address:居住地址:text:是|reason:事由:choice:否:work/study|"
            "postcode:邮编:text:否::[0-9]{6}\n")
    (row,) = parse_csv(text.encode())
    assert row.data["accepts_online"] is True
    assert row.data["form_fields"] == [
        {"name": "address", "label": "居住地址", "type": "text", "required": True},
        {"name": "reason", "label": "事由", "type": "choice", "required": False, "options": ["work", "study"]},
        {"name": "postcode", "label": "邮编", "type": "text", "required": False, "pattern": "[0-9]{6}"}]


def test_credit_rule_columns_become_the_items_credit_rule_and_are_checked():
    """The three credit columns (or their Chinese headings) fold into ``credit_rule``; a deferrable material the
    item lacks, an unknown list or a period out of range is a row problem naming ``credit_rule.<field>``."""
    header = "实施编码,事项名称,事项类型,行政区划,申请材料,容缺材料,失信限制名单,承诺补交期限"
    good = f"{impl_code(0)},居住证签发,20,370202,居民身份证|彩色数码相片回执,彩色数码相片回执,court_dishonest_debtors,5"
    rows = parse_csv(f"{header}\n{good}\n".encode())
    assert rows[0].data["credit_rule"] == {"deferrable_materials": ["彩色数码相片回执"],
                                           "restricted_lists": ["court_dishonest_debtors"], "commitment_days": 5}
    bad = f"{impl_code(1)},居住证签发,20,370202,居民身份证,护照,bad_list,99"
    assert [p.field for p in parse_csv(f"{header}\n{bad}\n".encode())[0].problems] == []
    problems = {v.field for v in validate_item(item_from_dict({**parse_csv(f"{header}\n{bad}\n".encode())[0].data,
                                                               "department_code": "police"}))}
    assert {"credit_rule.deferrable_materials[0]", "credit_rule.restricted_lists[0]",
            "credit_rule.commitment_days"} <= problems
