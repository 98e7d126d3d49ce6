"""Data minimisation in the back office: department staff see, per material of one of their applications,
exactly what the material needs and nothing more, each look in the citizen's access log.

A license material shows the fields its ``QD1:`` credential discloses, verified again at each look as a counter
would (bundle, status, the item's disclosure rule: a license revoked since is shown as refused, without
fields); a shared-data material shows the stored record it was filled with; a library file shows its name,
type, size and digest, and the file itself is sent on its own request (``file_for_staff``, logged as well).
Personal numbers are masked (``zwt.masking``) like everywhere else.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from sqlalchemy import select

from services_catalog.handling import SATISFY_LICENSE, SATISFY_SHARED_DATA, SATISFY_UPLOAD
from wallet.verify import verify

from ..container import Services
from ..db import session
from ..errors import NotFound
from ..masking import mask_fields
from ..models import Account, ApplicationMaterial, ApplicationRow, MaterialUse, SharedDataRecord
from ..shared_data.service import record_view
from ..uploads.consent import open_for_staff
from ..wallet_service import access_log
from ..wallet_service.bundle import current_bundle
from ..wallet_service.requirements import needs_of
from .materials import open_credential

__all__ = ["VIEWED", "materials_for_staff", "file_for_staff"]

#: the access-log event of staff looking at an application's materials
VIEWED = "materials_viewed"


def _license(app: ApplicationRow, row: ApplicationMaterial, svc: Services) -> dict[str, Any]:
    verdict = verify(open_credential(app.public_id, row, svc), current_bundle(svc, svc.wallet).bundle,
                     now=int(svc.clock.timestamp()), purpose=needs_of(app.item_code).fields_for)
    return {"license_type": verdict.license_type, "verdict": "valid" if verdict.valid else verdict.reason,
            "fields": mask_fields(dict(verdict.fields)) if verdict.valid else {}}


def _shared(row: ApplicationMaterial, svc: Services) -> dict[str, Any]:
    record = session().scalar(select(SharedDataRecord).where(SharedDataRecord.public_id == row.reference))
    if record is None:
        return {"fields": {}}
    view = record_view(record, svc=svc)
    return {"source": view["source"], "department_code": view["department_code"],
            "fetched_at": view["fetched_at"].isoformat(), "fields": view["data"]}


def _upload(row: ApplicationMaterial) -> dict[str, Any]:
    use = session().scalar(select(MaterialUse).where(MaterialUse.reference == row.reference))
    if use is None:
        return {"fields": {}}
    return {"file": {"reference": use.reference, "name": use.name, "type": use.kind, "size": use.size,
                     "digest": use.digest[:12]}, "fields": {}}


def file_for_staff(app: ApplicationRow, name: str, staff: Account, *,
                   svc: Services) -> tuple[MaterialUse, BinaryIO]:
    """The file the citizen gave ``app`` for its material ``name`` and its bytes, the look a ``material_viewed``
    row in the citizen's access log; 404 when ``name`` is no material of ``app`` filled by a file. Whether
    ``staff`` may see ``app`` is the caller's check (``handling.department_row``)."""
    row = session().scalar(select(ApplicationMaterial).where(ApplicationMaterial.application_id == app.id,
                                                             ApplicationMaterial.name == name,
                                                             ApplicationMaterial.kind == SATISFY_UPLOAD))
    if row is None or row.reference is None:
        raise NotFound()
    return open_for_staff(row.reference, staff, svc=svc, impl_code=app.item_code)


def materials_for_staff(app: ApplicationRow, staff: Account, *, svc: Services) -> list[dict[str, Any]]:
    """Each material of ``app`` as its department's staff may see it; the look logged for the citizen.
    Whether ``staff`` may see ``app`` is the caller's check (``handling.department_row``)."""
    sess = session()
    rows = list(sess.scalars(select(ApplicationMaterial).where(ApplicationMaterial.application_id == app.id)
                             .order_by(ApplicationMaterial.id)))
    out = []
    for row in rows:
        shown = (_license(app, row, svc) if row.kind == SATISFY_LICENSE
                 else _shared(row, svc) if row.kind == SATISFY_SHARED_DATA else _upload(row))
        out.append({"name": row.name, "kind": row.kind, "digest": row.digest, **shown})
    access_log.record(sess, at=svc.clock.now(), event=VIEWED, source="admin", account_id=app.account_id,
                      actor=staff, impl_code=app.item_code,
                      fields=sorted({name for m in out for name in m["fields"]}),
                      detail={"application": app.public_id, "materials": [m["name"] for m in out]})
    sess.commit()
    return out
