"""What the wallet does when an account changes (subscribed to ``Services.hooks`` by ``init_wallet_service``).

- A level that releases licenses fetches them at once, so a new citizen sees their licenses on arrival
  (a department that fails is skipped; ``POST /me/licenses/refresh`` tries again).
- A squatter's account that yields to the ID number's proven holder hands its licenses over, with their
  status slots and their access history: the holder sees every look the squatter had. The squatter's
  devices are removed and the credentials bound to them revoked.
"""

from __future__ import annotations

from sqlalchemy import select, update

from ..auth.levels import licenses_released
from ..container import Services
from ..db import session
from ..models import Account, WalletLicense, WalletLock
from . import access_log
from .devices import devices_of, revoke_device_credentials
from .keys import bump_wallet_generation
from .licenses import refresh_licenses

__all__ = ["release_licenses", "hand_over", "subscribe"]


def release_licenses(account: Account, svc: Services) -> None:
    """Fetch the account's licenses once its level releases them."""
    if licenses_released(account, svc.config):
        refresh_licenses(account, svc=svc)


def hand_over(old: Account, new: Account, svc: Services) -> None:
    """Move the frozen account's licenses to the newcomer; remove its devices and revoke what they held."""
    sess = session()
    now = svc.clock.now()
    devices = devices_of(old)
    if revoke_device_credentials([d.id for d in devices], "revoked"):
        bump_wallet_generation(sess)
    for device in devices:
        device.status, device.removed_at = "removed", now
    lock = sess.get(WalletLock, old.id)
    if lock is not None:
        sess.delete(lock)
    moved = list(sess.scalars(select(WalletLicense).where(WalletLicense.account_id == old.id)))
    sess.execute(update(WalletLicense).where(WalletLicense.account_id == old.id).values(account_id=new.id))
    for lic in moved:
        access_log.record(sess, at=now, event="handed_over", source="platform", license=lic, actor=new,
                          hall_code=None, counter_code=None)
    sess.flush()


def subscribe(svc: Services) -> None:
    """Register the wallet's account hooks."""
    svc.hooks.level_raised.append(release_licenses)
    svc.hooks.superseded.append(hand_over)
