"""Reading ``/metrics`` in tests: the scrape token the tests configure and the samples of a scrape."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

__all__ = ["TOKEN", "SCRAPE", "parse", "value"]

TOKEN = "metrics-scrape-token-0123456789abcdef"
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    """Every sample of an exposition text as {(name, sorted labels): value}."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: Samples, name: str, **labels: str) -> float:
    """One sample's value, 0 when the series does not exist yet."""
    return found.get((name, tuple(sorted(labels.items()))), 0.0)
