"""Platform admins register, list and revoke departments' request-signing keys."""

from __future__ import annotations

import base64

from sqlalchemy import func, select, update

from zwt.models import IssuedLicense, IssuerKey

from .conftest import record
from .signing import DepartmentKey


def _register(world, headers, department="market_regulation", **body):
    key = DepartmentKey(body.pop("key_id", "mr-1"))
    payload = {"key_id": key.key_id, "public_key": key.public_key_b64, "allowed_types": ["business_license"], **body}
    return world.client.post(f"/api/v1/admin/issuers/{department}/keys", json=payload, headers=headers)


def test_register_list_and_revoke(world):
    """A registered key is listed active with its types; revoking it is idempotent."""
    platform = world.staff("platform_admin")
    created = _register(world, platform)
    assert created.status_code == 201, created.json
    assert created.json["state"] == "active" and created.json["alg"] == "ecdsa-p256-sha256"
    listed = world.client.get("/api/v1/admin/issuers/market_regulation/keys", headers=platform).json["items"]
    assert [(k["key_id"], k["allowed_types"]) for k in listed] == [("mr-1", ["business_license"])]
    for _ in range(2):
        revoked = world.client.post("/api/v1/admin/issuers/market_regulation/keys/mr-1/revoke", headers=platform)
        assert revoked.status_code == 200 and revoked.json["state"] == "revoked" and revoked.json["revoked_at"]


def test_registration_refusals(world):
    """Types of another department, an unknown department, a taken key id, a key that is not P-256."""
    platform = world.staff("platform_admin")
    outside = _register(world, platform, allowed_types=["marriage_certificate"])
    assert outside.status_code == 422 and outside.json["errors"][0] == {
        "field": "allowed_types", "code": "type_not_allowed", "message": outside.json["errors"][0]["message"]}
    assert "business_license" in outside.json["department_types"]
    assert _register(world, platform, department="nowhere").status_code == 404
    assert _register(world, platform).status_code == 201
    taken = _register(world, platform)
    assert taken.status_code == 409 and taken.json["errors"][0]["code"] == "taken"
    bad = _register(world, platform, key_id="mr-2", public_key="A" * 60)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "public_key"
    unknown = _register(world, platform, key_id="mr-3", allowed_types=["no_such_type"])
    assert unknown.status_code == 422 and unknown.json["errors"][0]["code"] == "unknown_license_type"


def test_only_platform_admins_manage_keys(world):
    """A department admin and a citizen get 403; nobody signed in gets 401; another department's key id 404."""
    assert _register(world, world.admin("police"), department="police",
                     allowed_types=["id_card"]).status_code == 403
    assert world.client.get("/api/v1/admin/issuers/market_regulation/keys").status_code == 401
    platform = world.staff("platform_admin")
    _register(world, platform)
    assert world.client.post("/api/v1/admin/issuers/civil_affairs/keys/mr-1/revoke",
                             headers=platform).status_code == 404


def _status(response) -> str:
    if response.status_code == 200:
        return "stored" if response.json["stored"] else "unchanged"
    assert response.status_code == 401 and response.json["code"] == "signature_invalid", response.json
    return response.json["errors"][0]["code"]


def test_a_revoked_key_is_refused_on_the_very_next_push(world, civil):
    """The worker keeps parsed keys, but reads the key's state on every push: a revocation holds at once."""
    assert _status(civil.push(record("marriage_certificate", "MC-1"))) == "stored"  # the key is now cached
    revoked = world.client.post(f"/api/v1/admin/issuers/civil_affairs/keys/{civil.key.key_id}/revoke",
                                headers=civil.admin)
    assert revoked.status_code == 200
    assert _status(civil.push(record("marriage_certificate", "MC-2"))) == "key_revoked"
    with world.app.extensions["zwt"].db.sessions() as sess:
        assert sess.scalar(select(func.count()).select_from(IssuedLicense)) == 1


def test_a_key_row_with_other_key_bytes_is_never_verified_with_the_cached_key(world, civil):
    """The cache is keyed on the row and its key's fingerprint: once the row holds another public key, only
    that key's signatures verify."""
    assert _status(civil.push(record("marriage_certificate", "MC-1"))) == "stored"
    replacement = DepartmentKey(civil.key.key_id)
    with world.app.extensions["zwt"].db.sessions() as sess:
        sess.execute(update(IssuerKey).where(IssuerKey.key_id == civil.key.key_id)
                     .values(public_key=base64.b64decode(replacement.public_key_b64)))
        sess.commit()
    assert _status(civil.push(record("marriage_certificate", "MC-2"))) == "bad_signature"
    assert _status(civil.push(record("marriage_certificate", "MC-2"), key=replacement)) == "stored"
