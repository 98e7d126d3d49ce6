"""Signing keys: one per issuing department plus the platform root, sealed under the key-encryption key.

States: pending (published in bundles, not signing yet) -> active (signs; one per department) ->
verify_only (published with ``not_after`` = when it stopped signing, until what it signed expired) ->
retired (gone from bundles: verifiers answer ``unknown_key``). The first key of a department starts
active (nothing can hold a bundle without it yet); later keys go through ``rotate`` and ``activate``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any, Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wallet.cose import ALG_ES256
from wallet.keys import PublicKey, generate_p256, kid_of, public_key_from_spki, spki_der
from wallet.license_types import REGISTRY
from wallet.trust import MAX_AGE, IssuerKey

from ..container import Services
from ..db import mark_changed
from ..models import WalletKey, WalletState

__all__ = ["KeyOperationError", "Signer", "ROOT", "WALLET_CHANGED", "department_kind", "allowed_types_for",
           "signer_for", "create_key", "rotate", "activate", "pending_root", "retire", "published_issuer_keys",
           "bump_wallet_generation", "read_generation", "ensure_keys"]

ROOT = "root"
FAR_FUTURE = 10 * 365 * 86400
_NONCE = 12
#: Set in ``Session.info`` by a transaction that bumped the wallet generation (see ``runtime.WalletRuntime``).
WALLET_CHANGED = "zwt.wallet_changed"
_REGISTRY_KINDS = frozenset(ltype.department_kind for ltype in REGISTRY.values())
#: kinds of issuing body a kind of department system speaks for: the exit-entry administration (the registry's
#: ``immigration``) is part of public security, and the police system hands its permits over
_SPEAKS_FOR = {"police": ("police", "immigration")}


class KeyOperationError(Exception):
    """A key operation that cannot be done now; the message says why (CLI shows it)."""


@dataclass(frozen=True)
class Signer:
    """An unsealed private key with its kid, ready to sign."""

    kid: bytes
    private_key: ec.EllipticCurvePrivateKey
    department_code: str | None


def _aad(kid_hex: str, purpose: str) -> bytes:
    """Associated data binding a sealed key to its kid and purpose."""
    return f"zwt-wallet-key|{purpose}|{kid_hex}".encode()


def _seal(private_key: ec.EllipticCurvePrivateKey, kid_hex: str, purpose: str, kek: bytes) -> bytes:
    """Encrypt the PKCS#8 DER of a private key under the KEK."""
    der = private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(kek).encrypt(nonce, der, _aad(kid_hex, purpose))


