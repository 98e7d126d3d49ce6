"""Demo data for ``make run``: staff of each role and demo citizens, loaded idempotently."""

from __future__ import annotations

from sqlalchemy import select

from wallet.identifiers import resident_id_check_digit

from .auth.passwords import hash_password
from .auth.service import new_subject, set_id_number
from .container import services
from .db import session
from .models import Account

__all__ = ["load_demo_data", "DEMO_STAFF", "DEMO_CITIZENS", "DEMO_PASSWORD"]

DEMO_PASSWORD = "Demo2026pass"

# (username, role, display name, department, hall, counter)
DEMO_STAFF = [
    ("admin", "platform_admin", "平台管理员", None, None, None),
    ("police_admin", "dept_admin", "市公安局管理员", "police", None, None),
    ("hrss_admin", "dept_admin", "市人社局管理员", "hrss", None, None),
    ("hf_admin", "dept_admin", "公积金中心管理员", "housing_fund", None, None),
    ("clerk01", "clerk", "市南区政务服务大厅 1 号窗口", None, "370202-hall-01", "counter-01"),
]


def _id(first17: str) -> str:
    return first17 + resident_id_check_digit(first17)


# (name, ID number, phone)
DEMO_CITIZENS = [
    ("张伟", _id("37020219880312453"), "13800000001"),
    ("王芳", _id("37021219920718262"), "13800000002"),
]


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
    return lines
