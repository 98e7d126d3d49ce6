"""Department adapters, one module per department system, registered by adapter kind."""

from __future__ import annotations

from typing import Mapping, Protocol

import httpx

from ..ports import DepartmentAdapter
from .credit import CreditPlatformAdapter
from .housing_fund import HousingFundAdapter
from .civil_affairs import CivilAffairsAdapter
from .hrss import HrssAdapter
from .license_feed import LicenseFeedAdapter
from .police import PoliceAdapter

__all__ = ["AdapterFactory", "ADAPTERS", "PoliceAdapter", "HrssAdapter", "HousingFundAdapter", "LicenseFeedAdapter",
           "CreditPlatformAdapter", "CivilAffairsAdapter"]


class AdapterFactory(Protocol):
    """Builds an adapter for a department code talking through an ``httpx.Client`` (base URL already set)."""

    def __call__(
        self, department_code: str, client: httpx.Client, *, page_size: int = 50
    ) -> DepartmentAdapter:
        """Return the adapter."""
        ...


#: adapter kind -> factory; adding a department system is one module plus one entry here and in config
ADAPTERS: Mapping[str, AdapterFactory] = {
    "police": PoliceAdapter,
    "hrss": HrssAdapter,
    "housing_fund": HousingFundAdapter,
    "civil_affairs": CivilAffairsAdapter,
}
