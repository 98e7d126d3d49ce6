"""Login throttling holds per account and per address, across workers, and ends with its window."""

from __future__ import annotations


def _fail(client, username, times, addr="10.1.1.1"):
    for _ in range(times):
        response = client.post("/api/v1/auth/login", json={"username": username, "password": "wrong123"},
                               environ_base={"REMOTE_ADDR": addr})
    return response


def test_account_is_throttled_after_repeated_failures(client, auth):
    """The sixth failure in the window is a 429 with Retry-After, even with the right password."""
    citizen = auth.register()
    assert _fail(client, citizen.phone, 5).status_code == 401
    blocked = client.post("/api/v1/auth/login", json={"username": citizen.phone, "password": citizen.password})
    assert blocked.status_code == 429
    assert blocked.json["code"] == "too_many_attempts"
    assert 0 < int(blocked.headers["Retry-After"]) <= 900


def test_throttle_ends_when_the_window_passes(client, auth, clock):
    """After the window (injected clock, no sleeping) the account may try again."""
    citizen = auth.register()
    _fail(client, citizen.phone, 5)
    clock.advance(901)
    assert auth.login(citizen.phone, citizen.password).status_code == 200


def test_success_resets_the_account_counter(client, auth):
    """A successful login clears earlier failures of that account."""
    citizen = auth.register()
    _fail(client, citizen.phone, 4)
    assert auth.login(citizen.phone, citizen.password).status_code == 200
    assert _fail(client, citizen.phone, 4).status_code == 401


def test_address_is_throttled_across_accounts(make_app):
    """One address guessing many accounts is throttled at the address limit."""
    client = make_app({"ZWT_LOGIN_MAX_FAILURES_ADDRESS": "3"}).test_client()
    for n in range(3):
        assert _fail(client, f"1300000000{n}", 1).status_code == 401
    assert _fail(client, "13000000009", 1).status_code == 429
    assert _fail(client, "13000000009", 1, addr="10.9.9.9").status_code == 401


def test_throttle_holds_across_workers(make_app, auth):
    """Failures counted by one worker count for another sharing the store."""
    citizen = auth.register()
    worker_a, worker_b = auth.client, make_app().test_client()
    _fail(worker_a, citizen.phone, 3)
    _fail(worker_b, citizen.phone, 2)
    assert worker_a.post("/api/v1/auth/login", json={"username": citizen.phone, "password": citizen.password}
                         ).status_code == 429
