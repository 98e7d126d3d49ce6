"""What the wallet exports at each scrape: the trust bundle's age and size, and each status list's size.

Read from the bundle this worker serves counters (``bundle.current_bundle``: its cache, rebuilt only when the
wallet generation or the refresh period moved), so a scrape sees exactly what a counter syncing now would get.
"""

from __future__ import annotations

from typing import Iterator

from ..container import Services
from .bundle import current_bundle

__all__ = ["register_gauges"]


def register_gauges(svc: Services) -> None:
    """Add the wallet's scrape-time gauges to the app's metrics."""
    def bundle_age() -> Iterator[tuple[tuple[str, ...], float]]:
        yield (), max(svc.clock.timestamp() - current_bundle(svc, svc.wallet).iat, 0.0)

    def bundle_bytes() -> Iterator[tuple[tuple[str, ...], float]]:
        yield (), float(len(current_bundle(svc, svc.wallet).data))

    def status_list_entries() -> Iterator[tuple[tuple[str, ...], float]]:
        for uri, token in sorted(current_bundle(svc, svc.wallet).bundle.status_lists.items()):
            yield (uri,), float(token.status_list.size)

    svc.metrics.add_gauge("zwt_trust_bundle_age_seconds", "seconds since the served trust bundle was signed "
                          "(its iat; re-signed every ZWT_BUNDLE_REFRESH_SECONDS)", bundle_age)
    svc.metrics.add_gauge("zwt_trust_bundle_bytes", "size of the served trust bundle in bytes", bundle_bytes)
    svc.metrics.add_gauge("zwt_status_list_entries", "entries of each status list in the served trust bundle",
                          status_list_entries, labels=("list",))
