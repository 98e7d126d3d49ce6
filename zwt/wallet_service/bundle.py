"""The trust bundle counters sync: built from the keys and status lists, cached per process.

A bundle is identified by (generation, iat): the generation moves with every key or status change, and
``iat`` is the start of the current refresh period, so an unchanged bundle is re-signed once a period
(counters never see it age past 24 h) and every node names the same content with the same ETag.
The 304 path costs no database round trip while the generation is fresh (``ZWT_BUNDLE_FRESHNESS_SECONDS``),
else one primary-key read of it.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization

from wallet.keys import public_key_from_spki
from wallet.status_list import sign_status_list
from wallet.trust import MAX_AGE, build_bundle, load_bundle

from ..container import Services
from .keys import ROOT, ensure_keys, pending_root, published_issuer_keys, read_generation, signer_for
from .runtime import BuiltBundle, WalletRuntime
from .status import build_lists

__all__ = ["current_bundle", "issuing_departments", "root_key_pem", "build_fresh"]


def issuing_departments(svc: Services) -> list[str]:
    """Codes of the configured departments that issue at least one license type."""
    from wallet.license_types import REGISTRY

    kinds = {ltype.department_kind for ltype in REGISTRY.values()}
    return [code for code, dept in (svc.departments or {}).items() if dept.kind in kinds]


def _period_start(svc: Services) -> tuple[int, int]:
    """Now and the start of the current refresh period, as epoch seconds."""
    now = int(svc.clock.timestamp())
    period = max(1, svc.config.bundle_refresh_seconds)
    return now, now - now % period


def build_fresh(svc: Services, rt: WalletRuntime) -> BuiltBundle:
    """Sign a new bundle from the database as it is now."""
    ensure_keys(svc, [None, *issuing_departments(svc)])
    return _build(svc, rt)


def _build(svc: Services, rt: WalletRuntime) -> BuiltBundle:
    """Sign a new bundle from the database as it is now, every issuing department's first key already made."""
    now, iat = _period_start(svc)
    root = signer_for(ROOT, svc, rt.signers)
    sess = svc.db.sessions()
    try:
        generation = read_generation(sess)  # read first: the content below is at least this new
        issuers = published_issuer_keys(sess)
        next_root = pending_root(sess)
        lists = build_lists(sess, iat=iat)
    finally:
        sess.close()
    exp = iat + MAX_AGE
    tokens = [sign_status_list(status_list, root.private_key, uri=uri, iat=iat, exp=exp,
                               ttl=svc.config.bundle_refresh_seconds, kid=root.kid)
              for uri, status_list in lists.items()]
    data = build_bundle(seq=generation, iat=iat, exp=exp, issuers=issuers, status_lists=tokens,
                        root_key=root.private_key, next_root=next_root)
    parsed = load_bundle(data, [root.private_key.public_key()], now=max(now, iat))
    return BuiltBundle(generation=generation, iat=iat, data=data, bundle=parsed, etag=f'W/"{generation}.{iat}"')


def current_bundle(svc: Services, rt: WalletRuntime) -> BuiltBundle:
    """The cached bundle while the generation and period are unchanged, else a freshly built one.

    The generation is re-read at most once per ``ZWT_BUNDLE_FRESHNESS_SECONDS`` per process, so thousands
    of counters polling cost one small query a second; a commit of this process that changed the wallet
    makes the next call re-read it (``WalletRuntime.recheck_bundle``).
    """
    _, iat = _period_start(svc)
    at = svc.clock.timestamp()
    checked_at, epoch = rt.bundle_check()
    cached = rt.bundle
    if cached is not None and cached.iat == iat and 0 <= at - checked_at < svc.config.bundle_freshness_seconds:
        return cached
    sess = svc.db.sessions()
    try:
        generation = read_generation(sess)
    finally:
        sess.close()
    rt.bundle_checked(at, epoch)
    if cached is not None and cached.generation >= generation and cached.iat == iat:
        return cached
    with rt.bundle_lock:
        cached = rt.bundle
        if cached is not None and cached.generation >= generation and cached.iat == iat:
            return cached
        ensure_keys(svc, [None, *issuing_departments(svc)])  # may commit an own change, so before the epoch
        _, epoch = rt.bundle_check()
        rt.bundle = _build(svc, rt)
        rt.bundle_checked(at, epoch)  # the build read the generation after creating any missing keys
        return rt.bundle


def root_key_pem(svc: Services, rt: WalletRuntime) -> bytes:
    """The platform root public key as PEM (what a counter is provisioned with to check bundles)."""
    root = signer_for(ROOT, svc, rt.signers)
    der = root.private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)
    return public_key_from_spki(der).public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
