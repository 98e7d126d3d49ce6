"""The overview's department calls in the metrics: outcomes and breaker states by department, nothing personal."""

from __future__ import annotations

from ..metrics_helpers import parse, value


def test_department_outcomes_and_breaker_states_are_counted(virtual, demo_citizen):
    """With hrss failing (5xx) and the housing fund hung, each overview counts police ok, hrss error and the
    fund timeout; five failures open hrss's breaker (state 2) and the next call is counted ``breaker_open``."""
    app, departments = virtual
    citizen, client = demo_citizen, app.test_client()
    samples = app.extensions["zwt"].metrics.render
    assert value(parse(samples().decode()), "zwt_department_breaker_state", department="hrss") == 0
    departments.scripts["hrss"].set(fault="5xx")
    departments.scripts["housing_fund"].set(fault="hang")
    before = parse(samples().decode())
    assert client.get("/api/v1/me/overview", headers=citizen.headers).status_code == 200
    after = parse(samples().decode())

    def moved(department: str, outcome: str) -> float:
        return (value(after, "zwt_department_calls_total", department=department, outcome=outcome)
                - value(before, "zwt_department_calls_total", department=department, outcome=outcome))

    assert (moved("police", "ok"), moved("hrss", "error"), moved("housing_fund", "timeout")) == (1, 1, 1)
    for _ in range(5):
        client.get("/api/v1/me/overview", headers=citizen.headers)
    found = parse(samples().decode())
    assert value(found, "zwt_department_breaker_state", department="hrss") == 2
    assert value(found, "zwt_department_calls_total", department="hrss", outcome="breaker_open") >= 1
    assert value(found, "zwt_department_breaker_state", department="police") == 0


def test_a_scrape_carries_no_personal_value(virtual, demo_citizen):
    """After a sign-up, an overview and a failed login naming the phone, the labels hold url rules and
    codes only: no ID number and no phone (the privacy scan's own detectors)."""
    from ..wallet.test_privacy_scan import full_id_numbers, phones

    app, _ = virtual
    client = app.test_client()
    client.get("/api/v1/me/overview", headers=demo_citizen.headers)
    client.post("/api/v1/auth/login", json={"username": demo_citizen.phone, "password": "wrong-pass1"})
    client.get(f"/api/v1/services/{demo_citizen.id_number}")
    text = app.extensions["zwt"].metrics.render().decode()
    assert "zwt_department_calls_total" in text
    assert full_id_numbers(text) == set() and phones(text) == set()