def _unseal(row: WalletKey, kek: bytes) -> ec.EllipticCurvePrivateKey:
    """Decrypt a key row's private key, or say the KEK does not open it."""
    try:
        der = AESGCM(kek).decrypt(row.private_key_enc[:_NONCE], row.private_key_enc[_NONCE:],
                                  _aad(row.kid, row.purpose))
    except InvalidTag:
        raise KeyOperationError(f"key {row.kid} does not open under ZWT_KEY_ENCRYPTION_KEY (wrong key?)") from None
    key = serialization.load_der_private_key(der, None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def department_kind(department_code: str, svc: Services) -> str | None:
    """The kind of a department: its adapter's when configured, else the code itself when it names a kind of the
    registry (a department that only issues through the standard interface needs no adapter); else None."""
    departments = svc.departments or {}
    if department_code in departments:
        return departments[department_code].kind
    return department_code if department_code in _REGISTRY_KINDS else None


def allowed_types_for(department_code: str, svc: Services) -> list[str]:
    """License types a department may sign: those its kind of department issues in the registry."""
    kind = department_kind(department_code, svc)
    if kind is None:
        known = sorted(set(svc.departments or {}) | _REGISTRY_KINDS)
        raise KeyOperationError(f"unknown department {department_code!r}; known: {', '.join(known)}")
    kinds = _SPEAKS_FOR.get(kind, (kind,))
    return sorted(code for code, ltype in REGISTRY.items() if ltype.department_kind in kinds)


def create_key(sess: Session, *, department_code: str | None, state: str, svc: Services) -> WalletKey:
    """Generate a P-256 key, seal it and add its row (the caller commits)."""
    private_key = generate_p256()
    kid_hex = kid_of(private_key.public_key()).hex()
    purpose = ROOT if department_code is None else "issuer"
    now = svc.clock.now()
    row = WalletKey(kid=kid_hex, purpose=purpose, department_code=department_code, alg=ALG_ES256,
                    allowed_types=[] if department_code is None else allowed_types_for(department_code, svc),
                    public_key=spki_der(private_key.public_key()),
                    private_key_enc=_seal(private_key, kid_hex, purpose, svc.config.key_encryption_key),
                    state=state, active_slot=(department_code or ROOT) if state == "active" else None,
                    created_at=now, activated_at=now if state == "active" else None)
    sess.add(row)
    return row


def bump_wallet_generation(sess: Session) -> None:
    """Mark every cached trust bundle stale, in the transaction of the change that needs it.

    Other workers notice within ``ZWT_BUNDLE_FRESHNESS_SECONDS``; this one as soon as the transaction commits.
    """
    mark_changed(sess, WALLET_CHANGED)
    if sess.execute(update(WalletState).where(WalletState.id == 1)
                    .values(generation=WalletState.generation + 1)).rowcount == 0:
        sess.add(WalletState(id=1, generation=2))


def read_generation(sess: Session) -> int:
    """The current generation (1 before anything changed)."""
    return sess.scalar(select(WalletState.generation).where(WalletState.id == 1)) or 1


def ensure_keys(svc: Services, departments: Iterable[str | None]) -> None:
    """Create the first active key of each department (None = the root) that has none, race-safe."""
    sess = svc.db.sessions()
    try:
        for code in departments:
            slot = code or ROOT
            if sess.scalar(select(WalletKey.id).where(WalletKey.active_slot == slot)) is not None:
                continue
            if code is not None and sess.scalar(select(WalletKey.id).where(WalletKey.department_code == code)):
                continue  # keys exist but none active: an operator decision, not a bootstrap
            create_key(sess, department_code=code, state="active", svc=svc)
            bump_wallet_generation(sess)
            try:
                sess.commit()
            except IntegrityError:
                sess.rollback()  # another worker created it first
    finally:
        sess.close()


def signer_for(slot: str, svc: Services, cache: dict[str, Signer]) -> Signer:
    """The active key of a department (or ``root``), unsealed once per process and cached by kid."""
    sess = svc.db.sessions()
    try:
        row = sess.scalar(select(WalletKey).where(WalletKey.active_slot == slot))
        if row is None:
            sess.close()
            ensure_keys(svc, [None if slot == ROOT else slot])
            sess = svc.db.sessions()
            row = sess.scalar(select(WalletKey).where(WalletKey.active_slot == slot))
            if row is None:
                raise KeyOperationError(f"no active key for {slot}")
        cached = cache.get(row.kid)
        if cached is None:
            cached = Signer(bytes.fromhex(row.kid), _unseal(row, svc.config.key_encryption_key), row.department_code)
            cache[row.kid] = cached
        return cached
    finally:
        sess.close()


def published_issuer_keys(sess: Session) -> list[IssuerKey]:
    """Issuer keys a trust bundle carries: pending, active and verify-only ones, with their periods."""
    rows = sess.scalars(select(WalletKey).where(WalletKey.purpose == "issuer",
                                                WalletKey.state.in_(("pending", "active", "verify_only")))
                        .order_by(WalletKey.id))
    out = []
    for row in rows:
        not_before = int(row.created_at.timestamp())
        not_after = (int(row.deactivated_at.timestamp()) if row.deactivated_at is not None
                     else not_before + FAR_FUTURE)
        out.append(IssuerKey(public_key=public_key_from_spki(row.public_key),
                             allowed_types=frozenset(row.allowed_types), not_before=not_before,
                             not_after=not_after, alg=row.alg, kid=bytes.fromhex(row.kid)))
    return out


def _keys_of(slot: str) -> Any:
    """The condition picking a department's keys, or the platform root's (``slot`` ``root``)."""
    return WalletKey.purpose == ROOT if slot == ROOT else WalletKey.department_code == slot


def pending_root(sess: Session) -> PublicKey | None:
    """The next root key while a root rotation is pending: bundles announce it (``next_root``)."""
    der = sess.scalar(select(WalletKey.public_key).where(_keys_of(ROOT), WalletKey.state == "pending"))
    return None if der is None else public_key_from_spki(der)


def rotate(department_code: str, svc: Services) -> WalletKey:
    """Create a pending key for a department (or ``root``): bundles carry it from now on; ``activate`` it later.

    A pending root key is announced in every bundle the current root signs, so counters learn it
    before it signs anything.
    """
    sess = svc.db.sessions()
    try:
        if department_code != ROOT:
            allowed_types_for(department_code, svc)
        if sess.scalar(select(WalletKey.id).where(_keys_of(department_code), WalletKey.state == "pending")):
            raise KeyOperationError(f"{department_code} already has a pending key; activate it first")
        row = create_key(sess, department_code=None if department_code == ROOT else department_code,
                         state="pending", svc=svc)
        bump_wallet_generation(sess)
        sess.commit()
        return row
    finally:
        sess.close()


def activate(department_code: str, svc: Services, *, force: bool = False) -> tuple[WalletKey, WalletKey | None]:
    """Promote the pending key to active once it was published long enough; the old one turns verify-only."""
    sess = svc.db.sessions()
    try:
        pending = sess.scalar(select(WalletKey).where(_keys_of(department_code), WalletKey.state == "pending"))
        if pending is None:
            raise KeyOperationError(f"{department_code} has no pending key; run rotate first")
        now = svc.clock.now()
        published_for = (now - pending.created_at).total_seconds()
        lead = svc.config.key_publish_lead_seconds
        if published_for < lead and not force:
            raise KeyOperationError(f"the pending key was published {int(published_for)} s ago; counters need "
                                    f"{lead} s to sync it (use --force to override)")
        old = sess.scalar(select(WalletKey).where(WalletKey.active_slot == department_code))
        if old is not None:
            old.state, old.active_slot, old.deactivated_at = "verify_only", None, now
            # What an old root signed is a bundle, valid for MAX_AGE; an issuer key's, a presentation.
            lasts = (MAX_AGE if department_code == ROOT else
                     max(svc.config.presentation_bound_seconds, svc.config.presentation_unbound_seconds))
            old.retire_after = now + dt.timedelta(seconds=lasts)
            sess.flush()
        pending.state, pending.active_slot, pending.activated_at = "active", department_code, now
        bump_wallet_generation(sess)
        sess.commit()
        return pending, old
    finally:
        sess.close()


def retire(kid_hex: str, svc: Services, *, force: bool = False) -> WalletKey:
    """Take a verify-only key out of bundles once everything it signed has expired."""
    sess = svc.db.sessions()
    try:
        row = sess.scalar(select(WalletKey).where(WalletKey.kid == kid_hex))
        if row is None:
            raise KeyOperationError(f"no key with kid {kid_hex}")
        if row.state != "verify_only":
            raise KeyOperationError(f"key {kid_hex} is {row.state}; only a verify-only key can be retired")
        now = svc.clock.now()
        if row.retire_after is not None and now < row.retire_after and not force:
            raise KeyOperationError(f"key {kid_hex} signed credentials valid until "
                                    f"{row.retire_after.isoformat()}; retire it after that (or use --force)")
        row.state, row.retired_at = "retired", now
        bump_wallet_generation(sess)
        sess.commit()
        return row
    finally:
        sess.close()
