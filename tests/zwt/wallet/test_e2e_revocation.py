"""End to end over HTTP: present, verify offline with a synced bundle, revoke, resync, see ``revoked``."""

from __future__ import annotations

from wallet.verify import verify


def test_present_verify_offline_revoke_resync_revoked(world):
    """A driving licence verifies offline until its department revokes it and the counter resyncs."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    made = world.present(citizen, lic, profile="standard")
    assert made.status_code == 201, made.json
    text = made.json["qd1"]
    assert text.startswith("QD1:") and made.json["holder_bound"] is False

    bundle = world.bundle()
    verdict = verify(text, bundle, now=world.now)
    assert verdict.valid and verdict.license_type == "driving_license"

    admin = world.admin("police")
    identifier = verdict.license_id
    changed = world.client.post(f"/api/v1/admin/licenses/{identifier}/status",
                                json={"action": "revoke", "reason": "吊销"}, headers=admin)
    assert changed.status_code == 200, changed.json
    assert changed.json["status"] == "revoked"

    assert verify(text, bundle, now=world.now).valid  # the old bundle does not know yet
    assert verify(text, world.bundle(), now=world.now).reason == "revoked"
    again = world.present(citizen, lic, profile="standard")
    assert again.status_code == 409 and again.json["code"] == "license_revoked"
