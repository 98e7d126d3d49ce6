"""``GET /metrics``: the names are there, the values move with the requests, and only a scraper may read it."""

from __future__ import annotations

import pytest

from .metrics_helpers import SCRAPE, TOKEN, parse, value

NAMES = ("zwt_http_requests", "zwt_http_request_duration_seconds", "zwt_department_calls",
         "zwt_department_breaker_state", "zwt_throttle_hits", "zwt_sms_sends", "zwt_trust_bundle_age_seconds",
         "zwt_trust_bundle_bytes", "zwt_status_list_entries")


def samples(client):
    """Scrape with the token and return every sample."""
    response = client.get("/metrics", headers=SCRAPE)
    assert response.status_code == 200, response.get_json(silent=True)
    assert response.content_type.startswith("text/plain")
    return parse(response.get_data(as_text=True))


@pytest.fixture
def app(make_app):
    """The app with a scrape token."""
    return make_app({"ZWT_METRICS_TOKEN": TOKEN})


def test_every_metric_name_is_exported(client):
    """Each documented family is in the text, with its help line."""
    text = client.get("/metrics", headers=SCRAPE).get_data(as_text=True)
    for name in NAMES:
        assert f"# HELP {name}" in text, name


def test_requests_are_counted_by_url_rule_and_status(client):
    """Three searches and two unknown items add 3 and 2 to their rule's series; latency is observed as often;
    an unknown path is counted under ``<unmatched>``, never its raw path."""
    before = samples(client)
    for _ in range(3):
        assert client.get("/api/v1/services?q=shebao").status_code == 200
    for _ in range(2):
        assert client.get("/api/v1/services/no-such-item").status_code == 404
    assert client.get("/secret-probe-path").status_code == 404
    after = samples(client)
    search = {"route": "/api/v1/services", "method": "GET", "status": "200"}
    item = {"route": "/api/v1/services/<impl_code>", "method": "GET", "status": "404"}
    unmatched = {"route": "<unmatched>", "method": "GET", "status": "404"}
    assert value(after, "zwt_http_requests_total", **search) - value(before, "zwt_http_requests_total", **search) == 3
    assert value(after, "zwt_http_requests_total", **item) - value(before, "zwt_http_requests_total", **item) == 2
    assert value(after, "zwt_http_requests_total", **unmatched) == value(before, "zwt_http_requests_total",
                                                                         **unmatched) + 1
    assert value(after, "zwt_http_request_duration_seconds_count", **search) == value(
        after, "zwt_http_requests_total", **search)
    assert "secret-probe-path" not in client.get("/metrics", headers=SCRAPE).get_data(as_text=True)


def test_each_app_counts_only_its_own_requests(make_app):
    """Two apps in one process keep separate registries (no global one): a request to one leaves the other at 0."""
    first, second = make_app({"ZWT_METRICS_TOKEN": TOKEN}), make_app({"ZWT_METRICS_TOKEN": TOKEN})
    first.test_client().get("/healthz")
    healthz = {"route": "/healthz", "method": "GET", "status": "200"}
    assert value(samples(first.test_client()), "zwt_http_requests_total", **healthz) == 1
    assert value(samples(second.test_client()), "zwt_http_requests_total", **healthz) == 0


def test_sms_sends_throttle_hits_and_the_bundle_are_exported(client, auth, app):
    """A sign-up texts a code (``sent``), five wrong passwords then a sixth try are throttled (a 429 counted by
    rule and code), and the bundle the counters would get now has an age and a size."""
    before = samples(client)
    auth.register(phone="13700000077")
    guesser = {"REMOTE_ADDR": "10.9.9.9"}
    answers = [client.post("/api/v1/auth/login", json={"username": "13700000077", "password": "wrong-pass1"},
                           environ_base=guesser).status_code for _ in range(6)]
    assert answers[-1] == 429
    after = samples(client)
    assert value(after, "zwt_sms_sends_total", outcome="sent") > value(before, "zwt_sms_sends_total", outcome="sent")
    assert value(after, "zwt_throttle_hits_total", route="/api/v1/auth/login", code="too_many_attempts") == 1
    assert value(after, "zwt_trust_bundle_bytes") > 0
    assert value(after, "zwt_trust_bundle_age_seconds") >= 0
    assert ("zwt_trust_bundle_age_seconds", ()) in after


def test_a_registered_gauge_is_read_at_each_scrape_and_a_failing_one_is_left_out(app, client):
    """The hook the outbox will use: the callback's current value is exported; one that raises costs only
    its own gauge; a name may be registered once."""
    metrics = app.extensions["zwt"].metrics
    depth = {"value": 3.0}
    metrics.add_gauge("zwt_test_outbox_depth", "test", lambda: [((), depth["value"])])
    metrics.add_gauge("zwt_test_broken", "test", lambda: 1 / 0)  # type: ignore[arg-type, return-value]
    assert value(samples(client), "zwt_test_outbox_depth") == 3.0
    depth["value"] = 5.0
    found = samples(client)
    assert value(found, "zwt_test_outbox_depth") == 5.0
    assert any(name == "zwt_http_requests_total" for name, _ in found)  # the rest of the scrape is there
    assert not any(name == "zwt_test_broken" for name, _ in found)
    with pytest.raises(ValueError, match="zwt_test_outbox_depth"):
        metrics.add_gauge("zwt_test_outbox_depth", "again", lambda: [])


@pytest.mark.parametrize("headers, code", [
    ({}, "unauthorized"),
    ({"Authorization": "Bearer not-the-token"}, "token_invalid"),
    ({"Authorization": f"Basic {TOKEN}"}, "token_invalid"),
])
def test_without_the_token_a_scrape_is_refused(client, headers, code):
    """No token, a wrong one or another scheme: 401 problem+json naming ``Authorization``, nothing exported."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401 and response.content_type == "application/problem+json"
    assert response.json["code"] == code and response.json["errors"][0]["field"] == "Authorization"
    assert "zwt_http_requests" not in response.get_data(as_text=True)


def test_a_citizens_access_token_is_not_a_scrape_token(client, auth):
    """The service's own tokens open nothing here."""
    citizen = auth.register(phone="13700000078")
    assert client.get("/metrics", headers=citizen.headers).status_code == 401


def test_a_scrape_network_needs_no_token(make_app):
    """From a configured network a scrape needs no token; from outside it is refused, token or not configured."""
    app = make_app({"ZWT_METRICS_NETWORKS": "10.20.0.0/16,::1/128"})
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.3.4"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.21.0.1"})
    assert outside.status_code == 401 and outside.json["code"] == "unauthorized"


def test_the_scrape_network_is_judged_on_the_trusted_address(make_app):
    """``X-Forwarded-For`` counts only through the trusted proxy hops: with none a client cannot claim a
    scrape network by sending it; behind one proxy the proxy's forwarded address is the one checked."""
    forwarded_inside = {"X-Forwarded-For": "10.20.3.4"}
    direct = make_app({"ZWT_METRICS_NETWORKS": "10.20.0.0/16"}).test_client()
    assert direct.get("/metrics", headers=forwarded_inside,
                      environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 401
    proxied = make_app({"ZWT_METRICS_NETWORKS": "10.20.0.0/16", "ZWT_TRUST_PROXY_HOPS": "1"}).test_client()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert proxied.get("/metrics", headers=forwarded_inside, environ_base=proxy).status_code == 200
    assert proxied.get("/metrics", headers={"X-Forwarded-For": "192.0.2.7"}, environ_base=proxy).status_code == 401
