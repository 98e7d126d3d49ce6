"""Operator commands: migrate, create staff accounts, load demo data, rotate PII keys."""

from __future__ import annotations

import getpass
from typing import Any

import click
from flask import Flask
from sqlalchemy import select

from .container import services
from .db import session
from .models import ROLES, Account

__all__ = ["register"]


def register(app: Flask) -> None:
    """Attach the commands to ``flask --app app``."""

    @app.cli.command("db-upgrade")
    @click.option("--revision", default="head", show_default=True)
    def db_upgrade(revision: str) -> None:
        """Apply database migrations (Alembic)."""
        from .migrate import upgrade

        upgrade(services().config.database_url, revision)
        click.echo(f"database at revision {revision}")

    @app.cli.command("create-staff")
    @click.option("--role", type=click.Choice([r for r in ROLES if r != "citizen"]), required=True)
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
        from .auth.service import read_id_number, set_id_number

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
        from .demo import load_demo_data

        if catalog_items:
            load_demo_catalog_command(catalog_items)
        for line in load_demo_data():
            click.echo(line)

    from .catalog.cli import register as register_catalog

    register_catalog(app)


def create_staff_account(*, role: str, username: str, display_name: str, password: str,
                         department_code: str | None = None, hall_code: str | None = None,
                         counter_code: str | None = None) -> Account:
    """Create a staff account with the scope its role needs; raise ``click.UsageError`` otherwise."""
    from .auth.passwords import hash_password, password_problem
    from .auth.service import new_subject

    svc = services()
    if role == "dept_admin" and not department_code:
        raise click.UsageError("a dept_admin needs --department")
    if role == "clerk" and not (hall_code and counter_code):
        raise click.UsageError("a clerk needs --hall and --counter")
    if password_problem(password):
        raise click.UsageError("password needs at least 8 characters with letters and digits")
    sess = session()
    if sess.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise click.UsageError(f"username {username} is taken")
    account = Account(subject=new_subject(), role=role, username=username, display_name=display_name,
                      password_hash=hash_password(password, svc.config.password_hash_method),
                      department_code=department_code, hall_code=hall_code, counter_code=counter_code,
                      status="active", created_at=svc.clock.now())
    sess.add(account)
    sess.commit()
    return account
