"""Materials as the first step of submission (免证办, 数据共享, 材料库): the pre-check's answer turned into what
the department receives, with the citizen's consent per material.

A material satisfied by a license becomes a ``QD1:`` presentation for this item, signed with the issuing
department's key and disclosing only the fields the item needs (``presentations.create_presentation`` with
``impl_code``: the same path and access-log entry as any presentation); it is then verified as a counter
would (trust bundle, status, the item's disclosure rule, ``wallet.verify``) before it is kept, so a revoked
or suspended license is refused. Shared data keeps the record's id and digest; a library file becomes a
consented use (``zwt.uploads.consent``). Every submission of an item with such materials runs this first,
whether or not it names any choices: without consent a license or shared record is not used, and the 422 names
each material (``consent_required`` or ``material_missing``). A material still pending at a department stops
the submission with a 409 naming it: the citizen submits again later, or names a library file for it instead.
"""

from __future__ import annotations

import hashlib
from typing import Any, Collection, Mapping

from sqlalchemy.orm import Session

from services_catalog.handling import SATISFY_LICENSE, SATISFY_SHARED_DATA
from services_catalog.items import ServiceItem
from wallet.verify import verify

from ..container import Services
from ..errors import Conflict, ValidationFailed, field_error
from ..models import Account, ApplicationMaterial, ApplicationRow
from ..uploads.consent import attach_material
from ..wallet_service.bundle import current_bundle
from ..wallet_service.presentations import create_presentation
from ..wallet_service.requirements import needs_of
from ..wallet_service.runtime import WalletRuntime
from .precheck import MISSING, PENDING, Resolution, needed_materials, resolve

__all__ = ["required", "prepare", "keep", "seal_credential", "open_credential"]

_TABLE, _COLUMN = "application_materials", "credential"


def _row_key(public_id: str, name: str) -> str:
    return public_id + ":" + hashlib.sha256(name.encode()).hexdigest()[:16]


def seal_credential(public_id: str, name: str, text: str, svc: Services) -> tuple[bytes, int]:
    """The ``QD1:`` text sealed to its application and material."""
    return svc.pii.encrypt(text, table=_TABLE, column=_COLUMN, row=_row_key(public_id, name))


def open_credential(public_id: str, row: ApplicationMaterial, svc: Services) -> str:
    """The ``QD1:`` text kept for a material."""
    assert row.credential_enc is not None and row.credential_key_version is not None
    return svc.pii.decrypt(row.credential_enc, row.credential_key_version, table=_TABLE, column=_COLUMN,
                           row=_row_key(public_id, row.name))


def _checked(found: list[Resolution], consent: list[str]) -> None:
    pending = [r.name for r in found if r.state == PENDING]
    if pending:
        raise Conflict("materials_pending", errors=[field_error(f"materials.{n}", "material_pending") for n in pending],
                       headers={"Retry-After": "30"}, extra={"pending": pending})
    problems = [field_error(f"materials.{r.name}", "material_missing") for r in found if r.state == MISSING]
    problems += [field_error(f"materials.{r.name}", "consent_required") for r in found
                 if r.by is not None and r.by["kind"] != "upload" and r.name not in consent]
    if problems:
        raise ValidationFailed(errors=problems)


def required(item: ServiceItem, *, skip: Collection[str] = ()) -> bool:
    """Whether a submission of ``item`` must resolve materials first: it has a material that declares how it is
    satisfied, is not optional, and is not in ``skip`` (deferred under a credit commitment)."""
    return any(m.name not in skip for m in needed_materials(item))


def prepare(account: Account, item: ServiceItem, public_id: str, chosen: Mapping[str, Any], *, svc: Services,
            rt: WalletRuntime, skip: Collection[str] = ()) -> list[dict[str, Any]]:
    """Resolve the item's materials with the citizen's choices (``consent``: the material names whose license or
    shared data may be used; ``uploads``: library files by material name), refuse what is pending, missing or
    not consented to, then make each material's credential or use; the values of the rows ``keep`` writes.
    Materials named in ``skip`` are left out (deferred under a credit commitment, or already delivered)."""
    found = [r for r in resolve(account, item, chosen.get("uploads") or {}, svc=svc) if r.name not in skip]
    _checked(found, list(chosen.get("consent") or []))
    now, out = svc.clock.now(), []
    for res in found:
        by = res.by
        assert by is not None
        values: dict[str, Any] = {"name": res.name, "kind": by["kind"], "fields": [], "digest": None,
                                  "credential_enc": None, "credential_key_version": None, "consented_at": now}
        if by["kind"] == SATISFY_LICENSE:
            made = create_presentation(account, by["license_id"], {"impl_code": item.impl_code}, svc=svc, rt=rt,
                                       bind=False)
            verdict = verify(made.text, current_bundle(svc, rt).bundle, now=int(svc.clock.timestamp()),
                             purpose=needs_of(item.impl_code).fields_for)
            if not verdict.valid:
                raise ValidationFailed(errors=[field_error(f"materials.{res.name}", "credential_refused")])
            values["credential_enc"], values["credential_key_version"] = seal_credential(
                public_id, res.name, made.text, svc)
            values.update(reference=made.public_id, fields=list(verdict.fields), digest=made.text_digest)
        elif by["kind"] == SATISFY_SHARED_DATA:
            values.update(reference=by["record_id"], digest=by["digest"])
        else:
            reference = attach_material(account, by["material_id"], True, purpose=public_id, svc=svc)
            values.update(reference=reference)
        out.append(values)
    return out


def keep(sess: Session, row: ApplicationRow, prepared: list[dict[str, Any]]) -> None:
    """Add the application's material rows to its transaction (after the application row is flushed)."""
    sess.flush()
    for values in prepared:
        sess.add(ApplicationMaterial(application_id=row.id, **values))
