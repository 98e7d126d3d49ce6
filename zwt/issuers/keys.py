"""Departments' request-signing keys, registered, listed and revoked by a platform admin.

A key may push only the license types it was registered for, a subset of what its department issues
(``zwt.wallet_service.keys.allowed_types_for``: the same scoping as the wallet's signing keys).
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wallet.keys import spki_der

from ..container import Services
from ..db import session
from ..errors import Conflict, NotFound, ValidationFailed, field_error
from ..models import IssuerKey
from ..wallet_service.devices import load_device_key
from ..wallet_service.keys import KeyOperationError, allowed_types_for, ensure_keys
from .signatures import ALG_ID

__all__ = ["department_types", "register_key", "keys_of", "revoke_key", "key_view"]


def department_types(department: str, svc: Services) -> list[str]:
    """The license types a department issues; 404 for a code that is no department."""
    try:
        return allowed_types_for(department, svc)
    except KeyOperationError:
        raise NotFound() from None


def register_key(department: str, data: dict[str, Any], *, svc: Services) -> IssuerKey:
    """Add an active key for the department; 422 naming the field, 409 for a key id already registered."""
    issued = department_types(department, svc)
    key = load_device_key(data["public_key"])
    outside = [t for t in data["allowed_types"] if t not in issued]
    if outside:
        raise ValidationFailed(errors=[field_error("allowed_types", "type_not_allowed")],
                               extra={"department_types": issued})
    sess = session()
    row = IssuerKey(key_id=data["key_id"], department_code=department, public_key=spki_der(key), alg=ALG_ID,
                    allowed_types=sorted(set(data["allowed_types"])), state="active", created_at=svc.clock.now())
    sess.add(row)
    try:
        sess.commit()
    except IntegrityError:
        sess.rollback()
        raise Conflict(errors=[field_error("key_id", "taken")]) from None
    ensure_keys(svc, [department])  # the wallet's key signing its licenses, so counters have it before the first
    return row


def keys_of(department: str, svc: Services) -> list[IssuerKey]:
    """The department's keys, oldest first; 404 for a code that is no department."""
    department_types(department, svc)
    return list(session().scalars(select(IssuerKey).where(IssuerKey.department_code == department)
                                  .order_by(IssuerKey.id)))


def revoke_key(department: str, key_id: str, *, svc: Services) -> IssuerKey:
    """Revoke one of the department's keys (idempotent): it never verifies a push again."""
    sess = session()
    row = sess.scalar(select(IssuerKey).where(IssuerKey.key_id == key_id, IssuerKey.department_code == department))
    if row is None:
        raise NotFound()
    if row.state != "revoked":
        row.state, row.revoked_at = "revoked", svc.clock.now()
        sess.commit()
    return row


def key_view(row: IssuerKey) -> dict[str, Any]:
    """A key as the admin API shows it (the public key as base64 SPKI DER)."""
    return {"key_id": row.key_id, "department_code": row.department_code, "alg": row.alg,
            "public_key": base64.b64encode(row.public_key).decode(), "allowed_types": list(row.allowed_types),
            "state": row.state, "created_at": row.created_at, "revoked_at": row.revoked_at}
