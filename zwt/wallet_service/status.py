"""Status lists: one per issuing department, indices handed out atomically, bits derived from the rows.

The license row (and each device-bound credential row) holds its status; changing it bumps the wallet
generation in the same transaction, so the next bundle build packs the new bits. A list is published
with headroom beyond the last index handed out, so credentials issued after a counter's last sync
read as valid rather than ``status_unknown``.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wallet.status_list import INVALID, SUSPENDED, StatusList

from ..models import DeviceCredential, StatusListRow, WalletLicense
from .keys import bump_wallet_generation

__all__ = ["HEADROOM", "CODES", "list_uri", "list_for", "allocate", "published_size", "build_lists"]

HEADROOM = 8192
CODES = {"revoked": INVALID, "suspended": SUSPENDED}


def published_size(next_index: int) -> int:
    """Entries a list is published with: the indices handed out, rounded up with headroom."""
    return (next_index // HEADROOM + 1) * HEADROOM


def list_uri(department_code: str) -> str:
    """The URI of a department's status list (fixed, so presenting needs no query for it)."""
    return f"urn:zwt:sl:{department_code}"


def list_for(sess: Session, department_code: str) -> StatusListRow:
    """The department's status list row, created on first use (race-safe through a savepoint)."""
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


def allocate(sess: Session, row: StatusListRow, count: int = 1) -> int:
    """Hand out ``count`` consecutive indices (atomic on both databases); return the first."""
    end = sess.execute(update(StatusListRow).where(StatusListRow.id == row.id)
                       .values(next_index=StatusListRow.next_index + count)
                       .returning(StatusListRow.next_index)).scalar_one()
    first = int(end) - count
    if published_size(first) != published_size(end):
        bump_wallet_generation(sess)  # the list grew past its published size: counters need the bigger list
    return first


def build_lists(sess: Session) -> dict[str, StatusList]:
    """Pack every department's list from the rows whose status is not valid (O(revoked), not O(all))."""
    out: dict[str, StatusList] = {}
    for row in sess.scalars(select(StatusListRow).order_by(StatusListRow.id)):
        statuses: dict[int, int] = {}
        for idx, status in sess.execute(select(WalletLicense.status_idx, WalletLicense.status)
                                        .where(WalletLicense.status_list_id == row.id,
                                               WalletLicense.status != "valid")):
            statuses[idx] = CODES[status]
        # A device-bound credential is as bad as its own slot or its license, whichever is worse.
        bound = (select(DeviceCredential.status_idx, DeviceCredential.status, WalletLicense.status)
                 .join(WalletLicense, WalletLicense.id == DeviceCredential.license_id)
                 .where(DeviceCredential.status_list_id == row.id)
                 .where((DeviceCredential.status != "valid") | (WalletLicense.status != "valid")))
        for idx, own, parent in sess.execute(bound):
            codes = [CODES[s] for s in (own, parent) if s != "valid"]
            statuses[idx] = INVALID if INVALID in codes else SUSPENDED
        out[row.uri] = StatusList.from_statuses(published_size(row.next_index), statuses)
    return out
