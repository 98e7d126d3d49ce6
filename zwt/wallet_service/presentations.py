"""Presentations: sign a license for one profile or one service item's needs, bound to a device or not.

Without a device the credential is unbound and short-lived (minutes). With a registered device it is
bound to the device key (``cnf``) for days and carries that device's own status slot, so removing the
device or locking the wallet stops it without touching the license itself. Each bound presentation keeps
its slot's ``expires_at`` past its own ``exp`` (``status.extend_slot``), so the slot is reused only long
after the last presentation carrying it expired (``status.claim_slot``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, Table, and_, bindparam, func, insert, select

from wallet.issuer import china_day, expiry, issue
from wallet.keys import public_key_from_spki

from ..audit import access_denied
from ..auth.levels import require_licenses_released
from ..container import Services
from ..db import session
from ..errors import Conflict, NotFound, ValidationFailed
from ..models import (AccessLogEntry, Account, DeviceCredential, Presentation, WalletDevice, WalletKey, WalletLicense,
                      WalletLock)
from . import access_log, limits
from .keys import signer_for
from .licenses import find_own, shown_status, wallet_license
from .requirements import needs_of
from .runtime import WalletRuntime
from .schemas import plausible_id
from .status import claim_slot, extend_slot, list_for, list_uri

__all__ = ["seal_text", "presentation_text", "Made", "create_presentation", "find_presentation", "etag_of",
           "presentation_view"]


# The presentation endpoint is the hottest write path: its statements are built once, only executed per call.
# One query reads the license, whether the wallet is locked, the kid of the department's active key, the
# account's newest active device and that device's status slot for this license (what took three queries).
_NEWEST_ACTIVE_DEVICE = (select(func.max(WalletDevice.id))
                         .where(WalletDevice.account_id == WalletLicense.account_id, WalletDevice.status == "active")
                         .correlate(WalletLicense).scalar_subquery())
_CONTEXT = (select(WalletLicense, WalletLock.account_id, WalletKey.kid, WalletDevice, DeviceCredential.status_idx,
                   DeviceCredential.expires_at)
            .outerjoin(WalletLock, WalletLock.account_id == WalletLicense.account_id)
            .outerjoin(WalletKey, WalletKey.active_slot == WalletLicense.department_code)
            .outerjoin(WalletDevice, WalletDevice.id == _NEWEST_ACTIVE_DEVICE)
            .outerjoin(DeviceCredential, and_(DeviceCredential.license_id == WalletLicense.id,
                                              DeviceCredential.device_id == WalletDevice.id))
            .where(WalletLicense.public_id == bindparam("public_id")))
_NAMED_DEVICE = select(WalletDevice).where(WalletDevice.account_id == bindparam("account_id"),
                                           WalletDevice.status == "active",
                                           WalletDevice.public_id == bindparam("device_id"))
_SLOT = select(DeviceCredential.status_idx, DeviceCredential.expires_at).where(
    DeviceCredential.license_id == bindparam("license_id"), DeviceCredential.device_id == bindparam("device_id"))
_INSERT = Presentation.__table__.insert()
_PRESENTATION_COLUMNS = ("public_id", "account_id", "license_id", "device_id", "kid", "profile", "impl_code", "fields",
                         "text_enc", "text_key_version", "text_digest", "issued_at", "expires_at")
_BOTH: dict[tuple[str, ...], Insert] = {}  # by the log row's columns: one statement per shape, built once


def _values(table: Table, prefix: str, names: tuple[str, ...]) -> dict[Any, Any]:
    """Bound parameters ``prefix + name`` for these columns of ``table``, typed like the columns."""
    return {table.c[name]: bindparam(prefix + name, type_=table.c[name].type) for name in names}


def _insert_both(log_columns: tuple[str, ...]) -> Insert:
    """One statement writing the presentation and its log row: a data-modifying CTE (PostgreSQL only).

    Two INSERTs are two round trips, and on PostgreSQL a round trip is what a presentation costs most.
    """
    found = _BOTH.get(log_columns)
    if found is None:
        presentation = insert(Presentation.__table__).values(
            _values(Presentation.__table__, "p_", _PRESENTATION_COLUMNS)).cte("presented")
        log_table = AccessLogEntry.__table__
        found = _BOTH[log_columns] = insert(log_table).values(_values(log_table, "l_", log_columns)).add_cte(
            presentation)
    return found


@dataclass(frozen=True, slots=True)
class Context:
    """What a presentation of one license needs to know before it is signed."""

    row: WalletLicense
    locked: bool
    active_kid: str | None
    device: WalletDevice | None  # the account's newest active device
    slot: int | None  # that device's status index for this license, when allocated
    slot_expires: dt.datetime | None  # when that slot may stop being needed (``DeviceCredential.expires_at``)


@dataclass(frozen=True, slots=True)
class Made:
    """A presentation just signed and stored: the columns of its row and its device's public id."""

    public_id: str
    account_id: int
    license_id: int
    device_id: int | None
    kid: str
    profile: str
    impl_code: str | None
    fields: list[str]
    text: str  # in memory for the answer only; the row keeps it sealed
    text_enc: bytes
    text_key_version: int
    text_digest: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    device_public_id: str | None

    def row_values(self) -> dict[str, Any]:
        """The values of its ``wallet_presentations`` row."""
        return {name: getattr(self, name) for name in _PRESENTATION_COLUMNS}


