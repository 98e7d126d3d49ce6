"""Revocation: a department admin revokes, suspends or reinstates a license of their own department.

The license row, the generation that invalidates cached bundles and the audit row change in one
transaction; another department's license answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..audit import access_denied
from ..container import Services
from ..db import session
from ..errors import Conflict, NotFound
from ..models import Account, WalletLicense
from . import access_log
from .keys import bump_wallet_generation
from .licenses import serial_index
from .schemas import plausible_id

__all__ = ["TRANSITIONS", "find_for_department", "lookup_by_serial", "set_status", "admin_view"]

# action -> (allowed from, to)
TRANSITIONS = {"revoke": ({"valid", "suspended"}, "revoked"), "suspend": ({"valid"}, "suspended"),
               "reinstate": ({"suspended"}, "valid")}


def find_for_department(admin: Account, identifier: str) -> WalletLicense:
    """The license with this GB/T 36904 identifier if the admin's department issued it, else 404."""
    if not plausible_id(identifier):
        raise NotFound()
    row = session().scalar(select(WalletLicense).where(WalletLicense.identifier == identifier))
    if row is None:
        raise NotFound()
    if row.department_code != admin.department_code:  # another department's answers like a missing one
        access_denied("department_license", admin)
        raise NotFound()
    return row


def lookup_by_serial(admin: Account, license_type: str, serial: str, *, svc: Services) -> list[WalletLicense]:
    """The admin department's licenses of this type under the department's own serial, each look logged.

    Serials are stored only as a blind index (they are often ID numbers), so the lookup is exact; an ID
    number's check character is tried in both cases. Another department's licenses are never found.
    """
    sess = session()
    digests = {serial_index(license_type, s, svc) for s in {serial, serial.upper()}}
    rows = list(sess.scalars(select(WalletLicense).where(WalletLicense.license_type == license_type,
                                                         WalletLicense.serial_bidx.in_(digests),
                                                         WalletLicense.department_code == admin.department_code)
                             .order_by(WalletLicense.id)))
    now = svc.clock.now()
    for row in rows:  # the holder sees that their license was looked up, and by which department's staff
        access_log.record(sess, at=now, event="admin_lookup", source="admin", license=row, actor=admin,
                          hall_code=None, counter_code=None)
    sess.commit()
    return rows


def set_status(admin: Account, identifier: str, action: str, reason: str, *, svc: Services) -> WalletLicense:
    """Apply ``action`` (revoke / suspend / reinstate), audited; 409 when the license is not in a state for it."""
    row = find_for_department(admin, identifier)
    allowed, target = TRANSITIONS[action]
    if row.status not in allowed:
        raise Conflict("license_status_conflict", params={"status": row.status, "action": action})
    sess = session()
    now = svc.clock.now()
    previous = row.status
    row.status, row.status_changed_at = target, now
    bump_wallet_generation(sess)
    access_log.record(sess, at=now, event={"revoke": "revoked", "suspend": "suspended",
                                           "reinstate": "reinstated"}[action],
                      source="admin", license=row, actor=admin, detail={"reason": reason, "from": previous})
    sess.commit()
    return row


def admin_view(row: WalletLicense) -> dict[str, Any]:
    """What a department admin sees of a license: no personal fields, only its identity and status."""
    return {"identifier": row.identifier, "license_type": row.license_type, "department_code": row.department_code,
            "issuer_name": row.issuer_name, "status": row.status, "status_changed_at": row.status_changed_at,
            "valid_from": row.valid_from, "valid_until": row.valid_until}
