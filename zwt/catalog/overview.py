"""The citizen's home screen, aggregated live from the departments with per-source status."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
from typing import Any

from services_catalog.aggregator import Aggregator
from services_catalog.cache import CachePolicy, MemoryStore, ResultCache
from services_catalog.clock import SystemClock
from services_catalog.records import Citizen

from ..container import Services
from ..pii import mask_id_number

__all__ = ["aggregator_for", "overview_for", "RedisCacheStore"]


class RedisCacheStore:
    """The aggregation cache in Redis, shared by every node (keys are keyed hashes, never ID numbers)."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client, self.prefix = client, prefix

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None."""
        value = self.client.get(self.prefix + key)
        return bytes(value) if value is not None else None

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Store with an expiry."""
        self.client.set(self.prefix + key, value, px=max(1, int(ttl_s * 1000)))


def aggregator_for(svc: Services) -> Aggregator:
    """The app's aggregator, built once from its departments, clock and cache store."""
    found = svc.extras.get("aggregator")
    if isinstance(found, Aggregator):
        return found
    clock = svc.extras.get("catalog_clock") or SystemClock()
    executor = svc.extras.get("catalog_executor") or cf.ThreadPoolExecutor(max_workers=16,
                                                                           thread_name_prefix="departments")
    store = (RedisCacheStore(svc.redis, svc.config.redis_prefix + "agg:") if svc.redis is not None
             else MemoryStore(clock))
    key_secret = hashlib.sha256(b"zwt-aggregation-cache|" + svc.config.secret_key.encode()).digest()
    assert svc.departments is not None
    built = Aggregator(svc.departments, clock=clock, executor=executor,
                       deadline_s=svc.config.overview_deadline_s,
                       per_source_timeout_s=svc.config.department_timeout_s,
                       cache=ResultCache(store, clock=clock, policy=CachePolicy(), key_secret=key_secret))
    svc.extras["aggregator"] = built
    return built


def overview_for(svc: Services, *, id_number: str, name: str) -> dict[str, Any]:
    """The home screen for one citizen, ID numbers masked for the response."""
    result = aggregator_for(svc).overview(Citizen(id_number=id_number, name=name)).to_dict()
    for lic in result["licenses"]:
        lic["holder_id_number"] = mask_id_number(lic.get("holder_id_number") or "")
    return result
