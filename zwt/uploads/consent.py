"""Reusing a library file in an application, with the citizen's consent, and department staff reading it.

The applications work calls ``attach_material`` when the citizen picks a library file for a material
(the answer is the reference the application keeps), and the back office calls ``open_for_staff`` when
department staff open it; each such look is a row in the citizen's access log.
"""

from __future__ import annotations

import secrets
from typing import BinaryIO

from sqlalchemy import select

from ..container import Services, services
from ..db import session
from ..errors import NotFound, ValidationFailed
from ..models import Account, MaterialUse
from ..wallet_service import access_log
from .library import FIELD, find_own, open_blob

__all__ = ["attach_material", "use_of", "record_staff_view", "open_for_staff", "VIEWED"]

#: the access-log event of a staff member opening a citizen's file
VIEWED = "material_viewed"


def attach_material(account: Account, material_id: str, consent: bool = True, *, purpose: str | None = None,
                    svc: Services | None = None) -> str:
    """Record the citizen's consent to use their library file ``material_id`` (for ``purpose``, e.g. an
    application's id) and return the use's reference; without consent a 422 naming ``consent``. Someone else's
    or a missing file is a 404. The use keeps the file even if the library entry is deleted later."""
    svc = svc or services()
    if consent is not True:
        raise ValidationFailed.field("consent", "consent_required")
    row = find_own(account, material_id, svc=svc)
    use = MaterialUse(reference="use_" + secrets.token_hex(12), account_id=account.id, material_id=row.id,
                      digest=row.digest, name=row.name, kind=row.kind, size=row.size,
                      purpose=(purpose or None) and purpose[:120], consented_at=svc.clock.now())
    sess = session()
    sess.add(use)
    sess.commit()
    return use.reference


def use_of(reference: str) -> MaterialUse:
    """The consented use ``reference``, or a 404."""
    found = session().scalar(select(MaterialUse).where(MaterialUse.reference == reference))
    if found is None:
        raise NotFound()
    return found


def record_staff_view(use: MaterialUse, staff: Account, *, svc: Services, impl_code: str | None = None) -> None:
    """Log in the citizen's access log that ``staff`` opened the file of ``use`` (for the item ``impl_code``);
    committed at once, so the look is on record even if sending the file fails."""
    sess = session()
    access_log.record(sess, at=svc.clock.now(), event=VIEWED, source="admin", account_id=use.account_id,
                      actor=staff, fields=[FIELD], impl_code=impl_code, detail={"material_use": use.reference})
    sess.commit()


def open_for_staff(reference: str, staff: Account, *, svc: Services | None = None,
                   impl_code: str | None = None) -> tuple[MaterialUse, BinaryIO]:
    """The use ``reference`` and its file's bytes for department staff, the look logged for the citizen. Whether
    ``staff`` may see this application's materials is the back office's check, made before calling this."""
    svc = svc or services()
    use = use_of(reference)
    record_staff_view(use, staff, svc=svc, impl_code=impl_code)
    return use, open_blob(use.digest, svc)
