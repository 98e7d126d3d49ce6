"""Specification of the catalog audit rules: each rule fires on its own case and names its field."""

from __future__ import annotations

from typing import Any

import pytest

from services_catalog.credit_rules import CreditRule
from services_catalog.examples import example_item
from services_catalog.items import Fee, FormField, Material, Output, Satisfier, Window
from services_catalog.rules import RULES
from services_catalog.validation import ItemInvalid, ensure_valid, validate_for_publish, validate_item

_GOOD = example_item().impl_code
# Same code with the implementer's check character changed, so only the GB 32100 check fails.
BAD_CHECK = _GOOD[:-6] + ("1" if _GOOD[-6] != "1" else "2") + _GOOD[-5:]
ID_CARD = Material("居民身份证", e_license_type="id_card", exempt_with_e_license=True)
ZERO_VISIT_ONLINE = {"visit_count": 0, "onsite_reason": "", "online_depth": 4,
                     "channels": ("online", "mobile"), "windows": ()}

# (overrides of the valid example, field path, rule code): every draft rule at least once.
DRAFT_CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"impl_code": "511A0138000000-511602000000"}, "impl_code", "impl_code.format"),
    ({"impl_code": "X"}, "impl_code", "impl_code.format"),
    ({"region_code": "370203"}, "impl_code", "impl_code.region"),
    ({"impl_code": example_item().impl_code.replace("-1-00", "-1-0")}, "impl_code", "impl_code.format"),
    ({"impl_code": BAD_CHECK}, "impl_code", "impl_code.implementer_check"),
    ({"basic_code": "371A0123400001"}, "basic_code", "basic_code.mismatch"),
    ({"basic_code": "ABC", "impl_code": "X"}, "basic_code", "basic_code.format"),
    ({"name": "证"}, "name", "name.length"),
    ({"name": "证" * 121}, "name", "name.length"),
    ({"name": "居民 身份证换领"}, "name", "name.whitespace"),
    ({"short_name": "居民身份证换领"}, "short_name", "short_name.length"),
    ({"short_name": "身" * 21, "name": "身" * 30}, "short_name", "short_name.length"),
    ({"aliases": ("换身份证", "换身份证")}, "aliases[1]", "duplicate"),
    ({"aliases": ("居民身份证换领",)}, "aliases[0]", "duplicate"),
    ({"department_code": " "}, "department_code", "required"),
    ({"region_code": "3702"}, "region_code", "region_code.format"),
    ({"version": 0}, "version", "version.range"),
    ({"item_type": "11"}, "item_type", "unknown_code"),
    ({"handling_type": "soon"}, "handling_type", "unknown_code"),
    ({"status": "archived"}, "status", "unknown_code"),
    ({"legal_time_limit_unit": "month"}, "legal_time_limit_unit", "unknown_code"),
    ({"promised_time_limit_unit": "hour"}, "promised_time_limit_unit", "unknown_code"),
    ({"audiences": ("natural_person", "alien")}, "audiences[1]", "unknown_code"),
    ({"audiences": ("natural_person", "natural_person")}, "audiences[1]", "duplicate"),
    ({"personas": ("citizen",)}, "personas[0]", "unknown_code"),
    ({"personas": ("legal",)}, "personas[0]", "personas.inconsistent"),
    ({"themes": ("identity", "space")}, "themes[1]", "unknown_code"),
    ({"life_events": ("lottery_win",)}, "life_events[0]", "unknown_code"),
    ({"channels": ("window", "online", "express", "pigeon")}, "channels[3]", "unknown_code"),
    ({"legal_time_limit": -1}, "legal_time_limit", "time_limit.range"),
    ({"promised_time_limit": 400, "legal_time_limit": None}, "promised_time_limit", "time_limit.range"),
    ({"promised_time_limit": 61, "promised_time_limit_unit": "natural_day"}, "promised_time_limit",
     "time_limit.promised_exceeds_legal"),
    ({"promised_time_limit": 50, "promised_time_limit_unit": "working_day"}, "promised_time_limit",
     "time_limit.promised_exceeds_legal"),
    ({"is_immediate": True}, "handling_type", "immediate.handling_type"),
    ({"handling_type": "immediate"}, "handling_type", "immediate.handling_type"),
    ({"is_immediate": True, "handling_type": "immediate", "promised_time_limit": 5}, "promised_time_limit",
     "immediate.promised_limit"),
    ({"visit_count": 6}, "visit_count", "visit_count.range"),
    ({"visit_count": -1}, "visit_count", "visit_count.range"),
    ({"onsite_reason": " "}, "onsite_reason", "visit_count.reason_required"),
    ({"online_depth": 5}, "online_depth", "online_depth.range"),
    ({"online_depth": 4}, "visit_count", "online_depth.full_requires_zero_visits"),
    ({"channels": ("window", "express")}, "channels", "channels.online_required"),
    ({**ZERO_VISIT_ONLINE, "online_depth": 3}, "channels", "channels.express_required"),
    ({"channels": ("online", "express")}, "channels", "channels.window_required"),
    ({"fees": (Fee("工本费", "", "依据"),)}, "fees[0].standard", "fees.standard_required"),
    ({"fees": (Fee("工本费", "20元", " "),)}, "fees[0].basis", "fees.basis_required"),
    ({"fees": (Fee("", "20元", "依据"),)}, "fees[0].name", "required"),
    ({"materials": (Material(" "),)}, "materials[0].name", "required"),
    ({"materials": (Material("相片", kind="scan"),)}, "materials[0].kind", "unknown_code"),
    ({"materials": (Material("相片", form="fax"),)}, "materials[0].form", "unknown_code"),
    ({"materials": (Material("相片", necessity="maybe"),)}, "materials[0].necessity", "unknown_code"),
    ({"materials": (Material("相片", copies=0),)}, "materials[0].copies", "materials.copies_range"),
    ({"materials": (ID_CARD, Material("相片", e_license_type="passport"))}, "materials[1].e_license_type",
     "unknown_code"),
    ({"materials": (ID_CARD, ID_CARD, Material("户口簿", exempt_with_e_license=True))},
     "materials[2].e_license_type", "materials.exempt_requires_license"),
    ({"materials": (Material("相片", required_fields=("holder",)),)}, "materials[0].required_fields",
     "materials.fields_require_license"),
    ({"materials": (Material("身份证", e_license_type="id_card", required_fields=("Holder Name",)),)},
     "materials[0].required_fields[0]", "materials.field_name"),
    ({"materials": (Material("身份证", e_license_type="id_card", required_fields=("holder", "holder")),)},
     "materials[0].required_fields[1]", "duplicate"),
    ({"materials": (ID_CARD, ID_CARD)}, "materials[1]", "duplicate"),
    ({"outputs": (Output(""),)}, "outputs[0].name", "required"),
    ({"outputs": (Output("证", kind="medal"),)}, "outputs[0].kind", "unknown_code"),
    ({"outputs": (Output("证", e_license_type="visa"),)}, "outputs[0].e_license_type", "unknown_code"),
    ({"windows": (Window(""),)}, "windows[0].hall", "required"),
    ({"legal_basis": ("",)}, "legal_basis[0]", "required"),
    ({"name": '=HYPERLINK("http://evil.example/","点击")'}, "name", "text.formula"),
    ({"windows": (Window("@市南区政务服务中心"),)}, "windows[0].hall", "text.formula"),
    # online handling: the form, what satisfies a material, online acceptance
    ({"form_fields": (FormField("Address"),)}, "form_fields[0].name", "form_fields.name"),
    ({"form_fields": (FormField("reason", type="choice", options=("work",)),)}, "form_fields[0].options",
     "form_fields.options"),
    ({"form_fields": (FormField("reason", options=("a", "b")),)}, "form_fields[0].options", "form_fields.options"),
    ({"form_fields": (FormField("reason", type="colour"),)}, "form_fields[0].type", "unknown_code"),
    ({"form_fields": (FormField("postcode", pattern="[0-9"),)}, "form_fields[0].pattern", "form_fields.pattern"),
    ({"form_fields": (FormField("born", type="date", pattern="[0-9]+"),)}, "form_fields[0].pattern",
     "form_fields.pattern"),
    ({"form_fields": (FormField("a"), FormField("a"))}, "form_fields[1]", "duplicate"),
    ({"materials": (Material("相片", satisfied_by=(Satisfier("license"),)),)},
     "materials[0].satisfied_by[0].license_type", "satisfied_by.license"),
    ({"materials": (Material("相片", satisfied_by=(Satisfier("upload", fields=("holder",)),)),)},
     "materials[0].satisfied_by[0].license_type", "satisfied_by.license"),
    ({"materials": (Material("相片", satisfied_by=(Satisfier("license", "visa"),)),)},
     "materials[0].satisfied_by[0].license_type", "unknown_code"),
    ({"materials": (Material("社保", satisfied_by=(Satisfier("shared_data", source="tax_record"),)),)},
     "materials[0].satisfied_by[0].source", "satisfied_by.source"),
    ({"materials": (Material("社保", satisfied_by=(Satisfier("upload", source="marriage_status"),)),)},
     "materials[0].satisfied_by[0].source", "satisfied_by.source"),
    ({"materials": (Material("社保", satisfied_by=(Satisfier("fax"),)),)},
     "materials[0].satisfied_by[0].kind", "unknown_code"),
    ({"materials": (Material("证", satisfied_by=(Satisfier("license", "id_card", ("Holder",)),)),)},
     "materials[0].satisfied_by[0].fields[0]", "materials.field_name"),
    ({"accepts_online": True, "online_depth": 2}, "accepts_online", "accepts_online.depth"),
    ({"accepts_online": True, "online_depth": 3, "channels": ("window",)}, "channels", "accepts_online.channel"),
    ({"credit_rule": CreditRule(("护照",), commitment_days=5)}, "credit_rule.deferrable_materials[0]",
     "credit_rule.deferrable_unknown"),
    ({"credit_rule": CreditRule(("居民户口簿", "居民户口簿"), commitment_days=5)}, "credit_rule.deferrable_materials[1]",
     "duplicate"),
    ({"accepts_online": True, "online_depth": 3, "credit_rule": CreditRule(("居民户口簿",), commitment_days=5)},
     "credit_rule.deferrable_materials[0]", "credit_rule.deferrable_way"),
    ({"credit_rule": CreditRule(restricted_lists=("bad_people",))}, "credit_rule.restricted_lists[0]", "unknown_code"),
    ({"credit_rule": CreditRule(("居民户口簿",))}, "credit_rule.commitment_days", "credit_rule.commitment_days"),
    ({"credit_rule": CreditRule(("居民户口簿",), commitment_days=61)}, "credit_rule.commitment_days",
     "credit_rule.commitment_days"),
    ({"credit_rule": CreditRule(commitment_days=5)}, "credit_rule.commitment_days", "credit_rule.commitment_days"),
]

