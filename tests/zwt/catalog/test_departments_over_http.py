"""The config switch: ZWT_DEPARTMENTS points the adapters at department systems over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from zwt.catalog.sync import sync_all
from zwt.db import session

from ..catalog_admin_helpers import register_departments
from ..live_nodes import free_port as _free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def police_url():
    """The police sandbox served by gunicorn as a separate process."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                             "services_catalog.sandbox:police_app()"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_sync_and_overview_against_a_department_over_http(make_app, auth, police_url):
    """With ZWT_DEPARTMENTS set, sync and the overview talk to the department's own HTTP API."""
    app = make_app({"ZWT_DEPARTMENTS": f"police=police@{police_url}"})
    register_departments(app)
    departments = app.extensions["zwt"].departments
    assert list(departments) == ["police"]
    with app.app_context():
        report = sync_all(session(), departments, now=app.extensions["zwt"].clock.now(), timeout=5.0)[0]
    assert report.error is None and report.created > 500
    from services_catalog.testing import DEMO_CITIZENS

    known = DEMO_CITIZENS[0].citizen
    citizen = auth.register(name=known.name, id_number=known.id_number)
    body = app.test_client().get("/api/v1/me/overview", headers=citizen.headers).json
    assert body["sources"] == {"police": body["sources"]["police"]} and body["sources"]["police"]["state"] == "ok"
    assert {lic["license_type"] for lic in body["licenses"]} >= {"id_card", "driving_license"}
