"""Platform admins register, list and revoke departments' request-signing keys."""

from __future__ import annotations

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