# Rules only a publishable item must meet: a draft with these gaps is fine.
PUBLISH_CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"basic_code": ""}, "basic_code", "required"),
    ({"department_name": ""}, "department_name", "required"),
    ({"audiences": (), "personas": ()}, "audiences", "required"),
    ({"channels": (), "visit_count": 0, "onsite_reason": "", "online_depth": 0}, "channels", "required"),
    ({"promised_time_limit": None}, "promised_time_limit", "required"),
    ({"item_type": "01", "legal_time_limit": None}, "legal_time_limit", "required"),
    ({"materials": ()}, "materials", "materials.required"),
    ({"materials": (), "materials_note": "无需材料", "item_type": "01"}, "materials", "materials.required"),
    ({"item_type": "07", "legal_basis": ()}, "legal_basis", "legal_basis.required"),
    ({"item_type": "01", "outputs": ()}, "outputs", "outputs.required"),
    ({"windows": ()}, "windows", "windows.required"),
]


def _found(overrides: dict[str, Any], *, publish: bool) -> set[tuple[str, str]]:
    item = example_item(**overrides)
    return {(v.field, v.rule) for v in (validate_for_publish(item) if publish else validate_item(item))}


def test_example_item_is_publishable() -> None:
    """The reference item breaks no rule, so each case below isolates one rule."""
    assert validate_for_publish(example_item()) == []


