"""Key lifecycle over the CLI and HTTP: publish before signing, verify-only until expiry, then retired."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wallet.issuer import issue
from wallet.verify import verify
from zwt.models import WalletKey
from zwt.wallet_service.bundle import issuing_departments
from zwt.wallet_service.keys import ROOT, KeyOperationError, signer_for
from zwt.wallet_service.licenses import to_wallet_license


def _cli(world, *args):
    """Run ``flask wallet-keys ...`` against the app under test."""
    return world.app.test_cli_runner().invoke(args=["wallet-keys", *args])


def _keys(world, department):
    """The department's keys by state."""
    svc = world.app.extensions["zwt"]
    with svc.db.sessions() as sess:
        return {row.kid: row.state for row in sess.scalars(select(WalletKey)
                                                           .where(WalletKey.department_code == department))}


def test_rotation_keeps_old_presentations_verifying_and_refuses_the_retired_key(world, clock):
    """Rotate: pending is published first, activation waits for the lead time, old credentials keep
    verifying while verify-only, and once retired the old key is ``unknown_key``."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    old_text = world.present(citizen, lic, profile="standard").json["qd1"]
    old_kid = next(iter(_keys(world, "police")))

    rotated = _cli(world, "rotate", "--department", "police")
    assert rotated.exit_code == 0, rotated.output
    states = _keys(world, "police")
    new_kid = next(kid for kid, state in states.items() if state == "pending")
    assert any(key.kid.hex() == new_kid for key in world.bundle().issuers)  # published before it signs
    assert world.present(citizen, lic).json["kid"] == old_kid

    too_early = _cli(world, "activate", "--department", "police")
    assert too_early.exit_code != 0 and "counters need" in too_early.output
    clock.advance(world.app.extensions["zwt"].config.key_publish_lead_seconds)
    assert _cli(world, "activate", "--department", "police").exit_code == 0
    assert _keys(world, "police") == {old_kid: "verify_only", new_kid: "active"}
    fresh = world.present(citizen, lic, profile="standard").json
    assert fresh["kid"] == new_kid

    bundle = world.bundle()
    assert verify(fresh["qd1"], bundle, now=world.now).valid
    # The old key is still in the bundle: its (short-lived, unbound) credential fails only on its own expiry.
    assert verify(old_text, bundle, now=world.now).reason == "expired"

    too_soon = _cli(world, "retire", "--kid", old_kid)
    assert too_soon.exit_code != 0 and "retire it after" in too_soon.output
    clock.advance(world.app.extensions["zwt"].config.presentation_bound_seconds)
    assert _cli(world, "retire", "--kid", old_kid).exit_code == 0
    assert verify(old_text, world.bundle(), now=world.now).reason == "unknown_key"
    assert verify(world.present(citizen, lic).json["qd1"], world.bundle(), now=world.now).valid


def _root_keys(world):
    """The platform root keys by state."""
    svc = world.app.extensions["zwt"]
    with svc.db.sessions() as sess:
        return {row.kid: row.state for row in sess.scalars(select(WalletKey).where(WalletKey.purpose == ROOT))}


def test_root_rotation_is_announced_in_bundles_before_the_new_root_signs(world, clock):
    """A pending root rides in bundles the old root signs; counters that synced then trust the bundles
    the new root signs after activation, and one provisioned with the old root alone is refused."""
    from wallet.errors import InvalidCredential
    from wallet.trust import load_bundle

    citizen = world.citizen(0)
    old_root = world.root_key()
    (old_kid,) = _root_keys(world)
    assert world.bundle().next_root is None
    rotated = _cli(world, "rotate", "--department", "root")
    assert rotated.exit_code == 0, rotated.output
    again = _cli(world, "rotate", "--department", "root")
    assert again.exit_code != 0 and "already has a pending key" in again.output
    announced = world.bundle().next_root  # signed by the old root, which the counter trusts
    assert announced is not None
    clock.advance(world.app.extensions["zwt"].config.key_publish_lead_seconds)
    assert _cli(world, "activate", "--department", "root").exit_code == 0
    new_kid = next(kid for kid, state in _root_keys(world).items() if state == "active")
    assert _root_keys(world) == {old_kid: "verify_only", new_kid: "active"}

    data = world.client.get("/api/v1/verifier/bundle").data
    bundle = load_bundle(data, [old_root, announced], now=world.now)  # a counter that synced in time
    assert bundle.next_root is None
    assert world.root_key().public_numbers() == announced.public_numbers()  # newly provisioned counters
    with pytest.raises(InvalidCredential) as caught:
        load_bundle(data, [old_root], now=world.now)  # a counter that slept through the rotation
    assert caught.value.reason == "trust_bundle_invalid"
    shown = world.present(citizen, world.license_id(citizen, "driving_license")).json["qd1"]
    assert verify(shown, bundle, now=world.now).valid  # issuer keys and status lists carry on


def test_old_presentation_verifies_with_the_bundle_after_rotation(world, clock):
    """A device-bound credential (days) signed by the old key verifies with the post-rotation bundle."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    key, device_id = world.device(citizen)
    bound = world.present(citizen, lic, profile="standard").json
    assert bound["holder_bound"]
    clock.advance(world.app.extensions["zwt"].config.key_publish_lead_seconds)  # one day: still valid
    assert _cli(world, "rotate", "--department", "police").exit_code == 0
    assert _cli(world, "activate", "--department", "police", "--force").exit_code == 0
    from wallet.holder import present

    shown = present(bound["qd1"], key, now=world.now)
    verdict = verify(shown, world.bundle(), now=world.now)
    assert verdict.valid and verdict.kid.hex() == bound["kid"]


