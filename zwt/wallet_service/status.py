"""Status lists: one per issuing department, indices handed out atomically, bits derived from the rows.

The license row (and each device-bound credential row) holds its status; changing it bumps the wallet
generation in the same transaction, so the next bundle build packs the new bits. A list is published
with headroom beyond the last index handed out, so credentials issued after a counter's last sync
read as valid rather than ``status_unknown``.

Slots are reused, so a list does not grow without end. A license keeps its slot while it is on record
(one per license). A device-bound credential (one per license and device, what device churn multiplied)
records ``expires_at``: never before the ``exp`` of any presentation that carries its slot. The safety
argument, with ``S`` the counters' allowed clock lag (``CLOCK_SKEW``) and ``M`` a bundle's lifetime
(``MAX_AGE``):

1. A counter accepts a presentation only before its ``exp`` by the counter's clock, so before
   ``expires_at + S`` in real time, using a bundle signed earlier: its ``iat <= expires_at + S``.
   ``build_lists`` keeps a credential's bit in every bundle with ``iat <= expires_at + S``, so a revoked
   or suspended credential reads so for as long as any presentation of it can be accepted.
2. Bundles with a later ``iat`` leave the bit out (nothing can need it).
3. A counter refuses a bundle older than ``M`` by its clock, so from ``expires_at + M + 2S`` on every
   bundle any counter still uses has ``iat > expires_at + S``: none of them carries the old bit.
   Only then (``REUSE_AFTER``) does ``claim_slot`` hand the slot to a new credential, in place on the old
   row (a conditional UPDATE, so a presentation extending the slot and a takeover never both win).

So a reused slot's fresh "valid" bit never speaks for an old revoked credential, and no stale bundle
reads an old revoked bit against the newcomer. Both bit rules use the bundle's ``iat`` (the start of its
refresh period), so every node builds the same content for the same (generation, iat), and neither an
expiry passing nor a takeover changes a bit that any current bundle holds: no generation bump is needed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wallet.status_list import INVALID, SUSPENDED, StatusList
from wallet.trust import CLOCK_SKEW, MAX_AGE

from ..models import DeviceCredential, StatusListRow, WalletLicense
from .keys import bump_wallet_generation

__all__ = ["HEADROOM", "CODES", "SLOT_EXTENSION", "REUSE_AFTER", "list_uri", "list_for", "allocate", "allocate_for",
           "claim_slot", "extend_slot", "published_size", "build_lists"]

HEADROOM = 8192
CODES = {"revoked": INVALID, "suspended": SUSPENDED, "expired": INVALID}  # expired: by its issuer, before its date
#: A slot's ``expires_at`` is pushed this far past the ``exp`` that needed it, so one presentation an hour
#: writes it, not every one.
SLOT_EXTENSION = 3600
#: How long after ``expires_at`` a slot may go to another credential (see the module's safety argument).
REUSE_AFTER = MAX_AGE + 2 * CLOCK_SKEW
_TAKE_TRIES = 3
_LISTS = StatusListRow.__table__

_REUSABLE = (select(DeviceCredential.id, DeviceCredential.status_idx)
             .where(DeviceCredential.status_list_id == bindparam("list_id"),
                    DeviceCredential.expires_at < bindparam("cutoff", type_=DeviceCredential.expires_at.type))
             .order_by(DeviceCredential.expires_at, DeviceCredential.id).limit(_TAKE_TRIES))


def published_size(next_index: int) -> int:
    """Entries a list is published with: the indices handed out, rounded up with headroom."""
    return (next_index // HEADROOM + 1) * HEADROOM


def list_uri(department_code: str) -> str:
    """The URI of a department's status list (fixed, so presenting needs no query for it)."""
    return f"urn:zwt:sl:{department_code}"


def list_for(sess: Session, department_code: str) -> StatusListRow:
    """The department's status list row, created on first use (race-safe through a savepoint). A new list bumps
    the wallet generation: a bundle built before it holds no list of that URI, and a counter holding that
    bundle would answer ``status_unknown`` for the department's codes until something else moved it."""
    row = sess.scalar(select(StatusListRow).where(StatusListRow.department_code == department_code))
    if row is not None:
        return row
    try:
        with sess.begin_nested():
            row = StatusListRow(uri=list_uri(department_code), department_code=department_code, next_index=0)
            sess.add(row)
    except IntegrityError:
        row = sess.scalar(select(StatusListRow).where(StatusListRow.department_code == department_code))
        assert row is not None
        return row
    bump_wallet_generation(sess)
    return row


def _handed_out(sess: Session, end: int, count: int) -> int:
    """The first of ``count`` indices ending before ``end``; bumps the generation when the list outgrew its
    published size (counters need the bigger list)."""
    first = end - count
    if published_size(first) != published_size(end):
        bump_wallet_generation(sess)
    return first


