"""Verified-token memo: a token is verified in full once, and nothing that must be checked per request is skipped."""

from __future__ import annotations

from zwt.auth.verified import MemoJWTManager, VerifiedTokens


def test_claims_are_handed_out_until_the_token_expires():
    """A hit is a copy; at ``exp`` (PyJWT's bound) the entry is dropped and the full check runs again."""
    memo = VerifiedTokens()
    memo.put("tok", {"sub": "u_1", "exp": 100, "nbf": 10})
    hit = memo.get("tok", 99.5)
    assert hit == {"sub": "u_1", "exp": 100, "nbf": 10}
    hit["sub"] = "u_2"
    assert memo.get("tok", 99.5)["sub"] == "u_1"
    assert memo.get("tok", 5) is None  # not yet valid: no hit, but kept
    assert len(memo) == 1
    assert memo.get("tok", 100) is None
    assert len(memo) == 0
    assert memo.get("other", 50) is None


def test_leeway_matches_pyjwt():
    """With a leeway, a token stays valid until ``exp + leeway`` and is valid from ``nbf - leeway``."""
    memo = VerifiedTokens(leeway=30)
    memo.put("tok", {"exp": 100, "nbf": 50})
    assert memo.get("tok", 20) is not None and memo.get("tok", 129) is not None
    assert memo.get("tok", 19) is None
    assert memo.get("tok", 130) is None


def test_the_oldest_token_is_forgotten_at_capacity():
    """The memo is bounded: the first remembered token goes first."""
    memo = VerifiedTokens(capacity=2)
    for name in ("a", "b", "c"):
        memo.put(name, {"exp": 100})
    assert memo.get("a", 1) is None and memo.get("b", 1) is not None and memo.get("c", 1) is not None
    memo.put("b", {"exp": 200})  # updating a known token evicts nothing
    assert len(memo) == 2 and memo.get("b", 150) is not None


def test_a_remembered_token_is_still_checked_for_revocation_and_tampering(app, client, auth):
    """The memo only saves re-parsing: a revoked token, a disabled account and a tampered copy all get 401."""
    manager = app.extensions["flask-jwt-extended"]
    assert isinstance(manager, MemoJWTManager)
    citizen = auth.register()
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    assert len(manager.verified) >= 1

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
