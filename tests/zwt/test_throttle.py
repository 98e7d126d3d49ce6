"""Login throttling stops guessing without locking the owner out (issue 11, finding 3).

Failures count per (account, address), per address, and per account with a growing wait; addresses that
signed in to the account before are exempt. Time is the injected clock: no sleeping.
"""

from __future__ import annotations

ATTACKER = "10.1.1.1"


def _fail(client, username, times, addr=ATTACKER):
    for _ in range(times):
        response = client.post("/api/v1/auth/login", json={"username": username, "password": "wrong123"},
                               environ_base={"REMOTE_ADDR": addr})
    return response


def _login(client, citizen, addr, username=None):
    return client.post("/api/v1/auth/login", json={"username": username or citizen.phone,
                                                   "password": citizen.password},
                       environ_base={"REMOTE_ADDR": addr})


def test_the_guessing_address_is_throttled_with_retry_after(client, auth):
    """The sixth try from the guessing address is a 429 with Retry-After, even with the right password."""
    citizen = auth.register()
    assert _fail(client, citizen.phone, 5).status_code == 401
    blocked = _login(client, citizen, ATTACKER)
    assert blocked.status_code == 429
    assert blocked.json["code"] == "too_many_attempts"
    assert 0 < int(blocked.headers["Retry-After"]) <= 900


def test_the_owner_is_not_locked_out_by_someone_elses_failures(client, auth):
    """Finding 3: five wrong passwords elsewhere do not stop the owner, at a known address or a new one."""
    citizen = auth.register()  # signed up from 127.0.0.1: a known address now
    _fail(client, citizen.phone, 5)
    assert _login(client, citizen, "127.0.0.1").status_code == 200
    assert _login(client, citizen, "10.2.2.2").status_code == 200


def test_phone_and_id_number_share_one_budget(client, auth):
    """Finding 3: the budget belongs to the account, not to the identifier typed."""
    citizen = auth.register()
    _fail(client, citizen.phone, 3)
    _fail(client, citizen.id_number, 2)
    assert _login(client, citizen, ATTACKER, username=citizen.id_number).status_code == 429


def test_the_throttle_ends_when_the_window_passes(client, auth, clock):
    """After the window (injected clock) the address may try again."""
    citizen = auth.register()
    _fail(client, citizen.phone, 5)
    clock.advance(901)
    assert _login(client, citizen, ATTACKER).status_code == 200


def test_a_success_clears_that_addresss_failures(client, auth):
    """A successful login from an address clears that pair's failures (and makes the address known)."""
    citizen = auth.register()
    _fail(client, citizen.phone, 4)
    assert _login(client, citizen, ATTACKER).status_code == 200
    assert _fail(client, citizen.phone, 6).status_code == 401  # known now: exempt


def test_many_addresses_meet_a_growing_per_account_wait(make_app, auth, clock):
    """Guessing from many addresses: after the threshold each try waits, and the wait doubles."""
    app = make_app({"ZWT_LOGIN_DELAY_AFTER_FAILURES": "3", "ZWT_LOGIN_DELAY_BASE_SECONDS": "10"})
    client = app.test_client()
    auth.client, auth.app = client, app
    citizen = auth.register()
    for n in range(3):
        assert _fail(client, citizen.phone, 1, addr=f"10.0.0.{n}").status_code == 401
    waiting = _fail(client, citizen.phone, 1, addr="10.0.0.9")
    assert waiting.status_code == 429 and int(waiting.headers["Retry-After"]) == 10
    clock.advance(11)
    assert _fail(client, citizen.phone, 1, addr="10.0.0.10").status_code == 401
    assert int(_fail(client, citizen.phone, 1, addr="10.0.0.11").headers["Retry-After"]) == 20
    assert _login(client, citizen, "127.0.0.1").status_code == 200  # the owner's own address never waits


def test_an_address_is_throttled_across_accounts(make_app):
    """One address guessing many accounts is throttled at the address limit; another address is not."""
    client = make_app({"ZWT_LOGIN_MAX_FAILURES_ADDRESS": "3"}).test_client()
    for n in range(3):
        assert _fail(client, f"1300000000{n}", 1).status_code == 401
    assert _fail(client, "13000000009", 1).status_code == 429
    assert _fail(client, "13000000009", 1, addr="10.9.9.9").status_code == 401


def test_the_throttle_holds_across_workers(make_app, auth):
    """Failures counted by one worker count for another sharing the store."""
    citizen = auth.register()
    worker_a, worker_b = auth.client, make_app().test_client()
    _fail(worker_a, citizen.phone, 3)
    _fail(worker_b, citizen.phone, 2)
    assert _login(worker_a, citizen, ATTACKER).status_code == 429
