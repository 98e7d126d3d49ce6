"""The home-screen overview over HTTP, on virtual time: partial answers name each source's state."""

from __future__ import annotations

from services_catalog.sandbox import sandbox_departments
from services_catalog.testing import DEMO_CITIZENS


def _overview(app, citizen):
    response = app.test_client().get("/api/v1/me/overview", headers=citizen.headers)
    assert response.status_code == 200, response.json
    return response.json


def test_all_sources_answer(virtual, demo_citizen):
    """With every department up the overview is complete, at the slowest one's latency."""
    app, _ = virtual
    body = _overview(app, demo_citizen)
    assert body["complete"] is True and body["elapsed_ms"] == 300
    assert {code: s["state"] for code, s in body["sources"].items()} == {
        "police": "ok", "hrss": "ok", "housing_fund": "ok"}
    assert body["social_security"] is not None and body["housing_fund"] is not None
    assert {lic["license_type"] for lic in body["licenses"]} >= {"id_card", "social_security_card"}


def test_licenses_show_masked_id_numbers(virtual, demo_citizen):
    """No ID number leaves the overview unmasked."""
    app, _ = virtual
    body = _overview(app, demo_citizen)
    for lic in body["licenses"]:
        assert lic["holder_id_number"] == demo_citizen.id_number[:4] + "*" * 10 + demo_citizen.id_number[-4:]


def test_a_hung_department_times_out_without_blocking_the_others(virtual, demo_citizen):
    """A hang costs that source only: it says ``timeout`` and the rest is served."""
    app, departments = virtual
    departments.scripts["housing_fund"].set(fault="hang")
    body = _overview(app, demo_citizen)
    states = {code: s["state"] for code, s in body["sources"].items()}
    assert states == {"police": "ok", "hrss": "ok", "housing_fund": "timeout"}
    assert body["complete"] is False and body["housing_fund"] is None and body["social_security"] is not None
    assert body["elapsed_ms"] <= 1000


def test_a_failing_department_is_an_error_source(virtual, demo_citizen):
    """A 5xx answer is reported as that source's ``error`` with a reason."""
    app, departments = virtual
    departments.scripts["hrss"].set(fault="5xx")
    body = _overview(app, demo_citizen)
    assert body["sources"]["hrss"]["state"] == "error"
    assert body["sources"]["hrss"]["reason"] == "unavailable"
    assert body["sources"]["police"]["state"] == "ok"


def test_overview_needs_a_citizen(client, auth):
    """Anonymous callers get 401 and staff 403."""
    assert client.get("/api/v1/me/overview").status_code == 401
    admin = auth.staff("platform_admin", "root1")
    assert client.get("/api/v1/me/overview", headers=admin).status_code == 403


def test_the_aggregator_reads_wall_time_from_the_apps_clock(make_app, clock, auth):
    """Without a department clock of its own, data ages follow the clock the app was built with."""
    departments = sandbox_departments()
    app = make_app(departments=departments)
    known = DEMO_CITIZENS[0].citizen
    citizen = auth.register(name=known.name, id_number=known.id_number)
    try:
        assert _overview(app, citizen)["sources"]["hrss"]["state"] == "ok"
        departments.scripts["hrss"].set(fault="5xx")
        clock.advance(120)
        source = _overview(app, citizen)["sources"]["hrss"]
        assert (source["state"], source["age_s"]) == ("stale", 120.0)
    finally:
        departments.close()