def seal_text(public_id: str, text: str, svc: Services) -> tuple[bytes, int, str]:
    """The sealed text of a presentation row, its key version and its digest."""
    blob, version = svc.pii.encrypt(text, table="wallet_presentations", column="text", row=public_id)
    return blob, version, hashlib.sha256(text.encode()).hexdigest()


def presentation_text(presentation: Presentation, svc: Services) -> str:
    """Open a stored presentation's text; 404 for a row from before texts were sealed."""
    if presentation.text_enc is None or presentation.text_key_version is None:
        raise NotFound()
    return svc.pii.decrypt(presentation.text_enc, presentation.text_key_version, table="wallet_presentations",
                           column="text", row=presentation.public_id)


def _context(account: Account, license_id: str, svc: Services) -> Context:
    """The account's license with what a presentation of it needs.

    A missing or foreign license is a 404 that goes the audited ``find_own`` way.
    """
    found = session().execute(_CONTEXT, {"public_id": license_id}).first() if plausible_id(license_id) else None
    if found is None or found[0].account_id != account.id:
        find_own(account, license_id, svc=svc)  # raises NotFound (and audits a foreign license)
        raise NotFound()  # pragma: no cover - find_own returned for a row this query did not find
    row, locked_by, active_kid, device, slot, slot_expires = found
    return Context(row, locked_by is not None, active_kid, device, slot, slot_expires)


Slot = tuple[int, dt.datetime | None]  # a status index and its ``expires_at``


def _device_for(account: Account, device_id: str | None, ctx: Context) -> tuple[WalletDevice | None, Slot | None]:
    """The device to bind to and its slot when known: the one named, else the newest active one, else none."""
    if device_id is None or (ctx.device is not None and ctx.device.public_id == device_id):
        return ctx.device, None if ctx.slot is None else (ctx.slot, ctx.slot_expires)
    sess = session()
    device = sess.scalar(_NAMED_DEVICE, {"account_id": account.id, "device_id": device_id})
    if device is None:
        raise ValidationFailed.field("device_id", "unknown_device")
    found = sess.execute(_SLOT, {"license_id": ctx.row.id, "device_id": device.id}).first()
    return device, None if found is None else (found[0], found[1])


def _credential_slot(row: WalletLicense, device: WalletDevice, slot: Slot | None, exp: dt.datetime,
                     svc: Services) -> tuple[str, int]:
    """The status slot (list URI, index) of this license on this device, kept alive past ``exp``.

    A slot whose ``expires_at`` already covers ``exp`` costs no write: it is later than now, so no takeover
    can have it. Otherwise it is extended, or, on first use or when it was taken over meanwhile, claimed.
    """
    sess = session()
    if slot is not None:
        index, expires = slot
        if expires is not None and expires >= exp:
            return list_uri(row.department_code), index
        if extend_slot(sess, license_id=row.id, device_id=device.id, index=index, exp=exp):
            return list_uri(row.department_code), index
    status_list = list_for(sess, row.department_code)
    return status_list.uri, claim_slot(sess, status_list, license_id=row.id, device_id=device.id,
                                       now=svc.clock.timestamp(), exp=exp)


