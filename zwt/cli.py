"""Operator commands: migrate, create staff accounts, load demo data, rotate PII keys (and the groups of each part)."""

from __future__ import annotations

import getpass
from typing import Any

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from .container import Services, services
from .db import session
from .i18n import field_texts
from .models import Account, Department, ServiceItemRow

__all__ = ["register"]


def register(app: Flask) -> None:
    """Attach the commands to ``flask --app app``."""

    @app.cli.command("db-upgrade")
    @click.option("--revision", default="head", show_default=True)
    def db_upgrade(revision: str) -> None:
        """Apply database migrations (Alembic), as ZWT_MIGRATION_DATABASE_URL's role when set (then grant the
        service's role its rights)."""
        from .migrate import grant_service_role, upgrade

        cfg = services().config
        owner_url = cfg.migration_database_url or cfg.database_url
        upgrade(owner_url, revision)
        click.echo(f"database at revision {revision}")
        role = grant_service_role(owner_url, cfg.database_url)
        if role:
            click.echo(f"granted the service role {role} its rights (the access log: SELECT and INSERT only)")

    @app.cli.command("create-staff")
    @click.option("--role", type=click.Choice(list(_SCOPE)), required=True)
    @click.option("--username", required=True)
    @click.option("--name", "display_name", required=True)
    @click.option("--department", "department_code", default=None, help="dept_admin: department code")
    @click.option("--hall", "hall_code", default=None, help="clerk: service hall code")
    @click.option("--counter", "counter_code", default=None, help="clerk: counter code")
    @click.option("--password", default=None, help="prompted when omitted")
    def create_staff(**opts: Any) -> None:
        """Create a clerk, department admin or platform admin (staff never sign up publicly)."""
        password = opts.pop("password") or getpass.getpass("password: ")
        account = create_staff_account(password=password, **opts)
        click.echo(f"created {account.role} {account.username} ({account.subject})")

    @app.cli.command("rotate-pii-keys")
    def rotate_pii_keys() -> None:
        """Re-encrypt ID numbers sealed under an older key version with the active key."""
        from .auth.accounts import read_id_number, set_id_number

        svc = services()
        done = 0
        for account in session().scalars(select(Account).where(Account.id_number_enc.is_not(None))):
            if svc.pii.needs_rotation(account.id_number_key_version):
                value = read_id_number(account, svc=svc)
                if value:
                    set_id_number(account, value, svc=svc)
                    done += 1
        session().commit()
        click.echo(f"re-encrypted {done} ID numbers under key version {svc.pii.active_version}")

    @app.cli.command("load-demo")
    @click.option("--catalog-items", type=int, default=10_000, show_default=True,
                  help="size of the demo catalog (0 skips it)")
    def load_demo(catalog_items: int) -> None:
        """Load demo accounts and the demo catalog (idempotent) and print the credentials."""
        from .catalog.cli import load_demo_catalog_command
        from .catalog.demo import load_departments
        from .demo import load_demo_data

        if catalog_items:
            load_demo_catalog_command(catalog_items)
        else:  # the department register, which item names come from, even without demo items
            load_departments(session())
            session().commit()
        for line in load_demo_data():
            click.echo(line)

    from .catalog.cli import register as register_catalog
    from .sandbox_cli import register as register_sandbox

    register_catalog(app)
    register_sandbox(app)


# The scope options each staff role takes; any other is refused rather than stored and ignored.
_SCOPE: dict[str, tuple[str, ...]] = {"clerk": ("hall_code", "counter_code"), "dept_admin": ("department_code",),
                                      "platform_admin": ()}
_OPTION = {"hall_code": "--hall", "counter_code": "--counter", "department_code": "--department"}


def known_departments(sess: Session, svc: Services) -> set[str]:
    """Department codes the service knows: the department register, the configured department systems and the
    departments that own catalog items."""
    codes = set(sess.scalars(select(Department.code)))
    codes |= set(sess.scalars(select(ServiceItemRow.department_code).distinct()))
    return codes | set(svc.departments or ())


def create_staff_account(*, role: str, username: str, display_name: str, password: str,
                         department_code: str | None = None, hall_code: str | None = None,
                         counter_code: str | None = None) -> Account:
    """Create a staff account with the scope its role needs; raise ``click.UsageError`` otherwise (exit 2)."""
    from .auth.accounts import new_subject
    from .auth.passwords import hash_password, password_problem

    svc = services()
    sess = session()
    if role not in _SCOPE:
        raise click.UsageError(f"{role} is not a staff role; staff roles: {', '.join(_SCOPE)}")
    given = {"department_code": department_code, "hall_code": hall_code, "counter_code": counter_code}
    missing = [_OPTION[k] for k in _SCOPE[role] if not (given[k] or "").strip()]
    if missing:
        raise click.UsageError(f"a {role} needs {' and '.join(missing)}")
    extra = [_OPTION[k] for k, v in given.items() if v is not None and k not in _SCOPE[role]]
    if extra:
        raise click.UsageError(f"a {role} takes no {' or '.join(extra)}")
    if department_code is not None:
        known = known_departments(sess, svc)
        if department_code not in known:
            raise click.UsageError(f"unknown department {department_code!r}; known: {', '.join(sorted(known))}")
    problem = password_problem(password)
    if problem:
        raise click.UsageError(field_texts(problem, "--password")[1])
    if sess.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise click.UsageError(f"username {username} is taken")
    account = Account(subject=new_subject(), role=role, username=username, display_name=display_name,
                      password_hash=hash_password(password, svc.config.password_hash_method),
                      department_code=department_code, hall_code=hall_code, counter_code=counter_code,
                      status="active", created_at=svc.clock.now())
    sess.add(account)
    sess.commit()
    return account
