"""License registry and model: types, validation, compact disclosure and parsing it back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wallet.errors import InvalidCredential
from wallet.identifiers import normalize_unified_credit_code, parse_license_id
from wallet.license_types import COMMON_FIELDS, PROFILES, REGISTRY, UnknownLicenseType, get_type
from wallet.licenses import (
    LONG_TERM,
    InvalidLicense,
    License,
    fields_for_purpose,
    mask_code,
    parse_disclosed,
    sample_license,
)
from wallet.testing import licenses, profiles

TODAY = dt.date(2026, 1, 31)
HOLDER = "370202198504121230"


@pytest.fixture
def driving() -> License:
    """A realistic driving licence of a Qingdao resident."""
    return sample_license(
        "driving_license", holder_name="王建国", holder_code=HOLDER, serial="2026000001", today=TODAY
    )


def test_registry_has_21_types_with_unique_codes() -> None:
    """The wallet carries 21 license types; codes, numbers and GB/T type codes never collide."""
    types = list(REGISTRY.values())
    assert len(types) == 21
    assert len({t.number for t in types}) == len({t.gb_type_code for t in types}) == 21
    assert {"id_card", "driving_license", "business_license", "marriage_certificate"} <= set(REGISTRY)


@pytest.mark.parametrize("ltype", list(REGISTRY.values()), ids=list(REGISTRY))
def test_every_type_is_well_formed(ltype: Any) -> None:
    """Each type has common fields first, unique keys, Chinese labels and nested profiles."""
    assert ltype.field_names[:5] == COMMON_FIELDS
    assert len({f.key for f in ltype.fields}) == len(ltype.fields)
    assert all(f.label_zh and f.label_en for f in ltype.fields)
    assert normalize_unified_credit_code(ltype.gb_type_code[:18]) == ltype.gb_type_code[:18]
    minimal, standard, full = (set(ltype.profiles[p]) for p in PROFILES)
    assert minimal <= standard
    assert set(ltype.own_field_names) <= full
    assert not any(ltype.field(name).sensitive for name in standard)


def test_get_type_names_the_known_codes() -> None:
    """An unknown code raises an error listing the valid ones."""
    with pytest.raises(UnknownLicenseType, match="driving_license"):
        get_type("drivers_licence")


def test_driving_licence_has_13_fields_in_full(driving: License) -> None:
    """The size budget is set by a 13-field driving licence disclosed in full."""
    assert len(driving.view("full").fields) == 13
    assert driving.fields["license_class"] in {"C1", "C2", "C1E", "B2", "A1", "A2"}


def test_disclose_is_compact(driving: License) -> None:
    """Keys are small integers, dates are RFC 8943 day numbers and enumerations are indexes."""
    claim = driving.disclose("full")
    assert all(isinstance(k, int) and 0 <= k < 24 for k in claim)
    assert claim[0] == 2 and claim[1] == 2
    assert claim[5] == (driving.valid_from - dt.date(1970, 1, 1)).days
    assert claim[11] == (dt.date.fromisoformat(driving.fields["birth_date"]) - dt.date(1970, 1, 1)).days
    assert claim[8] == ("男", "女").index(driving.fields["gender"])
    assert len(cbor2.dumps(claim)) < 170


def test_minimal_profile_hides_the_code(driving: License) -> None:
    """The minimal profile shows name, masked code, type and validity, nothing else."""
    view = parse_disclosed(driving.disclose("minimal"))
    assert view.type_code == "driving_license" and view.profile == "minimal"
    assert view.fields == {
        "holder_name": "王建国",
        "holder_code_masked": "3702**********1230",
        "valid_from": driving.valid_from.isoformat(),
        "valid_until": driving.valid_until.isoformat() if driving.valid_until else LONG_TERM,
    }
    assert view.labels_zh["holder_code_masked"] == "证号"
    assert view.display_zh()[0] == ("证照类型", "机动车驾驶证")


def test_long_term_validity_round_trips() -> None:
    """A license without an end date says 长期 after a round trip."""
    lic = sample_license("household_register", holder_name="李娜", holder_code=HOLDER, serial="7", today=TODAY)
    assert lic.valid_until is None
    assert lic.disclose("minimal")[6] is None
    assert parse_disclosed(lic.disclose("minimal")).fields["valid_until"] == LONG_TERM


def test_custom_disclosure(driving: License) -> None:
    """A chosen field set travels as profile 3 and shows exactly those fields."""
    view = parse_disclosed(driving.disclose(["holder_name", "license_class"]))
    assert view.profile == "custom"
    assert view.fields == {"holder_name": "王建国", "license_class": driving.fields["license_class"]}


@pytest.mark.parametrize(
    ("required", "expected"),
    [
        ((), ("holder_name", "holder_code_masked", "valid_from", "valid_until")),
        (("license_class",), ("holder_name", "holder_code_masked", "valid_from", "valid_until",
                              "license_class")),
        (("holder_code", "points"), ("holder_name", "holder_code", "valid_from", "valid_until", "points")),
    ],
)
def test_fields_for_purpose(required: tuple[str, ...], expected: tuple[str, ...]) -> None:
    """A service item gets the minimal profile plus what it needs, in wire order."""
    assert fields_for_purpose("driving_license", required) == expected


def test_fields_for_purpose_rejects_unknown_fields() -> None:
    """Asking for a field the type does not have is a configuration error."""
    with pytest.raises(InvalidLicense) as info:
        fields_for_purpose("id_card", ["plate_number"])
    assert info.value.reason == "unknown_field"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type_code": "passport"}, "type_code"),
        ({"fields": {"plate_number": "鲁B12345"}}, "unknown_field"),
        ({"fields": {"gender": "未知"}}, "field_value"),
        ({"fields": {"birth_date": "1985/04/12"}}, "field_value"),
        ({"fields": {"address": "x" * 101}}, "field_value"),
        ({"fields": {"license_class": "C1\n"}}, "field_value"),
        ({"holder_code": "370202198504121231"}, "holder_code"),
        ({"holder_name": ""}, "holder_name"),
        ({"issuer_code": "91350100M000100Y43"}, "identifier"),
        ({"identifier": "1.2.156.3005.2.x"}, "identifier"),
        ({"valid_until": dt.date(2000, 1, 1)}, "validity"),
        ({"type_code": "id_card"}, "identifier"),
    ],
)
def test_license_validation(driving: License, change: dict[str, Any], reason: str) -> None:
    """A license that disagrees with its type or its identifier cannot be built."""
    with pytest.raises(InvalidLicense) as info:
        dataclasses.replace(driving, **change)
    assert info.value.reason == reason


def test_unknown_profile_is_rejected(driving: License) -> None:
    """Only minimal, standard and full are named profiles."""
    with pytest.raises(InvalidLicense):
        driving.disclose("everything")


def test_organisation_holder_gets_a_credit_code() -> None:
    """Business licences belong to an organisation; the person becomes its legal representative."""
    lic = sample_license("business_license", holder_name="刘强", holder_code=HOLDER, serial="1", today=TODAY)
    assert normalize_unified_credit_code(lic.holder_code) == lic.holder_code
    assert lic.fields["legal_representative"] == "刘强"
    assert parse_license_id(lic.identifier).issuer_code == lic.issuer_code


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("code", list(REGISTRY))
def test_each_type_and_profile_round_trips(code: str, profile: str) -> None:
    """Every one of the 21 types survives disclose, CBOR and parse in every profile."""
    serial = f"2026{REGISTRY[code].number:06d}"
    lic = sample_license(code, holder_name="陈静", holder_code=HOLDER, serial=serial, today=TODAY)
    view = parse_disclosed(cbor2.loads(cbor2.dumps(lic.disclose(profile))))
    assert view == lic.view(profile)
    assert set(view.fields) <= set(lic.license_type.profiles[profile])
    assert ("holder_code" in view.fields) == (profile == "full")


@settings(max_examples=20)
@given(st.data())
def test_license_strategy_honours_type_codes(data: st.DataObject) -> None:
    """The strategy draws only the requested types, valid on the requested day."""
    lic = data.draw(licenses(type_codes=["vehicle_license", "real_estate_certificate"], today=TODAY))
    assert lic.type_code in {"vehicle_license", "real_estate_certificate"}
    assert lic.valid_from <= TODAY


@settings(max_examples=150)
@given(licenses(), st.one_of(profiles(), st.just("purpose")), st.data())
def test_round_trip_every_type_and_profile(lic: License, profile: str, data: st.DataObject) -> None:
    """Disclose, CBOR-encode, decode and parse gives exactly the expected view for every type."""
    chosen: Any = profile
    if profile == "purpose":
        needed = data.draw(st.sets(st.sampled_from(lic.license_type.field_names)))
        chosen = fields_for_purpose(lic.type_code, needed)
    claim = cbor2.loads(cbor2.dumps(lic.disclose(chosen)))
    assert parse_disclosed(claim) == lic.view(chosen)


@settings(max_examples=100)
@given(licenses(today=TODAY))
def test_sample_licenses_are_valid_today(lic: License) -> None:
    """Samples are valid on the day they were made for."""
    assert lic.valid_from <= TODAY
    assert lic.valid_until is None or lic.valid_until >= TODAY


MALFORMED: list[Any] = [
    [0, 2],
    {},
    {0: 2},
    {0: 99, 1: 0},
    {0: True, 1: 0},
    {0: 2, 1: 7},
    {"0": 2, 1: 0},
    {0: 2, 1: 0, 3: HOLDER},
    {0: 2, 1: 2, 2: 12},
    {0: 2, 1: 2, 2: ""},
    {0: 2, 1: 2, 5: 10**9},
    {0: 2, 1: 2, 5: -(10**9)},
    {0: 2, 1: 2, 5: None},
    {0: 2, 1: 2, 5: 20484.0},
    {0: 2, 1: 2, 5: "20260131"},
    {0: 2, 1: 2, 8: 2},
    {0: 2, 1: 2, 8: True},
    {0: 2, 1: 2, 30: "x"},
]  # a value over its max_length is claim_too_long instead: tests/wallet/test_verifier_rules.py


@pytest.mark.parametrize("obj", MALFORMED)
def test_parse_disclosed_rejects_malformed(obj: Any) -> None:
    """Every structural problem is one InvalidCredential with reason malformed."""
    with pytest.raises(InvalidCredential) as info:
        parse_disclosed(obj)
    assert info.value.reason == "malformed"


@given(st.recursive(st.integers() | st.text() | st.none() | st.booleans(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.integers(-2, 40) | st.text(), inner)))
def test_parse_disclosed_raises_only_invalid_credential(obj: Any) -> None:
    """Arbitrary decoded CBOR either parses or raises the library's one exception."""
    try:
        parse_disclosed(obj)
    except InvalidCredential as exc:
        assert exc.reason == "malformed"


def test_mask_code() -> None:
    """Long codes keep four characters at each end, short ones one."""
    assert mask_code(HOLDER) == "3702**********1230"
    assert mask_code("C12345678") == "C*******8"
    assert mask_code("AB") == "**"


def test_a_standard_claim_signed_before_issue_12_still_parses(driving: License) -> None:
    """The birth date left the standard profile; an older standard claim carrying it still reads, a minimal one not."""
    assert "birth_date" not in driving.view("standard").fields
    birth_key = driving.license_type.field("birth_date").key
    birth = driving.disclose("full")[birth_key]
    older = {**driving.disclose("standard"), birth_key: birth}
    assert parse_disclosed(older).fields["birth_date"] == driving.fields["birth_date"]
    with pytest.raises(InvalidCredential):
        parse_disclosed({**driving.disclose("minimal"), birth_key: birth})
