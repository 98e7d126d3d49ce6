"""Devices: server nonces, proof of possession of a P-256 key, citizens' phones and the wallet lock.

A device proves it holds its private key by signing ``"zwt-device-binding|" + nonce + "|" + subject``
(ES256, raw r||s, base64) with it; the nonce is single-use, short-lived and bound to the account.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, select, update

from wallet import cose
from wallet.errors import InvalidCredential
from wallet.keys import kid_of, public_key_from_spki, spki_der

from ..audit import access_denied
from ..auth.notify import notify
from ..auth.sessions import end_sessions
from ..container import Services
from ..db import session
from ..errors import Conflict, NotFound, ValidationFailed
from ..models import Account, DeviceCredential, WalletDevice, WalletLicense, WalletLock
from . import access_log, limits
from .keys import bump_wallet_generation
from .schemas import plausible_id

__all__ = ["NONCE_TTL", "binding_message", "issue_nonce", "decode_b64", "load_device_key", "check_possession",
           "register_device", "devices_of", "revoke_device_credentials", "remove_device", "lock_wallet", "device_view"]

NONCE_TTL = 300


def binding_message(nonce: str, subject: str) -> bytes:
    """The bytes a device signs to prove possession of its key for this account."""
    return f"zwt-device-binding|{nonce}|{subject}".encode()


def issue_nonce(account: Account, *, svc: Services) -> dict[str, Any]:
    """A fresh single-use nonce bound to the account, valid for a few minutes (per-account limit)."""
    limits.spend("nonce", account, svc=svc)
    nonce = secrets.token_urlsafe(24)
    now = svc.clock.timestamp()
    svc.shared.add(f"nonce:{account.subject}:{nonce}", ttl=NONCE_TTL, now=now)
    return {"nonce": nonce, "expires_in": NONCE_TTL}


def decode_b64(value: str, field: str) -> bytes:
    """Decode standard or URL-safe base64, or 422 naming ``field``."""
    try:
        return base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed.field(field, "format") from None


def load_device_key(encoded: str) -> ec.EllipticCurvePublicKey:
    """Load a base64 SPKI DER public key that must be P-256, or 422 naming ``public_key``."""
    try:
        key = public_key_from_spki(decode_b64(encoded, "public_key"))
    except InvalidCredential:
        raise ValidationFailed.field("public_key", "format") from None
    if not (isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)):
        raise ValidationFailed.field("public_key", "not_p256")
    return key


def check_possession(account: Account, key: ec.EllipticCurvePublicKey, nonce: str, signature: str, *,
                     svc: Services) -> None:
    """Consume the nonce and check the device signed it; 422 naming the field that failed."""
    now = svc.clock.timestamp()
    if not svc.shared.any_live([f"nonce:{account.subject}:{nonce}"], now=now):
        raise ValidationFailed.field("nonce", "unknown_nonce")
    if not svc.shared.add(f"nonce-used:{account.subject}:{nonce}", ttl=NONCE_TTL, now=now):
        raise ValidationFailed.field("nonce", "unknown_nonce")
    try:
        cose.verify_raw(cose.ALG_ES256, key, binding_message(nonce, account.subject),
                        decode_b64(signature, "signature"))
    except InvalidCredential:
        raise ValidationFailed.field("signature", "bad_signature") from None


def register_device(account: Account, data: dict[str, Any], *, svc: Services) -> WalletDevice:
    """Register the app's key after proof of possession; later presentations bind to it (per-account limit)."""
    limits.spend("device_change", account, svc=svc)
    key = load_device_key(data["public_key"])
    check_possession(account, key, data["nonce"], data["signature"], svc=svc)
    sess = session()
    if sess.get(WalletLock, account.id) is not None:
        raise Conflict("wallet_locked")
    active = select(func.count()).select_from(WalletDevice).where(WalletDevice.account_id == account.id,
                                                                  WalletDevice.status == "active")
    if (sess.scalar(active) or 0) >= svc.config.max_devices:
        raise Conflict("too_many_devices", params={"limit": svc.config.max_devices})
    kid = kid_of(key).hex()
    if sess.scalar(select(WalletDevice.id).where(WalletDevice.account_id == account.id, WalletDevice.kid == kid,
                                                 WalletDevice.status == "active")) is not None:
        raise Conflict("device_registered")
    device = WalletDevice(public_id="dev_" + uuid.uuid4().hex, account_id=account.id, name=data["name"],
                          public_key=spki_der(key), kid=kid, status="active", created_at=svc.clock.now())
    sess.add(device)
    sess.commit()
    notify(account, "new_device", svc=svc, name=device.name)
    return device