def test_a_key_that_stopped_signing_cannot_sign_later(world, clock):
    """A credential a verify-only key signs after its deactivation is ``key_not_valid_at_time``."""
    citizen = world.citizen(0)
    world.present(citizen, world.license_id(citizen, "id_card"))
    svc = world.app.extensions["zwt"]
    with world.app.app_context():
        old = signer_for("police", svc, {})
    assert _cli(world, "rotate", "--department", "police").exit_code == 0
    assert _cli(world, "activate", "--department", "police", "--force").exit_code == 0
    clock.advance(60)
    from services_catalog.sandbox.citizens import DEMO_CITIZENS

    record = next(r for r in DEMO_CITIZENS[0].licenses if r.license_type == "id_card")
    forged = issue(to_wallet_license(record), "minimal", old.private_key, now=world.now,
                   status=("urn:zwt:sl:police", 0), kid=old.kid)
    assert verify(forged, world.bundle(), now=world.now).reason == "key_not_valid_at_time"


def test_housing_fund_key_signing_a_driving_licence_is_refused(world):
    """A department key may sign only its own license types: ``key_not_allowed_for_type``."""
    citizen = world.citizen(0)
    world.present(citizen, world.license_id(citizen, "driving_license"))
    bundle = world.bundle()
    svc = world.app.extensions["zwt"]
    with world.app.app_context():
        housing = signer_for("housing_fund", svc, {})
    from services_catalog.sandbox.citizens import DEMO_CITIZENS

    record = next(r for r in DEMO_CITIZENS[0].licenses if r.license_type == "driving_license")
    forged = issue(to_wallet_license(record), "standard", housing.private_key, now=world.now,
                   status=("urn:zwt:sl:police", 1), kid=housing.kid, validity=300)
    assert verify(forged, bundle, now=world.now).reason == "key_not_allowed_for_type"
    clerk = world.clerk()
    online = world.client.post("/api/v1/verifier/verify", json={"qd1": forged}, headers=clerk)
    assert online.json["valid"] is False and online.json["reason"] == "key_not_allowed_for_type"


def test_private_keys_are_sealed_under_the_key_encryption_key(world, make_app, departments):
    """No private key is stored in plain text, and another KEK cannot open it."""
    world.bundle()
    svc = world.app.extensions["zwt"]
    with world.app.app_context():
        signer = signer_for(ROOT, svc, {})
    from cryptography.hazmat.primitives import serialization

    der = signer.private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption())
    scalar = signer.private_key.private_numbers().private_value.to_bytes(32, "big")
    with svc.db.sessions() as sess:
        blobs = [row.private_key_enc for row in sess.scalars(select(WalletKey))]
    assert len(blobs) == 1 + len(issuing_departments(svc))
    assert all(der not in blob and scalar not in blob for blob in blobs)
    import base64

    other = make_app({"ZWT_KEY_ENCRYPTION_KEY": base64.b64encode(b"k" * 32).decode()}, departments=departments)
    with other.app_context(), pytest.raises(KeyOperationError, match="ZWT_KEY_ENCRYPTION_KEY"):
        signer_for(ROOT, other.extensions["zwt"], {})
    # Over HTTP the misconfiguration is a 503 problem, never a 500.
    response = other.test_client().get("/api/v1/verifier/root-key")
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert response.json["code"] == "signing_key_unavailable"


@pytest.mark.parametrize("args, message", [
    (["rotate", "--department", "nowhere"], "unknown department"),
    (["activate", "--department", "hrss"], "no pending key"),
    (["retire", "--kid", "00" * 8], "no key with kid"),
])
def test_key_commands_explain_what_is_wrong(world, args, message):
    """Key commands refuse impossible operations with a usage error saying why."""
    result = _cli(world, *args)
    assert result.exit_code == 2 and message in result.output


def test_key_list_and_root_export(world, tmp_path):
    """``list`` shows each key's state and ``export-root`` writes the PEM the bundle endpoint trusts."""
    assert _cli(world, "create").exit_code == 0
    listed = _cli(world, "list").output
    assert "root" in listed and "police" in listed and "active" in listed
    out = tmp_path / "root.pem"
    assert _cli(world, "export-root", "--out", str(out)).exit_code == 0
    assert out.read_bytes() == world.client.get("/api/v1/verifier/root-key").data
