"""Demo data for ``make run``: staff of each role and demo citizens, loaded idempotently."""

from __future__ import annotations

from sqlalchemy import select

from services_catalog.sandbox.citizens import DEMO_CITIZENS as SANDBOX_CITIZENS

from .auth.passwords import hash_password
from .auth.accounts import new_subject, set_id_number
from .container import Services, services
from .db import session
from .models import Account

__all__ = ["load_demo_data", "DEMO_STAFF", "DEMO_CITIZENS", "DEMO_PASSWORD"]

DEMO_PASSWORD = "Demo2026pass"

# (username, role, display name, department, hall, counter)
DEMO_STAFF = [
    ("admin", "platform_admin", "平台管理员", None, None, None),
    ("police_admin", "dept_admin", "市公安局管理员", "police", None, None),
    # A second police admin, so the two-person rule can be tried: police_admin submits, police_reviewer publishes.
    ("police_reviewer", "dept_admin", "市公安局审核员", "police", None, None),
    ("hrss_admin", "dept_admin", "市人社局管理员", "hrss", None, None),
    ("hf_admin", "dept_admin", "公积金中心管理员", "housing_fund", None, None),
    ("clerk01", "clerk", "市南区政务服务大厅 1 号窗口", None, "370202-hall-01", "counter-01"),
]


# (name, ID number, phone): the sandbox departments' demo citizens, so the police verify them, the carrier
# knows their phones and the departments hold their licenses (ID card, driving licence, vehicle licence,
# social security, housing fund).
DEMO_CITIZENS = [(demo.citizen.name, demo.citizen.id_number, demo.phone) for demo in SANDBOX_CITIZENS]


def load_demo_data() -> list[str]:
    """Create any missing demo account; return lines describing every demo credential."""
    svc = services()
    sess = session()
    method = svc.config.password_hash_method
    lines = [f"demo password for every account: {DEMO_PASSWORD}"]
    for username, role, name, dept, hall, counter in DEMO_STAFF:
        if sess.scalar(select(Account.id).where(Account.username == username)) is None:
            sess.add(Account(subject=new_subject(), role=role, username=username, display_name=name,
                             password_hash=hash_password(DEMO_PASSWORD, method), department_code=dept,
                             hall_code=hall, counter_code=counter, status="active",
                             created_at=svc.clock.now()))
        lines.append(f"  {role:<15} username={username}")
    for name, id_number, phone in DEMO_CITIZENS:
        if sess.scalar(select(Account.id).where(Account.phone == phone)) is None:
            account = Account(subject=new_subject(), role="citizen", display_name=name, phone=phone,
                              password_hash=hash_password(DEMO_PASSWORD, method), status="active",
                              created_at=svc.clock.now())
            set_id_number(account, id_number, svc=svc)
            sess.add(account)
        lines.append(f"  citizen         username={phone} ({name})")
    sess.commit()
    lines.extend(_load_wallet(svc))
    from flask import current_app

    from .issuers.demo import load_issued

    lines.extend(load_issued(current_app._get_current_object(), svc))  # type: ignore[attr-defined]
    lines.extend(_holdings(svc))
    return lines


def _load_wallet(svc: "Services") -> list[str]:
    """Real-name check the demo citizens, fetch their licenses, create the signing keys; describe the result."""
    from .auth.levels import licenses_released
    from .wallet_service.bundle import issuing_departments
    from .wallet_service.keys import ensure_keys
    from .wallet_service.licenses import refresh_licenses

    ensure_keys(svc, [None, *issuing_departments(svc)])
    sess = session()
    lines = ["wallet: signing keys for " + ", ".join(["root", *issuing_departments(svc)]),
             "  counter         hall=370202-hall-01 counter=counter-01 (clerk01 registers its device key)"]
    for name, id_number, phone in DEMO_CITIZENS:
        account = sess.scalar(select(Account).where(Account.phone == phone))
        if account is None:
            continue
        _prove(account, name, id_number, phone, svc)
        if not licenses_released(account, svc.config):
            lines.append(f"  {phone}: proofing level {account.proofing_level} (police or telecom sandbox "
                         "unavailable?), licenses not released")
            continue
        refresh_licenses(account, svc=svc)
        lines.append(f"  {phone} ({name}): proofing level {account.proofing_level}, the adapters' licenses fetched")
    return lines


def _holdings(svc: Services) -> list[str]:
    """Which licenses each demo citizen's wallet holds now (an organisation's marked as such)."""
    from .wallet_service.licenses import licenses_of

    lines = ["wallets:"]
    for name, _id_number, phone in DEMO_CITIZENS:
        account = session().scalar(select(Account).where(Account.phone == phone))
        if account is None:
            continue
        kinds = [row.license_type + (" (organisation)" if row.held_as == "organisation" else "")
                 for row in licenses_of(account)]
        lines.append(f"  {phone} ({name}): {', '.join(kinds) or 'none'}")
    return lines


def _prove(account: Account, name: str, id_number: str, phone: str, svc: Services) -> None:
    """Bring a demo citizen to level 2 as a registration would: police, a phone taken as proven, the carrier."""
    from .auth.identity import check_identity
    from .auth.levels import recompute_level
    from .auth.proofing import carrier_check

    now = svc.clock.now()
    if account.identity_verified_at is None and check_identity(name, id_number, "demo", svc=svc,
                                                               requester="demo") == "match":
        account.identity_verified_at = now
    account.phone_verified_at = account.phone_verified_at or now  # the demo data's own phones
    if account.identity_verified_at is not None and account.carrier_verified_at is None \
            and carrier_check(name, id_number, phone, svc=svc) == "match":
        account.carrier_verified_at = now
    recompute_level(account)
    session().commit()