def create_presentation(account: Account, license_id: str, data: dict[str, Any], *, svc: Services,
                        rt: WalletRuntime, bind: bool = True) -> Made:
    """Sign a presentation of the account's license and log it, in one transaction (per-account limit).

    ``bind=False`` signs it unbound even when the account has a device: a credential handed to a department
    with an application, which no device will present."""
    require_licenses_released(account, svc.config)
    limits.spend("presentation", account, svc=svc)
    ctx = _context(account, license_id, svc)
    row = ctx.row
    if ctx.locked:
        raise Conflict("wallet_locked")
    now = svc.clock.now()
    status = shown_status(row, china_day(now))
    if status != "valid":
        raise Conflict(f"license_{status}")
    impl_code = data.get("impl_code")
    if impl_code:
        fields: tuple[str, ...] | str = needs_of(impl_code).fields_for(row.license_type)
        profile = "custom"
    else:
        profile = data.get("profile") or "standard"
        fields = profile
    device, slot = _device_for(account, data.get("device_id"), ctx) if bind else (None, None)
    signer = rt.signers.get(ctx.active_kid or "") or signer_for(row.department_code, svc, rt.signers)
    lic = wallet_license(row, svc)
    issued = int(now.timestamp())
    validity = svc.config.presentation_bound_seconds if device else svc.config.presentation_unbound_seconds
    exp = expiry(lic, now=issued, validity=validity)
    assert exp is not None  # a validity is always given
    expires_at = dt.datetime.fromtimestamp(exp, dt.timezone.utc)
    if device is not None:
        uri, idx = _credential_slot(row, device, slot, expires_at, svc)
        device_key = public_key_from_spki(device.public_key)
    else:
        uri, idx = list_uri(row.department_code), row.status_idx
        device_key = None
    text = issue(lic, fields, signer.private_key, now=issued, status=(uri, idx), device_key=device_key,
                 validity=validity, kid=signer.kid)
    disclosed = list(lic.view(fields).fields)
    public_id = "prs_" + uuid.uuid4().hex
    sealed, version, digest = seal_text(public_id, text, svc)
    made = Made(public_id=public_id, account_id=account.id, license_id=row.id,
                device_id=device.id if device else None, kid=signer.kid.hex(), profile=profile, impl_code=impl_code,
                fields=disclosed, text=text, text_enc=sealed, text_key_version=version, text_digest=digest,
                issued_at=now, expires_at=expires_at,
                device_public_id=device.public_id if device else None)
    logged = access_log.row_values(at=now, event="presented", source="app", license=row, actor=account,
                                   impl_code=impl_code, fields=disclosed, hall_code=None, counter_code=None,
                                   detail={"holder_bound": device is not None, "profile": profile})
    # Both rows are plain INSERTs on the session's connection, back to back and then committed: the ORM's
    # unit of work cost more than both inserts and the commit together, and on SQLite the write lock is
    # held only from the first INSERT to the commit, so nothing else runs in between. PostgreSQL takes
    # both in one statement (one round trip); SQLite has no INSERT inside WITH.
    sess = session()
    conn = sess.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(_insert_both(tuple(logged)), {**{"p_" + k: v for k, v in made.row_values().items()},
                                                   **{"l_" + k: v for k, v in logged.items()}})
    else:
        conn.execute(_INSERT, made.row_values())
        conn.execute(access_log.INSERT, logged)
        limits.recount_presentations(account, svc=svc)
    sess.commit()
    return made


def find_presentation(account: Account, presentation_id: str) -> Presentation:
    """The account's presentation; anyone else's answers 404 like a missing one, and is audited."""
    if not plausible_id(presentation_id):
        raise NotFound()
    found = session().scalar(select(Presentation).where(Presentation.public_id == presentation_id))
    if found is None:
        raise NotFound()
    if found.account_id != account.id:
        access_denied("presentation", account)
        raise NotFound()
    return found


def etag_of(presentation: Presentation, kind: str) -> str:
    """A strong ETag of one rendering (the same text always renders to the same image), without opening it."""
    if presentation.text_digest is None:
        raise NotFound()
    return '"' + hashlib.sha256(f"{kind}|{presentation.text_digest}".encode()).hexdigest()[:32] + '"'


def presentation_view(presentation: Made, license_public_id: str, base: str) -> dict[str, Any]:
    """What the app gets back: the QD1 text, its expiry, what it discloses and where its images are."""
    return {
        "id": presentation.public_id, "license_id": license_public_id, "qd1": presentation.text,
        "holder_bound": presentation.device_id is not None, "device_id": presentation.device_public_id,
        "profile": presentation.profile, "impl_code": presentation.impl_code, "fields": presentation.fields,
        "kid": presentation.kid, "issued_at": presentation.issued_at, "expires_at": presentation.expires_at,
        "png_url": f"{base}/api/v1/me/presentations/{presentation.public_id}/qr.png",
        "svg_url": f"{base}/api/v1/me/presentations/{presentation.public_id}/qr.svg",
    }