def devices_of(account: Account) -> list[WalletDevice]:
    """The account's active devices."""
    return list(session().scalars(select(WalletDevice).where(WalletDevice.account_id == account.id,
                                                             WalletDevice.status == "active")
                                  .order_by(WalletDevice.id)))


def revoke_device_credentials(device_ids: list[int], status: str) -> int:
    """Set every still-valid credential bound to these devices to ``status``; return how many."""
    if not device_ids:
        return 0
    return session().execute(update(DeviceCredential).where(DeviceCredential.device_id.in_(device_ids),
                                                            DeviceCredential.status == "valid")
                             .values(status=status)).rowcount


def remove_device(account: Account, device_id: str, *, svc: Services) -> None:
    """Remove a device: credentials bound to it are revoked at the next bundle sync (per-account limit)."""
    if not plausible_id(device_id):
        raise NotFound()
    limits.spend("device_change", account, svc=svc)
    sess = session()
    device = sess.scalar(select(WalletDevice).where(WalletDevice.public_id == device_id,
                                                    WalletDevice.status == "active"))
    if device is None:
        raise NotFound()
    if device.account_id != account.id:  # someone else's answers like a missing one, and is audited
        access_denied("device", account)
        raise NotFound()
    device.status, device.removed_at = "removed", svc.clock.now()
    if revoke_device_credentials([device.id], "revoked"):
        bump_wallet_generation(sess)
    sess.commit()


def lock_wallet(account: Account, *, svc: Services, keep_session: str | None = None) -> dict[str, Any]:
    """Lost phone: suspend every device-bound credential, remove the devices, refuse new presentations, and
    end every sign-in but ``keep_session`` (the caller's), so whoever holds the phone is signed out."""
    sess = session()
    ended = end_sessions(account, "wallet_locked", svc=svc, keep=keep_session)  # first: it writes shared state
    now = svc.clock.now()
    if sess.get(WalletLock, account.id) is None:
        sess.add(WalletLock(account_id=account.id, locked_at=now))
    devices = devices_of(account)
    suspended = revoke_device_credentials([d.id for d in devices], "suspended")
    for device in devices:
        device.status, device.removed_at = "removed", now
    bump_wallet_generation(sess)
    for lic in sess.scalars(select(WalletLicense).where(WalletLicense.account_id == account.id)):
        access_log.record(sess, at=now, event="wallet_locked", source="app", license=lic, actor=account,
                          hall_code=None, counter_code=None)
    sess.commit()
    notify(account, "wallet_locked", svc=svc)
    return {"locked": True, "locked_at": now, "devices_removed": len(devices), "credentials_suspended": suspended,
            "sessions_ended": ended}


def unlock_wallet(account: Account, *, svc: Services) -> bool:
    """Phone found (or replaced): allow presentations and device registration again; say if it was locked.

    What the lock did stays done: the removed devices stay removed and their credentials suspended, so
    the citizen registers the phone again and gets freshly bound credentials.
    """
    sess = session()
    lock = sess.get(WalletLock, account.id)
    if lock is None:
        return False
    now = svc.clock.now()
    sess.delete(lock)
    for lic in sess.scalars(select(WalletLicense).where(WalletLicense.account_id == account.id)):
        access_log.record(sess, at=now, event="wallet_unlocked", source="app", license=lic, actor=account,
                          hall_code=None, counter_code=None)
    sess.commit()
    return True


def device_view(device: WalletDevice) -> dict[str, Any]:
    """A device as its owner sees it."""
    return {"id": device.public_id, "name": device.name, "kid": device.kid, "created_at": device.created_at}
