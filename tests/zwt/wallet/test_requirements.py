"""What an item needs from a license: the catalog's facts mapped to wallet fields in one place (免证办)."""

from __future__ import annotations

import pytest

from services_catalog.demo_enrich import LICENSE_RULES
from services_catalog.examples import example_item
from services_catalog.items import e_license_requirements
from wallet.license_types import REGISTRY
from zwt.errors import ValidationFailed
from zwt.wallet_service.requirements import CATALOG_TO_WALLET, needs_of, wallet_field, wallet_fields


def test_every_mapped_fact_names_a_wallet_field():
    """Each catalog word the map knows lands on a field some wallet license type really has."""
    known = {name for ltype in REGISTRY.values() for name in ltype.field_names}
    assert set(CATALOG_TO_WALLET.values()) <= known


@pytest.mark.parametrize("license_type, facts", [
    *((rule.e_license_type, rule.fields) for rule in LICENSE_RULES),
    *e_license_requirements(example_item()).items(),
])
def test_every_fact_the_demo_catalog_asks_for_is_disclosed(license_type, facts):
    """No fact the demo catalog or the example item needs is silently dropped: each becomes a disclosed field."""
    fields = wallet_fields(license_type, facts)
    assert {wallet_field(license_type, fact) for fact in facts} <= set(fields)


def test_wallet_fields_are_the_smallest_set_that_shows_the_facts():
    """The facts plus the minimal profile; a full number replaces the masked one."""
    fields = wallet_fields("driving_license", ("holder", "license_number", "vehicle_class"))
    assert fields == ("holder_name", "holder_code", "valid_from", "valid_until", "license_class")


def test_needs_of_a_published_item_per_license_type(world):
    """A published item's needs are keyed by wallet license type; a type it does not take is a 422."""
    item = world.service_item(required=("holder", "vehicle_class"))
    with world.app.app_context():
        needs = needs_of(item)
        assert needs.fields_for("driving_license") == ("holder_name", "holder_code_masked", "valid_from",
                                                       "valid_until", "license_class")
        with pytest.raises(ValidationFailed) as refused:
            needs.fields_for("id_card")
        assert refused.value.errors[0]["code"] == "license_not_required"
        with pytest.raises(ValidationFailed) as unknown:
            needs_of("NO-SUCH-ITEM")
        assert unknown.value.errors[0]["code"] == "unknown_service_item"