def allocate(sess: Session, row: StatusListRow, count: int = 1) -> int:
    """Hand out ``count`` consecutive indices (atomic on both databases); return the first."""
    end = sess.execute(update(StatusListRow).where(StatusListRow.id == row.id)
                       .values(next_index=StatusListRow.next_index + count)
                       .returning(StatusListRow.next_index)).scalar_one()
    return _handed_out(sess, int(end), count)


_TAKE = (update(_LISTS).where(_LISTS.c.department_code == bindparam("department"))
         .values(next_index=_LISTS.c.next_index + bindparam("count"))
         .returning(_LISTS.c.id, _LISTS.c.next_index))


def allocate_for(sess: Session, department_code: str, count: int = 1) -> tuple[int, int]:
    """(list id, first index) of ``count`` consecutive indices of the department's list, read and moved in one
    statement (``UPDATE ... RETURNING``, PostgreSQL and SQLite >= 3.35); the list is created on first use."""
    taken = sess.execute(_TAKE, {"department": department_code, "count": count}).first()
    if taken is None:
        row = list_for(sess, department_code)
        return row.id, allocate(sess, row, count)
    return int(taken.id), _handed_out(sess, int(taken.next_index), count)


def _instant(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)


def extend_slot(sess: Session, *, license_id: int, device_id: int, index: int, exp: dt.datetime) -> bool:
    """Make the (license, device) slot ``index`` outlive ``exp``; False when another credential took it over."""
    until = exp + dt.timedelta(seconds=SLOT_EXTENSION)
    later = case((DeviceCredential.expires_at > until, DeviceCredential.expires_at), else_=until)
    done = sess.execute(update(DeviceCredential)
                        .where(DeviceCredential.license_id == license_id, DeviceCredential.device_id == device_id,
                               DeviceCredential.status_idx == index)
                        .values(expires_at=later).execution_options(synchronize_session=False))
    return bool(done.rowcount)


def claim_slot(sess: Session, row: StatusListRow, *, license_id: int, device_id: int, now: float,
               exp: dt.datetime) -> int:
    """The slot of a new (license, device) credential: a long-expired one taken over, else a fresh index."""
    until = exp + dt.timedelta(seconds=SLOT_EXTENSION)
    cutoff = _instant(now - REUSE_AFTER)
    for cred_id, index in sess.execute(_REUSABLE, {"list_id": row.id, "cutoff": cutoff}).all():
        taken = sess.execute(update(DeviceCredential)
                             .where(DeviceCredential.id == cred_id, DeviceCredential.expires_at < cutoff)
                             .values(license_id=license_id, device_id=device_id, status="valid",
                                     created_at=_instant(now), expires_at=until)
                             .execution_options(synchronize_session=False))
        if taken.rowcount:
            return int(index)
    cred = DeviceCredential(license_id=license_id, device_id=device_id, status="valid", status_list_id=row.id,
                            status_idx=allocate(sess, row), created_at=_instant(now), expires_at=until)
    sess.add(cred)
    sess.flush()
    return cred.status_idx


def build_lists(sess: Session, *, iat: int) -> dict[str, StatusList]:
    """Pack every department's list, as of a bundle issued at ``iat``, from the rows whose status is not
    valid (O(revoked), not O(all)); a device-bound credential's bit only while a presentation carrying it
    may still be accepted (see the module's safety argument)."""
    out: dict[str, StatusList] = {}
    still_needed = DeviceCredential.expires_at.is_(None) | (DeviceCredential.expires_at >= _instant(iat - CLOCK_SKEW))
    for row in sess.scalars(select(StatusListRow).order_by(StatusListRow.id)):
        statuses: dict[int, int] = {}
        for idx, status in sess.execute(select(WalletLicense.status_idx, WalletLicense.status)
                                        .where(WalletLicense.status_list_id == row.id,
                                               WalletLicense.status != "valid")):
            statuses[idx] = CODES[status]
        # A device-bound credential is as bad as its own slot or its license, whichever is worse.
        bound = (select(DeviceCredential.status_idx, DeviceCredential.status, WalletLicense.status)
                 .join(WalletLicense, WalletLicense.id == DeviceCredential.license_id)
                 .where(DeviceCredential.status_list_id == row.id, still_needed)
                 .where((DeviceCredential.status != "valid") | (WalletLicense.status != "valid")))
        for idx, own, parent in sess.execute(bound):
            codes = [CODES[s] for s in (own, parent) if s != "valid"]
            statuses[idx] = INVALID if INVALID in codes else SUSPENDED
        out[row.uri] = StatusList.from_statuses(published_size(row.next_index), statuses)
    return out