@pytest.mark.parametrize(("overrides", "field", "rule"), DRAFT_CASES)
def test_draft_rule(overrides: dict[str, Any], field: str, rule: str) -> None:
    """The item breaking one rule reports that rule at that field path."""
    assert (field, rule) in _found(overrides, publish=False)


@pytest.mark.parametrize(("overrides", "field", "rule"), PUBLISH_CASES)
def test_publish_rule(overrides: dict[str, Any], field: str, rule: str) -> None:
    """The publish check reports the gap while the draft check accepts it."""
    assert (field, rule) in _found(overrides, publish=True)
    assert (field, rule) not in _found(overrides, publish=False)


def test_every_rule_code_has_a_case() -> None:
    """The rule table has no code that the cases above never trigger."""
    used = {rule for _, _, rule in DRAFT_CASES + PUBLISH_CASES}
    assert set(RULES) == used


def test_online_item_with_form_and_ordered_ways_is_valid() -> None:
    """An item accepting online applications, with a form and materials satisfied in order of preference."""
    item = example_item(accepts_online=True, online_depth=3, form_fields=(
        FormField("address", "居住地址", required=True), FormField("reason", "居住事由", "choice", True,
                                                               ("work", "study")),
        FormField("postcode", "邮编", pattern="[0-9]{6}")), materials=(
        Material("居民身份证", satisfied_by=(
            Satisfier("license", "id_card", ("holder", "id_number")), Satisfier("upload"))),
        Material("社会保险缴费证明", satisfied_by=(
            Satisfier("shared_data", source="social_security_record"), Satisfier("upload")))))
    assert validate_for_publish(item) == []


