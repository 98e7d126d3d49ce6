"""Form data against an item's form fields: types, required, options, pattern, unknown fields named."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from applications import FormInvalid, check_form


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()
    pattern: str = ""


FIELDS = (Field("address", required=True), Field("since", "date", True), Field("reason", "choice", True,
          ("work", "study", "family")), Field("postcode", pattern=r"[0-9]{6}"), Field("children", "number"),
          Field("renting", "boolean"))


def test_good_form_is_accepted_without_empty_optional_fields():
    """Values of the right shape pass; empty optional fields are dropped."""
    data = {"address": "崂山区", "since": "2026-01-05", "reason": "work", "postcode": "", "renting": True}
    assert check_form(FIELDS, data) == {"address": "崂山区", "since": "2026-01-05", "reason": "work", "renting": True}


def test_every_bad_field_is_named():
    """Missing, wrongly typed, off-list, off-pattern and unknown fields are all reported at once."""
    data = {"since": "2026-02-30", "reason": "fun", "postcode": "12ab56", "children": True, "pets": 2}
    with pytest.raises(FormInvalid) as caught:
        check_form(FIELDS, data)
    assert {p.field: p.code for p in caught.value.problems} == {
        "form.pets": "unknown_field", "form.address": "required", "form.since": "invalid", "form.reason": "invalid",
        "form.postcode": "invalid", "form.children": "invalid"}


def test_correction_checks_only_the_fields_given():
    """A partial form (a correction) need not repeat required fields."""
    assert check_form(FIELDS, {"postcode": "266000"}, partial=True) == {"postcode": "266000"}
