"""The citizen's home screen, aggregated live from the departments with per-source status."""

from __future__ import annotations

from typing import Any

from services_catalog.records import Citizen

from ..container import Services
from ..pii import mask_id_number

__all__ = ["overview_for"]


def overview_for(svc: Services, *, id_number: str, name: str) -> dict[str, Any]:
    """The home screen for one citizen, ID numbers masked for the response."""
    result = svc.catalog.aggregator.overview(Citizen(id_number=id_number, name=name)).to_dict()
    for lic in result["licenses"]:
        lic["holder_id_number"] = mask_id_number(lic.get("holder_id_number") or "")
    return result