def test_a_credit_rule_on_the_items_own_materials_and_the_platforms_lists_is_valid() -> None:
    """A deferrable material the item has, a known restriction list, a commitment period in range."""
    item = example_item(credit_rule=CreditRule(("居民户口簿",), ("court_dishonest_debtors",), 10))
    assert validate_for_publish(item) == []


def test_public_service_may_explain_missing_materials() -> None:
    """A public service (type 20) with a note needs no material."""
    assert validate_for_publish(example_item(materials=(), materials_note="本事项为咨询服务，无需提交材料")) == []


def test_zero_visit_fully_online_item_needs_no_express() -> None:
    """A fully online item with zero visits is valid without express delivery or windows."""
    assert validate_for_publish(example_item(**ZERO_VISIT_ONLINE)) == []


def test_immediate_item_promising_one_day_is_valid() -> None:
    """即办 with handling type 即办件 and a 1-day promise passes."""
    item = example_item(is_immediate=True, handling_type="immediate", promised_time_limit=1)
    assert validate_for_publish(item) == []


def test_violation_messages_are_bilingual_and_filled() -> None:
    """Each violation carries a Chinese and an English message with placeholders filled in."""
    violations = validate_item(example_item(item_type="11", name="证"))
    assert violations and all(v.message_zh and v.message_en for v in violations)
    assert all("{" not in v.message_zh + v.message_en for v in violations)


def test_ensure_valid_raises_with_all_violations() -> None:
    """ensure_valid raises ItemInvalid carrying every violation and returns valid items unchanged."""
    item = example_item()
    assert ensure_valid(item, for_publish=True) is item
    with pytest.raises(ItemInvalid) as caught:
        ensure_valid(example_item(item_type="11", visit_count=9))
    assert {v.rule for v in caught.value.violations} >= {"unknown_code", "visit_count.range"}


def test_violation_dict_is_the_api_error_shape() -> None:
    """A violation serialises to field, rule and the two messages."""
    (found,) = validate_item(example_item(version=0))
    assert found.to_dict() == {"field": "version", "rule": "version.range", "message_zh": found.message_zh,
                               "message_en": found.message_en}


@pytest.mark.parametrize("text, formula", [("=1+1", True), ("+86", True), ("-2", True), ("@SUM(A1)", True),
                                           ("\tx", True), ("\rx", True), ("  =x", True), ("居民身份证", False),
                                           ("0532-12345", False), ("a=b", False), ("", False)])
def test_one_rule_says_what_a_spreadsheet_would_run(text, formula):
    """OWASP CSV injection prefixes, after leading spaces; output neutralises exactly those cells with ``'``."""
    from services_catalog.spreadsheet import looks_like_formula, neutralise_cell

    assert looks_like_formula(text) is formula
    assert neutralise_cell(text) == ("'" + text if formula else text)


def test_name_like_fields_refuse_formula_prefixes():
    """Item names, aliases and the names of fees, materials, outputs and windows are ``text.formula``."""
    import dataclasses

    item = example_item()
    bad = dataclasses.replace(item, name="=HYPERLINK(1)", aliases=("@x",), short_name="-y",
                              fees=(dataclasses.replace(item.fees[0], name="+z"),))
    found = {(v.field, v.rule) for v in validate_item(bad) if v.rule == "text.formula"}
    assert found == {("name", "text.formula"), ("aliases[0]", "text.formula"), ("short_name", "text.formula"),
                     ("fees[0].name", "text.formula")}
