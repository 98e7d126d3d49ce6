"""The citizen's materials library (材料库): upload, list, download and delete their files.

A file is checked and stripped by ``applications.files.prepare`` and kept once in ``Services.files`` under
its SHA-256: an ``upload_blobs`` row per stored file, a ``materials`` row per library entry, and a
``material_uses`` row per consented use in an application (``zwt.uploads.consent``). The stored blob goes
when the last entry or use naming it does.
"""

from __future__ import annotations

import logging
import secrets
from typing import IO, Any, BinaryIO

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from applications.files import FileRefused, Prepared, prepare

from ..audit import access_denied
from ..container import Services
from ..db import session
from ..errors import ApiError, NotFound, ServiceUnavailable, ValidationFailed, field_error
from ..masking import mask_in_text
from ..models import Account, Material, MaterialUse, UploadBlob
from ..wallet_service import access_log
from ..wallet_service.schemas import plausible_id

__all__ = ["FIELD", "upload", "materials_of", "material_view", "find_own", "open_blob", "remove", "lock_blob",
           "refusal"]

#: the multipart field that carries the file (and that every problem about the file names)
FIELD = "file"
_NAME_MAX = 200
log = logging.getLogger("zwt.uploads")


class FileTooLarge(ApiError):
    """413: the file is over ``ZWT_UPLOAD_MAX_BYTES``; ``errors`` names the field."""

    status = 413
    code = "file_too_large"


def refusal(reason: str, limit: int) -> ApiError:
    """The problem for a file we do not keep: 413 when it is too large, else a 422, both naming ``file``."""
    if reason == "too_large":
        return FileTooLarge(params={"limit": limit}, errors=[field_error(FIELD, "too_large")])
    return ValidationFailed.field(FIELD, reason)


def _name(raw: str | None, extension: str) -> str:
    """The name the library shows: the client's (its folders dropped, personal numbers masked), else a default."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(c for c in name if c.isprintable()) or f"material{extension}"
    return mask_in_text(name)[-_NAME_MAX:]


def lock_blob(sess: Session, prepared: Prepared, svc: Services) -> None:
    """Make sure the blob row exists and hold it (row lock on PostgreSQL) for this transaction, then store the
    bytes unless they are stored already; a concurrent delete of the same blob waits for us, or we for it."""
    insert = pg_insert if svc.db.dialect == "postgresql" else sqlite_insert
    sess.execute(insert(UploadBlob).values(digest=prepared.digest, kind=prepared.kind.name, size=prepared.size,
                                           created_at=svc.clock.now()).on_conflict_do_nothing())
    sess.execute(select(UploadBlob.digest).where(UploadBlob.digest == prepared.digest).with_for_update())
    try:
        if not svc.files.exists(prepared.digest):
            svc.files.put(prepared.digest, prepared.stream)
    except Exception as exc:  # the store's outage (a full disk, S3 unreachable): nothing is recorded
        log.warning("upload store failed", extra={"error": type(exc).__name__})
        raise ServiceUnavailable(headers={"Retry-After": "5"}) from None


def upload(account: Account, source: IO[bytes], *, name: str | None, media_type: str | None,
           svc: Services) -> tuple[Material, bool]:
    """Check and keep one file in the account's library; (the entry, whether it is new). The same bytes
    uploaded again by the same citizen give back their existing entry."""
    limit = svc.config.upload_max_bytes
    try:
        prepared = prepare(source, name=name, media_type=media_type, max_bytes=limit)
    except FileRefused as exc:
        raise refusal(exc.reason, limit) from None
    with prepared.stream:
        sess = session()
        lock_blob(sess, prepared, svc)
        found = sess.scalar(select(Material).where(Material.account_id == account.id,
                                                   Material.digest == prepared.digest))
        if found is not None:
            sess.commit()
            return found, False
        row = Material(public_id="mat_" + secrets.token_hex(12), account_id=account.id, digest=prepared.digest,
                       name=_name(name, prepared.kind.extensions[0]), kind=prepared.kind.name, size=prepared.size,
                       created_at=svc.clock.now())
        sess.add(row)
        sess.commit()
        return row, True


def material_view(row: Material, uses: list[MaterialUse]) -> dict[str, Any]:
    """One library entry as its owner sees it."""
    return {"id": row.public_id, "name": row.name, "type": row.kind, "size": row.size,
            "digest": row.digest[:12], "created_at": row.created_at,
            "used_in": [{"reference": u.reference, "purpose": u.purpose, "consented_at": u.consented_at}
                        for u in uses]}


def materials_of(account: Account) -> list[dict[str, Any]]:
    """The account's library, newest first, each entry with the applications it was used in."""
    sess = session()
    rows = list(sess.scalars(select(Material).where(Material.account_id == account.id)
                             .order_by(Material.created_at.desc(), Material.id.desc())))
    uses: dict[int, list[MaterialUse]] = {}
    for use in sess.scalars(select(MaterialUse).where(MaterialUse.account_id == account.id)
                            .order_by(MaterialUse.id)):
        if use.material_id is not None:
            uses.setdefault(use.material_id, []).append(use)
    return [material_view(row, uses.get(row.id, [])) for row in rows]


def find_own(account: Account, public_id: str, *, svc: Services) -> Material:
    """The account's entry ``public_id``; someone else's answers 404 like a missing one, audited in the log and
    in the owner's access log."""
    if not plausible_id(public_id):
        raise NotFound()
    sess = session()
    row = sess.scalar(select(Material).where(Material.public_id == public_id))
    if row is not None and row.account_id == account.id:
        return row
    if row is not None:
        access_log.record(sess, at=svc.clock.now(), event="access_denied", source="app", account_id=row.account_id,
                          actor=account, hall_code=None, counter_code=None, fields=[FIELD])
        sess.commit()
        access_denied("material", account)
    raise NotFound()


def open_blob(digest: str, svc: Services) -> BinaryIO:
    """The stored bytes of ``digest``; 503 when the store cannot give them."""
    try:
        return svc.files.get(digest)
    except Exception as exc:  # missing or unreachable: the row promised a file, so this is the store's fault
        log.warning("upload store read failed", extra={"error": type(exc).__name__})
        raise ServiceUnavailable(headers={"Retry-After": "5"}) from None


def remove(account: Account, public_id: str, *, svc: Services) -> None:
    """Delete the account's entry; the stored file goes too when no other entry or use names it."""
    row = find_own(account, public_id, svc=svc)
    sess = session()
    digest = row.digest
    sess.execute(select(UploadBlob.digest).where(UploadBlob.digest == digest).with_for_update())
    sess.delete(row)
    sess.flush()
    named = sess.scalar(select(exists().where(Material.digest == digest))) or \
        sess.scalar(select(exists().where(MaterialUse.digest == digest)))
    if not named:
        sess.execute(delete(UploadBlob).where(UploadBlob.digest == digest))
        try:
            svc.files.delete(digest)  # under the row lock: an upload of the same bytes waits and puts them again
        except Exception as exc:
            log.warning("upload store delete failed", extra={"error": type(exc).__name__})
            raise ServiceUnavailable(headers={"Retry-After": "5"}) from None
    sess.commit()
