"""What a service item needs from a wallet license (免证办): the catalog's words mapped to wallet fields, once.

The catalog declares, on each material, which e-license replaces it and the facts a counter reads from
it, in its own vocabulary (``holder``, ``credit_code``, ``vehicle_class``); see
``services_catalog.items.e_license_requirements``. The wallet names fields its own way. This is the one
place that maps one to the other: presentations, the online verifier, the counter page and applications
ask here, and the two libraries never learn each other's words.

An item's needs are disclosed as declared (profile ``custom``): the re-identification floor of
``wallet.reidentification`` binds the named profiles, not them. An item that reads the birth date, an
authority or the full number does so under its legal basis, reviewed when the item is published, and
the citizen sees the fields before showing the code; a default presentation uses ``standard``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import select

from services_catalog.items import e_license_requirements
from wallet.license_types import REGISTRY
from wallet.licenses import fields_for_purpose

from ..catalog.repository import load_item
from ..db import session
from ..errors import ValidationFailed
from ..models import ServiceItemRow

__all__ = ["CATALOG_TO_WALLET", "ItemNeeds", "wallet_field", "wallet_fields", "needs_of", "items_taking_licenses"]

#: Catalog fact -> wallet field, where the words differ (a fact named like a wallet field maps to itself).
CATALOG_TO_WALLET: Mapping[str, str] = MappingProxyType({
    "holder": "holder_name", "owner": "holder_name", "entity_name": "holder_name", "newborn_name": "holder_name",
    "credit_code": "holder_code", "license_number": "holder_code", "vehicle_class": "license_class",
    "mother": "mother_name", "spouse": "spouse_name", "level": "disability_grade",
})
#: Where one license type names a fact differently again (a birth certificate records the time of birth).
_BY_TYPE: Mapping[str, Mapping[str, str]] = MappingProxyType({"birth_certificate": {"birth_date": "birth_time"}})


def wallet_field(license_type: str, fact: str) -> str:
    """The wallet field of ``license_type`` that shows one catalog fact."""
    return _BY_TYPE.get(license_type, {}).get(fact) or CATALOG_TO_WALLET.get(fact, fact)


def wallet_fields(license_type: str, facts: Iterable[str]) -> tuple[str, ...]:
    """The smallest wallet field set of a license type that shows the catalog's ``facts``.

    A fact the license type does not carry is left out: the counter asks for it on paper, as before.
    """
    known = set(REGISTRY[license_type].field_names)
    wanted = {wallet_field(license_type, fact) for fact in facts}
    return fields_for_purpose(license_type, sorted(wanted & known))


@dataclass(frozen=True)
class ItemNeeds:
    """A published item's wallet needs: per license type it accepts, the smallest field set to disclose."""

    impl_code: str
    by_type: Mapping[str, tuple[str, ...]]

    def fields_for(self, license_type: str) -> tuple[str, ...]:
        """The fields this item needs from a license of this type; 422 when the item does not take that type."""
        found = self.by_type.get(license_type)
        if found is None:
            raise ValidationFailed.field("impl_code", "license_not_required")
        return found


def needs_of(impl_code: str) -> ItemNeeds:
    """The wallet needs of a published item; 422 ``unknown_service_item`` when no published item has the code."""
    row = session().scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code,
                                                        ServiceItemRow.status == "published"))
    if row is None:
        raise ValidationFailed.field("impl_code", "unknown_service_item")
    return _needs_of_row(row)


def _needs_of_row(row: ServiceItemRow) -> ItemNeeds:
    """The wallet needs a stored item declares."""
    declared = e_license_requirements(load_item(row))
    return ItemNeeds(row.impl_code, MappingProxyType({license_type: wallet_fields(license_type, facts)
                                                      for license_type, facts in declared.items()
                                                      if license_type in REGISTRY}))


def items_taking_licenses() -> list[tuple[ServiceItemRow, ItemNeeds]]:
    """Every published item a wallet license stands in for (免证办), with its needs, by name.

    What a counter caches to pick the item it handles: the items' names and fields, not the catalog.
    """
    rows = session().scalars(select(ServiceItemRow).where(ServiceItemRow.status == "published",
                                                          ServiceItemRow.e_license_exempt.is_(True))
                             .order_by(ServiceItemRow.sort_key, ServiceItemRow.impl_code))
    found = [(row, _needs_of_row(row)) for row in rows]
    return [(row, needs) for row, needs in found if needs.by_type]
