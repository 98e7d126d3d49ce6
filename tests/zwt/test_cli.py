"""Operator commands: staff accounts are created by the CLI with the scope their role needs."""

from __future__ import annotations

import pytest


def test_create_staff_then_login(app, auth):
    """A clerk created by the CLI signs in and is bound to a hall and counter."""
    result = app.test_cli_runner().invoke(args=[
        "create-staff", "--role", "clerk", "--username", "clerk9", "--name", "窗口九",
        "--hall", "370202-hall-01", "--counter", "c9", "--password", "Clerk2026ok"])
    assert result.exit_code == 0, result.output
    token = auth.login("clerk9", "Clerk2026ok").json["access_token"]
    me = auth.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json
    assert (me["role"], me["hall_code"], me["counter_code"]) == ("clerk", "370202-hall-01", "c9")


@pytest.mark.parametrize("args, message", [
    (["--role", "dept_admin"], "--department"),
    (["--role", "clerk", "--hall", "h"], "--counter"),
    (["--role", "platform_admin", "--password", "weak"], "password"),
    (["--role", "citizen"], "Invalid value"),
])
def test_create_staff_refuses_incomplete_scope(app, args, message):
    """Missing scope, a weak password or a citizen role is a usage error that writes nothing."""
    base = ["create-staff", "--username", "x1", "--name", "X"]
    if "--password" not in args:
        base += ["--password", "Staff2026ok"]
    result = app.test_cli_runner().invoke(args=base + args)
    assert result.exit_code != 0 and message in result.output


def _staff_count(app):
    """How many staff accounts exist."""
    from sqlalchemy import func, select

    from zwt.db import session
    from zwt.models import Account

    with app.app_context():
        return session().scalar(select(func.count()).select_from(Account).where(Account.role != "citizen"))


@pytest.mark.parametrize("args, message", [
    (["--role", "dept_admin", "--department", "nosuchdept"], "unknown department 'nosuchdept'"),
    (["--role", "dept_admin", "--department", " "], "--department"),
    (["--role", "clerk", "--hall", "h", "--counter", ""], "--counter"),
    (["--role", "platform_admin", "--department", "police"], "a platform_admin takes no --department"),
    (["--role", "clerk", "--hall", "h", "--counter", "c", "--department", "police"], "--department"),
    (["--role", "dept_admin", "--department", "police", "--hall", "h"], "a dept_admin takes no --hall"),
])
def test_create_staff_refuses_an_unknown_department_or_a_scope_the_role_lacks(app, args, message):
    """An unknown department, a blank scope or a scope of another role is a usage error (exit 2) writing nothing."""
    result = app.test_cli_runner().invoke(args=["create-staff", "--username", "x1", "--name", "X",
                                                "--password", "Staff2026ok", *args])
    assert (result.exit_code, message in result.output) == (2, True), result.output
    assert _staff_count(app) == 0


def test_the_unknown_department_error_lists_the_known_ones(app):
    """The refusal names the departments the service knows: its register, department systems and catalog."""
    from zwt.catalog.demo import load_departments
    from zwt.db import session

    with app.app_context():
        load_departments(session())
        session().commit()
    runner = app.test_cli_runner()
    base = ["create-staff", "--role", "dept_admin", "--name", "X", "--password", "Staff2026ok"]
    refused = runner.invoke(args=[*base, "--username", "x1", "--department", "nosuchdept"])
    assert refused.exit_code == 2 and "market" in refused.output and "housing_fund" in refused.output
    assert runner.invoke(args=[*base, "--username", "x2", "--department", "market"]).exit_code == 0


def test_duplicate_username_is_refused(app):
    """Usernames are unique."""
    runner = app.test_cli_runner()
    args = ["create-staff", "--role", "platform_admin", "--username", "root2", "--name", "R",
            "--password", "Staff2026ok"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "taken" in again.output


def test_load_demo_is_idempotent(app, auth):
    """Loading demo data twice adds nothing the second time, and the demo citizen can sign in."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["load-demo", "--catalog-items", "40"])
    second = runner.invoke(args=["load-demo", "--catalog-items", "40"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert "40 items added" in first.output and "0 items added, 40 already there" in second.output
    accounts = [[line for line in r.output.splitlines() if "username=" in line] for r in (first, second)]
    assert accounts[0] == accounts[1] and len(accounts[0]) >= 5
    assert auth.login("13800000001", "Demo2026pass").status_code == 200
