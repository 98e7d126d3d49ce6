"""Account records: subjects, the sealed ID number, look-ups by what a person types, and the owner's view."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from ..container import Services
from ..db import session
from ..models import Account
from ..pii import mask_id_number, mask_phone
from .levels import LEVEL_NAMES
from .schemas import PHONE_RE

__all__ = ["new_subject", "set_id_number", "read_id_number", "find_account", "find_by_id_number", "account_view"]


def new_subject() -> str:
    """An opaque, unguessable subject id for tokens and URLs."""
    return "u_" + uuid.uuid4().hex


def set_id_number(account: Account, id_number: str, *, svc: Services) -> None:
    """Store the ID number encrypted and bound to this account's row, with its blind index."""
    blob, version = svc.pii.encrypt(id_number, table="accounts", column="id_number", row=account.subject)
    account.id_number_enc = blob
    account.id_number_key_version = version
    account.id_number_bidx = svc.pii.blind_index(id_number)


def read_id_number(account: Account, *, svc: Services) -> str | None:
    """Decrypt the account's ID number (for checks and fresh-login views only)."""
    if account.id_number_enc is None or account.id_number_key_version is None:
        return None
    return svc.pii.decrypt(account.id_number_enc, account.id_number_key_version,
                           table="accounts", column="id_number", row=account.subject)


def find_by_id_number(id_number: str, *, svc: Services) -> Account | None:
    """The account holding this ID number (a frozen account has let go of it)."""
    return session().scalar(select(Account).where(Account.id_number_bidx == svc.pii.blind_index(id_number)))


def find_account(username: str, *, svc: Services) -> Account | None:
    """Resolve a phone number, resident ID number or staff username to its account."""
    name = username.strip()
    sess = session()
    if PHONE_RE.match(name):
        return sess.scalar(select(Account).where(Account.phone == name))
    if len(name) == 18 and name[:17].isascii() and name[:17].isdigit():
        return find_by_id_number(name.upper(), svc=svc)
    return sess.scalar(select(Account).where(Account.username == name))


def account_view(account: Account, *, svc: Services) -> dict[str, Any]:
    """The account as its owner sees it, numbers masked."""
    id_number = read_id_number(account, svc=svc)
    return {
        "subject": account.subject, "role": account.role, "display_name": account.display_name,
        "phone_masked": mask_phone(account.phone) if account.phone else None,
        "id_number_masked": mask_id_number(id_number) if id_number else None,
        "identity_verified": account.identity_verified_at is not None,
        "proofing_level": account.proofing_level, "proofing_level_name": LEVEL_NAMES[account.proofing_level],
        "phone_verified": account.phone_verified_at is not None,
        "licenses_released_at": svc.config.license_release_level,
        "department_code": account.department_code, "hall_code": account.hall_code,
        "counter_code": account.counter_code, "created_at": account.created_at,
    }
