"""Verified-token memo: a token is verified in full once, and nothing that must be checked per request is skipped."""

from __future__ import annotations

import datetime as dt

from zwt.auth.tokens import token_gate
from zwt.auth.verified import VerifiedTokens
from zwt.clock import FixedClock

from .conftest import AuthActions


def test_claims_are_handed_out_until_the_token_expires_on_the_injected_clock():
    """A hit is a copy; at ``exp`` by the clock it was given (PyJWT's bound) the entry is dropped."""
    clock = FixedClock()
    exp = clock.timestamp() + 100
    memo = VerifiedTokens(clock)
    memo.put("tok", {"sub": "u_1", "exp": exp})
    hit = memo.get("tok")
    assert hit == {"sub": "u_1", "exp": exp}
    hit["sub"] = "u_2"
    clock.advance(99.5)
    assert memo.get("tok")["sub"] == "u_1"
    clock.advance(0.5)
    assert memo.get("tok") is None
    assert len(memo) == 0
    assert memo.get("other") is None


def test_leeway_matches_pyjwt():
    """With a leeway, a remembered token stays valid until ``exp + leeway``."""
    clock = FixedClock()
    memo = VerifiedTokens(clock, leeway=30)
    memo.put("tok", {"exp": clock.timestamp() + 100})
    clock.advance(129)
    assert memo.get("tok") is not None
    clock.advance(1)
    assert memo.get("tok") is None


def test_the_oldest_token_is_forgotten_at_capacity():
    """The memo is bounded: the first remembered token goes first."""
    clock = FixedClock()
    exp = clock.timestamp() + 100
    memo = VerifiedTokens(clock, capacity=2)
    for name in ("a", "b", "c"):
        memo.put(name, {"exp": exp})
    assert memo.get("a") is None and memo.get("b") is not None and memo.get("c") is not None
    memo.put("b", {"exp": exp + 100})  # updating a known token evicts nothing
    assert len(memo) == 2 and memo.get("b") is not None


def test_the_app_remembers_a_token_until_it_expires_on_the_injected_clock(make_app):
    """The app's memo runs on the clock ``create_app`` was given: a signed-in token is forgotten at its ``exp``."""
    clock = FixedClock(dt.datetime.now(dt.timezone.utc))  # tokens carry wall-clock times
    app = make_app(clock=clock)
    client = app.test_client()
    signed_up = AuthActions(client, app).register()
    token = signed_up.access_token
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with app.app_context():
        memo = token_gate().verified
    claims = memo.get(token)
    assert claims["sub"] == signed_up.subject
    clock.advance(claims["exp"] - clock.timestamp() - 1)  # ~ the 15 minutes of an access token
    assert memo.get(token) is not None
    clock.advance(1)
    assert memo.get(token) is None


def test_a_remembered_token_is_still_checked_for_revocation_and_tampering(app, client, auth):
    """The memo only saves re-parsing: a revoked token, a disabled account and a tampered copy all get 401."""
    citizen = auth.register()
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    with app.app_context():
        memo = token_gate().verified
    assert memo.get(citizen.access_token) is not None
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200

    header, payload, signature = citizen.access_token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    tampered = client.get("/api/v1/me", headers={"Authorization": f"Bearer {header}.{payload}.{flipped}"})
    assert tampered.status_code == 401 and tampered.json["code"] == "token_invalid"

    from zwt.db import session
    from zwt.models import Account

    with app.app_context():
        account = session().query(Account).filter_by(subject=citizen.subject).one()
        account.status = "disabled"
        session().commit()
    assert client.get("/api/v1/me", headers=citizen.headers).json["code"] == "token_revoked"
    with app.app_context():
        account = session().query(Account).filter_by(subject=citizen.subject).one()
        account.status = "active"
        session().commit()
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=citizen.headers).status_code == 204
    assert client.get("/api/v1/me", headers=citizen.headers).json["code"] == "token_revoked"


def test_a_remembered_refresh_token_is_not_an_access_token(client, auth):
    """Token type is checked on every request, remembered or not: each kind works only where it belongs."""
    citizen = auth.register()
    refresh_headers = {"Authorization": f"Bearer {citizen.refresh_token}"}
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    assert client.post("/api/v1/auth/refresh", headers=citizen.headers).json["code"] == "token_invalid"
    assert client.get("/api/v1/me", headers=refresh_headers).json["code"] == "token_invalid"
