"""The service's Prometheus metrics: one ``Metrics`` per app, in a registry of its own or in multiprocess files.

Two modes, chosen by ``create_app`` from prometheus_client's own variable ``PROMETHEUS_MULTIPROC_DIR``
(which the library reads when it is imported, to decide where every value lives):

- **plain** (the variable unset: tests, ``flask`` commands, a single process): every metric is registered
  in a ``CollectorRegistry`` owned by this ``Metrics``, never in prometheus_client's global one, so a test
  process may build as many apps as it likes and each counts only its own requests;
- **multiprocess** (under gunicorn, where ``zwt.gunicorn_conf`` sets the variable to a directory of the run):
  values live in that directory's files, one per worker; the metrics are registered nowhere and a scrape
  merges every worker's files (``MultiProcessCollector``), so whichever worker answers reports the node.

Gauges that are facts about what the service holds (bundle age, status-list sizes, later the outbox depth)
are read when scraped, by callbacks registered with ``add_gauge``; they run in the scraping worker only.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from services_catalog.breaker import BreakerState

__all__ = ["BREAKER_VALUES", "GaugeRead", "Metrics", "multiprocess_dir"]

log = logging.getLogger("zwt.metrics")

#: the value ``zwt_department_breaker_state`` takes for each state (the worst worker's is reported)
BREAKER_VALUES = {BreakerState.CLOSED: 0.0, BreakerState.HALF_OPEN: 1.0, BreakerState.OPEN: 2.0}
#: a scrape-time gauge's reader: (label values, value) pairs, one per series
GaugeRead = Callable[[], Iterable[tuple[tuple[str, ...], float]]]
#: request latency buckets in seconds: the 300 ms target and the 3 s overview deadline fall on edges
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


def multiprocess_dir() -> str | None:
    """The directory prometheus_client keeps multiprocess values in, when this process uses one."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


@dataclass(frozen=True)
class _ScrapeGauge:
    name: str
    documentation: str
    labels: tuple[str, ...]
    read: GaugeRead


class _ScrapeTimeGauges(Collector):
    """Collects the registered scrape-time gauges; one failing reader leaves out its gauge, not the scrape."""

    def __init__(self) -> None:
        self.gauges: list[_ScrapeGauge] = []

    def collect(self) -> Iterator[Metric]:
        for gauge in self.gauges:
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels)
            try:
                for values, value in gauge.read():
                    family.add_metric(list(values), value)
            except Exception as exc:  # noqa: BLE001 - a store down must not hide every other metric
                log.warning("gauge not read: %s", type(exc).__name__, extra={"event": gauge.name})
                continue
            yield family


class Metrics:
    """Every metric the service exports, and the registration hook for gauges read at scrape time."""

    def __init__(self, *, multiprocess_path: str | None = None) -> None:
        """Plain mode with a registry of its own, or multiprocess mode over ``multiprocess_path``."""
        self.multiprocess_path = multiprocess_path
        self.registry = CollectorRegistry()
        own = None if multiprocess_path else self.registry  # multiprocess: values live in files, not here
        self.requests = Counter("zwt_http_requests", "HTTP requests answered, by url rule, method and status",
                                ("route", "method", "status"), registry=own)
        self.latency = Histogram("zwt_http_request_duration_seconds",
                                 "time from the first request hook to the response, by url rule, method and status",
                                 ("route", "method", "status"), buckets=LATENCY_BUCKETS, registry=own)
        self.department_calls = Counter(
            "zwt_department_calls", "department calls by outcome (ok, timeout, error, breaker_open, busy)",
            ("department", "outcome"), registry=own)
        self.breaker = Gauge("zwt_department_breaker_state",
                             "circuit breaker of a department: 0 closed, 1 half-open, 2 open (the worst worker's)",
                             ("department",), multiprocess_mode="livemax", registry=own)
        self.throttle_hits = Counter("zwt_throttle_hits", "429 answers, by url rule and problem code",
                                     ("route", "code"), registry=own)
        self.sms_sends = Counter("zwt_sms_sends", "texts handed to the SMS gateway, by outcome (sent, failed)",
                                 ("outcome",), registry=own)
        self._scrape_time = _ScrapeTimeGauges()
        if not multiprocess_path:
            self.registry.register(self._scrape_time)

    def add_gauge(self, name: str, documentation: str, read: GaugeRead, labels: tuple[str, ...] = ()) -> None:
        """Export a gauge whose series ``read`` computes at each scrape (in the scraping worker, in an app
        context): how subsystems publish what they hold without a metric of their own to keep up to date."""
        if any(gauge.name == name for gauge in self._scrape_time.gauges):
            raise ValueError(f"gauge {name} is registered already")
        self._scrape_time.gauges.append(_ScrapeGauge(name, documentation, labels, read))

    def department_call(self, department: str, outcome: str) -> None:
        """Count one department call (``services_catalog.observer.DepartmentObserver``)."""
        self.department_calls.labels(department, outcome).inc()

    def breaker_state(self, department: str, state: BreakerState) -> None:
        """Record a breaker's new state (``services_catalog.observer.DepartmentObserver``)."""
        self.breaker.labels(department).set(BREAKER_VALUES[state])

    def render(self) -> bytes:
        """The exposition text of every metric: this registry's, or every worker's files merged."""
        if not self.multiprocess_path:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged, path=self.multiprocess_path)
        merged.register(self._scrape_time)
        return generate_latest(merged)
