"""Demo templates live outside the production registry, and agree with what the registry declares."""

from __future__ import annotations

import re

from wallet import license_types
from wallet.license_sample_templates import TEMPLATES
from wallet.license_types import FIRST_OWN_KEY, REGISTRY

# How a template gives a district away (the rule FieldSpec.names_district was derived by before issue 13):
# a place or authority written with {district}, or a number carrying a 3702xx registry-office area code.
NAMES_DISTRICT = re.compile(r"\{district\}|3702\{digits:[2-9]")


def test_the_production_registry_holds_no_demo_templates() -> None:
    """FieldSpec has no sample any more; the registry module never mentions a template."""
    assert not [s for t in REGISTRY.values() for s in t.fields if hasattr(s, "sample")]
    source = open(license_types.__file__, encoding="utf-8").read()
    assert "{district}" not in source and "{pick:" not in source


def test_every_text_field_has_a_template_and_every_template_a_text_field() -> None:
    """Dates, enums and values the holder's ID implies are drawn without one; every other field has one."""
    text = {(t.code, s.name) for t in REGISTRY.values() for s in t.fields
            if s.key >= FIRST_OWN_KEY and s.kind == "text"}
    assert set(TEMPLATES) == text


def test_declared_district_and_id_facts_agree_with_the_templates() -> None:
    """The audit's inputs are declared on the field; the demo values must not contradict them."""
    for ltype in REGISTRY.values():
        for spec in ltype.fields:
            sample = TEMPLATES.get((ltype.code, spec.name), "")
            assert spec.names_district == bool(NAMES_DISTRICT.search(sample)), (ltype.code, spec.name)
            assert spec.holds_resident_id == (sample == "{resident_id}"), (ltype.code, spec.name)
