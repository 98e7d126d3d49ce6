"""The citizen's home screen, aggregated live from the departments with per-source status."""

from __future__ import annotations

from typing import Any

from services_catalog.records import Citizen

from ..container import Services
from ..masking import mask, mask_fields, mask_serial

__all__ = ["overview_for"]


def overview_for(svc: Services, *, id_number: str, name: str) -> dict[str, Any]:
    """The home screen for one citizen, every personal value masked by the policy (``zwt.masking``).

    The home screen is a summary: the full numbers are on the reveal route, never here, whatever the token.
    """
    result = svc.catalog.aggregator.overview(Citizen(id_number=id_number, name=name)).to_dict()
    for lic in result["licenses"]:
        lic["holder_id_number"] = mask("id_number", lic.get("holder_id_number") or "")
        lic["serial"] = mask_serial(lic.get("serial") or "")
        lic["fields"] = mask_fields(lic.get("fields") or {})
    fund = result.get("housing_fund")
    if isinstance(fund, dict) and isinstance(fund.get("account_number"), str):
        fund["account_number"] = mask("account", fund["account_number"])
    social = result.get("social_security")
    if isinstance(social, dict):
        result["social_security"] = mask_fields(social)
    return result
