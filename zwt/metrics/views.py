"""``GET /metrics`` for Prometheus, the guard that keeps it for scrapers, and the per-request counting.

A scraper is let in by the bearer token ``ZWT_METRICS_TOKEN`` (compared in constant time) or by coming from
a network of ``ZWT_METRICS_NETWORKS``. The address checked is ``request.remote_addr``: the one every
throttle and log line uses, which ``ZWT_TRUST_PROXY_HOPS`` (werkzeug's ``ProxyFix``) takes from
``X-Forwarded-For`` behind that many proxies, so a client cannot claim a scrape network by sending the header.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import time
from typing import Any, Callable, TypeVar

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST

from ..config import Config
from ..container import Services, services
from ..errors import Unauthorized, field_error
from ..policy import Policy, declare

__all__ = ["SCRAPER", "bp", "init_request_metrics", "scraper_only"]

F = TypeVar("F", bound=Callable[..., Any])

#: a Prometheus scraper: no role's token passes, only the metrics token or a scrape network
SCRAPER = Policy(frozenset(), "metrics")
#: the url rule of requests that matched none (a 404), so raw paths never become label values
UNMATCHED = "<unmatched>"
#: methods counted by name; any other a client invents is counted as ``other``
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

bp = Blueprint("metrics", __name__)


def _from_scrape_network(cfg: Config, address: str | None) -> bool:
    """Whether the trusted client address lies in one of the configured scrape networks."""
    if not address or not cfg.metrics_networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in cfg.metrics_networks)


def _check_scraper(cfg: Config) -> None:
    """Let a scraper in, or raise 401 naming ``Authorization``: missing, or not the metrics token."""
    header = request.headers.get("Authorization", "")
    if not header and _from_scrape_network(cfg, request.remote_addr):
        return
    scheme, _, token = header.partition(" ")
    if not header:
        raise Unauthorized("unauthorized", errors=[field_error("Authorization", "required")])
    if not (cfg.metrics_token and scheme.lower() == "bearer"
            and hmac.compare_digest(token.strip().encode(), cfg.metrics_token.encode())):
        raise Unauthorized("token_invalid", errors=[field_error("Authorization", "invalid")])


def scraper_only(view: F) -> F:
    """Declare and enforce that only a Prometheus scraper may call the view."""
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_scraper(services().config)
        return view(*args, **kwargs)

    declare(guarded, SCRAPER)
    return guarded  # type: ignore[return-value]


@bp.get("/metrics")
@scraper_only
def metrics() -> Response:
    """Every metric of this node in the Prometheus text format."""
    return Response(services().metrics.render(), mimetype=None, content_type=CONTENT_TYPE_LATEST)


def init_request_metrics(app: Flask, svc: Services) -> None:
    """Count every response by url rule, method and status, time it, and count 429s by problem code."""
    metrics = svc.metrics

    @app.after_request
    def _count(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
        status = str(response.status_code)
        method = request.method if request.method in METHODS else "other"
        started = g.get("started")  # set by the first request hook (zwt.logging_setup)
        elapsed = time.perf_counter() - started if started is not None else 0.0
        metrics.requests.labels(route, method, status).inc()
        metrics.latency.labels(route, method, status).observe(elapsed)
        if response.status_code == 429:
            body = response.get_json(silent=True)
            code = body.get("code") if isinstance(body, dict) else None
            metrics.throttle_hits.labels(route, str(code or "too_many_requests")).inc()
        return response
