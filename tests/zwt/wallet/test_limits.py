"""Per-account limits over HTTP: presentations, nonces and device changes answer 429 with Retry-After.

Issue 12, finding 8: 150 presentations in 1.8 s, and nonces and device changes without end, all went through.
"""

from __future__ import annotations

import pytest

from zwt.config import Config

LIMITS = {"ZWT_PRESENTATIONS_PER_MINUTE": "3", "ZWT_PRESENTATIONS_PER_DAY": "5", "ZWT_NONCES_PER_MINUTE": "4",
          "ZWT_DEVICE_CHANGES_PER_DAY": "3"}


@pytest.fixture
def app(make_app, departments):
    """The app with small limits, so a test reaches them in a few requests."""
    return make_app(extra=LIMITS, departments=departments)


def _throttled(response, code: str) -> int:
    """Assert a 429 problem with ``code`` and a Retry-After; return the wait it names."""
    assert response.status_code == 429, response.json
    assert response.json["code"] == code and response.mimetype == "application/problem+json"
    wait = int(response.headers["Retry-After"])
    assert wait >= 1 and str(wait) in response.json["detail"]
    return wait


def test_presentations_per_minute_and_per_day(world):
    """Three a minute, five a day per account; another account keeps its own budget; the window resets."""
    alice, bob = world.citizen(0), world.citizen(1)
    license_id = world.license_id(alice, "driving_license")
    for _ in range(3):
        assert world.present(alice, license_id, profile="standard").status_code == 201
    refused = world.present(alice, license_id, profile="standard")
    assert 1 <= _throttled(refused, "too_many_presentations") <= 60
    assert "出示" in refused.json["title"]
    english = world.client.post(f"/api/v1/me/licenses/{license_id}/presentations", json={"profile": "standard"},
                                headers={**alice.headers, "Accept-Language": "en"})
    assert english.json["title"] == "Too many presentations"
    assert world.present(bob, world.license_id(bob, "id_card")).status_code == 201  # not Alice's budget

    world.clock.advance(61)
    assert world.present(alice, license_id, profile="standard").status_code == 201
    assert world.present(alice, license_id, profile="standard").status_code == 201
    daily = world.present(alice, license_id, profile="standard")  # the 6th today (the refused ones counted too)
    assert _throttled(daily, "too_many_presentations") > 60
    world.clock.advance(86400)
    assert world.present(alice, license_id, profile="standard").status_code == 201


def test_nonces_per_minute_for_citizens_and_clerks(world):
    """The shared nonce route counts per account, for citizens and clerks alike."""
    citizen, clerk = world.citizen(0), world.clerk()
    for headers in (citizen.headers, clerk):
        for _ in range(4):
            assert world.client.post("/api/v1/nonces", headers=headers).status_code == 201
        _throttled(world.client.post("/api/v1/nonces", headers=headers), "too_many_nonces")
    world.clock.advance(60)
    assert world.client.post("/api/v1/nonces", headers=citizen.headers).status_code == 201


def test_device_registrations_and_removals_share_a_daily_budget(world):
    """Add, remove, add: the fourth change of the day is refused; the wallet lock never is."""
    citizen = world.citizen(0)
    _, first = world.device(citizen, "phone 1")
    assert world.client.delete(f"/api/v1/me/devices/{first}", headers=citizen.headers).status_code == 204
    _, second = world.device(citizen, "phone 2")
    removal = world.client.delete(f"/api/v1/me/devices/{second}", headers=citizen.headers)
    assert _throttled(removal, "too_many_device_changes") > 3600
    assert removal.headers["Content-Type"].startswith("application/problem+json")
    assert [d["id"] for d in world.client.get("/api/v1/me/devices", headers=citizen.headers).json["items"]] == [second]

    locked = world.client.post("/api/v1/me/wallet/lock", headers=citizen.headers)
    assert locked.status_code == 200 and locked.json["devices_removed"] == 1


def test_defaults_fit_a_person_at_a_counter():
    """The documented defaults: a citizen showing a code a few times a minute never meets them."""
    cfg = Config.from_env({})
    assert cfg.presentations_per_minute >= 10 and cfg.presentations_per_day >= 200
    assert cfg.nonces_per_minute >= 5 and cfg.device_changes_per_day >= 2 * cfg.max_devices


def test_a_zero_presentation_limit_is_no_limit(world, make_app, departments):
    """``0`` turns a presentation window off (the benchmark's one account presents thousands of times)."""
    app = make_app({"ZWT_PRESENTATIONS_PER_MINUTE": "0", "ZWT_PRESENTATIONS_PER_DAY": "0"},
                   departments=departments)
    world.app, world.client = app, app.test_client()
    world.auth.client, world.auth.app = world.client, app
    citizen = world.citizen(0)
    license_id = world.license_id(citizen, "id_card")
    assert all(world.present(citizen, license_id).status_code == 201 for _ in range(25))
