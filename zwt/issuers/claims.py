"""Licenses waiting in the ledger join their holder's wallet once the account may hold licenses.

Subscribed to ``Services.hooks.licenses_refreshed``: a level that releases licenses refreshes them
(``zwt.wallet_service.accounts``), and so does ``POST /me/licenses/refresh``; both end here.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from ..auth.levels import licenses_released
from ..container import Services
from ..db import session
from ..models import Account, IssuedLicense, WalletLicense
from .ledger import open_ledger_record
from .wallets import Change, link_changes

__all__ = ["claim", "subscribe"]

_LIVE = ("valid", "suspended")  # a revoked or expired license that never reached the wallet stays out of it


def claim(account: Account, svc: Services) -> int:
    """Link every live ledger license of the account's ID number that no wallet holds yet; return how many."""
    if not licenses_released(account, svc.config) or account.id_number_bidx is None:
        return 0
    sess = session()
    held = {(dept, kind, serial) for dept, kind, serial in sess.execute(
        select(WalletLicense.department_code, WalletLicense.license_type, WalletLicense.serial_bidx)
        .where(WalletLicense.account_id == account.id))}
    waiting: dict[str, list[Change]] = defaultdict(list)
    for row in sess.scalars(select(IssuedLicense).where(IssuedLicense.holder_bidx == account.id_number_bidx,
                                                        IssuedLicense.state.in_(_LIVE))
                            .order_by(IssuedLicense.id)):
        if (row.department_code, row.license_type, row.serial_bidx) in held:
            continue  # a license parked with a former legal representative is not held: the claim moves it
        waiting[row.department_code].append(Change(row.license_type, row.serial_bidx, row.state, row.state,
                                                   open_ledger_record(row, svc), row.holder_bidx))
    if not waiting:
        return 0
    now = svc.clock.now()
    for department, changes in waiting.items():
        link_changes(sess, department, changes, svc=svc, now=now)
    sess.commit()
    return sum(len(changes) for changes in waiting.values())


def _claim_hook(account: Account, svc: Services) -> None:
    claim(account, svc)


def subscribe(svc: Services) -> None:
    """Register the claim on the wallet's refresh hook."""
    svc.hooks.licenses_refreshed.append(_claim_hook)
