"""Specification of the service-item model: dict round trip, shape errors and the content hash."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, strategies as st

from services_catalog.examples import example_item, government_uscc
from services_catalog.impl_code import is_valid_uscc, parse_impl_code
from services_catalog.items import (
    Material,
    content_hash,
    e_license_requirements,
    effective_personas,
    item_from_dict,
    item_to_dict,
)
from services_catalog.violations import ItemInvalid


def test_dict_round_trip_restores_an_equal_item() -> None:
    """An item turned into a dict and back is equal to the original."""
    item = example_item()
    assert item_from_dict(item_to_dict(item)) == item


def test_dict_is_plain_json() -> None:
    """The dict form survives JSON encoding unchanged (lists, strings, numbers, booleans, None only)."""
    data = item_to_dict(example_item())
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_dict_has_the_documented_keys() -> None:
    """The serialised item exposes exactly the documented top-level and material keys."""
    data = item_to_dict(example_item())
    assert set(data) == {
        "impl_code", "basic_code", "name", "short_name", "aliases", "item_type", "department_code",
        "department_name", "region_code", "audiences", "personas", "themes", "life_events",
        "handling_type", "is_immediate", "legal_time_limit", "legal_time_limit_unit",
        "promised_time_limit", "promised_time_limit_unit", "visit_count", "onsite_reason",
        "online_depth", "channels", "fees", "materials", "materials_note", "outputs", "windows",
        "legal_basis", "status", "version", "accepts_online", "form_fields", "credit_rule",
    }
    assert set(data["materials"][0]) == {
        "name", "kind", "form", "necessity", "copies", "e_license_type", "exempt_with_e_license",
        "required_fields", "note", "satisfied_by",
    }


def test_minimal_dict_gets_defaults() -> None:
    """Only the identifying fields are needed; the rest take their documented defaults."""
    item = item_from_dict({"impl_code": "X", "name": "n", "item_type": "20", "department_code": "police",
                           "region_code": "370200"})
    assert item.status == "draft" and item.version == 1 and item.materials == ()


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"name": 5}, "name"),
        ({"visit_count": "1"}, "visit_count"),
        ({"visit_count": True}, "visit_count"),
        ({"is_immediate": 1}, "is_immediate"),
        ({"aliases": "社保"}, "aliases"),
        ({"materials": [{"name": "x", "copies": "two"}]}, "materials[0].copies"),
        ({"materials": ["x"]}, "materials[0]"),
        ({"fees": [{"standard": "10元"}]}, "fees[0].name"),
        ({"impl_code": None}, "impl_code"),
    ],
)
def test_wrong_shape_raises_with_field_path(patch: dict[str, object], field: str) -> None:
    """A field of the wrong JSON type raises ItemInvalid naming that field's path."""
    data = {**item_to_dict(example_item()), **patch}
    with pytest.raises(ItemInvalid) as caught:
        item_from_dict(data)
    assert field in [v.field for v in caught.value.violations]


def test_content_hash_ignores_status_and_version() -> None:
    """Publishing or re-versioning an item does not change its content hash."""
    item = example_item()
    assert content_hash(item) == content_hash(dataclasses.replace(item, status="published", version=7))


def test_content_hash_ignores_order_of_set_like_fields() -> None:
    """A feed that lists channels or audiences in another order is not a change."""
    item = example_item(audiences=("natural_person", "other_organization"))
    shuffled = dataclasses.replace(item, channels=tuple(reversed(item.channels)),
                                   audiences=tuple(reversed(item.audiences)))
    assert content_hash(item) == content_hash(shuffled)


@pytest.mark.parametrize("change", [
    {"name": "居民身份证补领"},
    {"promised_time_limit": 15},
    {"materials": (Material("居民身份证"),)},
])
def test_content_hash_changes_with_content(change: dict[str, object]) -> None:
    """Any change a citizen could see changes the content hash."""
    assert content_hash(example_item()) != content_hash(example_item(**change))


def test_content_hash_is_stable_hex_sha256() -> None:
    """The hash is 64 lower-case hex digits and identical for equal items."""
    digest = content_hash(example_item())
    assert len(digest) == 64 and digest == digest.lower() and digest == content_hash(example_item())


def test_personas_derive_from_audiences() -> None:
    """Without explicit personas, natural persons map to 个人 and organisations to 法人."""
    item = example_item(personas=(), audiences=("natural_person", "enterprise_legal_person"))
    assert effective_personas(item) == ("individual", "legal")


def test_example_impl_code_parses_with_valid_uscc() -> None:
    """The example item's 实施编码 has the national shape and a check-valid implementer code."""
    parts = parse_impl_code(example_item().impl_code)
    assert parts is not None and is_valid_uscc(parts.implementer)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_government_uscc_is_always_check_valid(body: str) -> None:
    """Every generated government USCC passes the GB 32100 check."""
    assert is_valid_uscc(government_uscc("370200", body))


def test_uscc_check_accepts_real_codes() -> None:
    """Real implementer codes from the Sichuan source data pass the GB 32100 check."""
    assert is_valid_uscc("11511301008778183N") and is_valid_uscc("11511301MB1550442U")
    assert not is_valid_uscc("11511301008778183M")


def test_e_license_requirements_merge_the_materials_naming_each_license() -> None:
    """Each e-license type an item's materials name maps to every fact those materials need; paper ones add none."""
    item = example_item()
    assert e_license_requirements(item) == {"id_card": frozenset({"holder", "holder_code", "valid_until"}),
                                            "household_register": frozenset({"holder", "holder_code", "address"})}
    second = Material("居民身份证复印件", e_license_type="id_card", required_fields=("address",))
    merged = e_license_requirements(dataclasses.replace(item, materials=(*item.materials, second)))
    assert merged["id_card"] == {"holder", "holder_code", "valid_until", "address"}
    assert e_license_requirements(dataclasses.replace(item, materials=item.materials[2:])) == {}


def test_license_ways_add_to_the_e_license_requirements() -> None:
    """A license named in a material's satisfied_by is an e-license the item takes, with its facts."""
    from services_catalog.items import Material, Satisfier, e_license_requirements
    item = example_item(materials=(Material("居民身份证", satisfied_by=(
        Satisfier("license", "id_card", ("holder", "id_number")), Satisfier("upload"))),))
    assert e_license_requirements(item) == {"id_card": frozenset({"holder", "id_number"})}


def test_handling_fields_at_defaults_keep_the_content_hash() -> None:
    """Items from before online handling keep their hash; a form makes a change sync sees."""
    from services_catalog.items import FormField
    item = example_item()
    data = item_to_dict(item)
    del data["accepts_online"], data["form_fields"]
    assert content_hash(item_from_dict(data)) == content_hash(item)
    assert content_hash(example_item(form_fields=(FormField("address"),))) != content_hash(item)
