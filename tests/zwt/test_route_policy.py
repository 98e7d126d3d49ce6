"""The route policy table: every route declares who may call it, the contract agrees, and the guards enforce it.

The table comes from ``app.url_map`` and the policy each view's guard decorator recorded (``zwt/policy.py``),
so a route added later is tried here as soon as it exists, and fails the suite until its view declares one.
"""

from __future__ import annotations

import re

import pytest
import yaml

from zwt.auth.tokens import issue_token_pair
from zwt.db import session
from zwt.docs import SPEC_PATH
from zwt.models import ROLES, Account
from zwt.policy import ANONYMOUS, CALLERS, route_table, undeclared

from .catalog_admin_helpers import register_departments

UNDOCUMENTED = {"static", "swagger_ui.show"}  # as in test_openapi: framework static files, Swagger UI assets
STAFF_SCOPE = {"clerk": {"hall_code": "370202-hall-01", "counter_code": "counter-01"},
               "dept_admin": {"department_code": "police"}, "platform_admin": {}}


def test_every_route_declares_who_may_call_it(app):
    """A view that declares no policy fails, naming the decorators that declare one."""
    missing = undeclared(app)
    assert not missing, "\n".join(
        f"{row.method} {row.rule} (endpoint {row.endpoint}) declares no roles: decorate its view, under the "
        f"route decorator, with @require_roles(...) or @require_refresh_token from zwt.auth.guards, or with "
        f"@public (anyone) or @department_signed (a department's RFC 9421 signature) from zwt.policy"
        for row in missing)


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_the_contract_states_each_routes_policy(app):
    """openapi.yaml's ``security`` names the token the guard asks for (none for a public route), and an
    operation that admits only some roles documents 403."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    scheme = {"none": [], "access": [{"accessToken": []}], "refresh": [{"refreshToken": []}],
              "signature": [{"httpMessageSignature": []}], "metrics": [{"metricsToken": []}]}
    wrong = []
    for row in route_table(app):
        if row.endpoint in UNDOCUMENTED or row.policy is None:
            continue
        op = spec["paths"][_openapi_path(row.rule)][row.method.lower()]
        if op.get("security", spec.get("security", [])) != scheme[row.policy.token]:
            wrong.append(f"{row.method} {row.rule}: security should be {scheme[row.policy.token]}")
        if row.policy.token == "access" and set(row.policy.roles) != set(ROLES) and "403" not in op["responses"]:
            wrong.append(f"{row.method} {row.rule}: admits only {sorted(row.policy.roles)} but documents no 403")
    assert not wrong, "\n".join(wrong)


def _concrete(rule) -> str:
    """The rule's path with each variable filled: the first choice of an ``any``, else a plausible word."""
    def fill(match: re.Match[str]) -> str:
        converter = match.group(1) or ""
        choices = re.match(r"any\(([^)]*)\)", converter)
        return choices.group(1).split(",")[0].strip() if choices else "x1"

    return re.sub(r"<(?:([^:>]+):)?[^>]+>", fill, rule)


@pytest.fixture
def callers(app, auth):
    """A function minting a fresh token pair (step-up proven) for each role, so no trial spoils the next."""
    register_departments(app)
    citizen = auth.register()
    for role in ("clerk", "dept_admin", "platform_admin"):
        auth.staff(role, f"policy_{role}", **STAFF_SCOPE[role])
    subjects = {"citizen": citizen.subject}
    with app.app_context():
        for role in ("clerk", "dept_admin", "platform_admin"):
            subjects[role] = session().query(Account).filter_by(username=f"policy_{role}").one().subject

    def mint(role: str) -> dict[str, str]:
        with app.test_request_context():
            account = session().query(Account).filter_by(subject=subjects[role]).one()
            pair = issue_token_pair(account, svc=app.extensions["zwt"], fresh=True, amr=["pwd", "sms"])
            session().commit()
        return pair

    return mint


def _guard_answer(response) -> str | None:
    """What the guard said, when it was the guard that answered: ``401`` or ``403``, else None."""
    code = (response.get_json(silent=True) or {}).get("code")
    if response.status_code == 401 and code in {"unauthorized", "token_invalid", "signature_invalid"}:
        return "401"
    if response.status_code == 403 and code == "forbidden":
        return "403"
    return None


def test_each_role_on_each_route_gets_what_the_table_says(app, client, callers):
    """Anonymous and every role try every route and method: the admitted pass the guard, the others get
    401 (no token, an access token where a refresh token is due, any token where a department's signature or
    the metrics token is due) or 403 (a role not admitted)."""
    tried, wrong = 0, []
    for row in route_table(app):
        assert row.policy is not None, f"{row.method} {row.rule} declares no roles"
        path = _concrete(row.rule)
        for caller in CALLERS:
            headers = {}
            if caller != ANONYMOUS:
                pair = callers(caller)
                token = pair["refresh_token"] if row.policy.token == "refresh" else pair["access_token"]
                headers["Authorization"] = f"Bearer {token}"
            response = client.open(path, method=row.method, headers=headers)
            tried += 1
            said = _guard_answer(response)
            if row.policy.admits(caller):
                expected = None
            elif caller == ANONYMOUS or row.policy.token in ("signature", "metrics"):
                expected = "401"
            else:
                expected = "403"
            if said != expected:
                wrong.append(f"{caller} {row.method} {path}: guard said {said}, the table says {expected} "
                             f"({response.status_code} {(response.get_json(silent=True) or {}).get('code')})")
    assert not wrong, "\n".join(wrong)
    assert tried == len(route_table(app)) * len(CALLERS)


def test_an_access_token_where_a_refresh_token_is_due_is_401(app, client, callers):
    """The refresh route admits every role, but only with its refresh token."""
    refresh_routes = [row for row in route_table(app) if row.policy and row.policy.token == "refresh"]
    assert refresh_routes
    for row in refresh_routes:
        for role in ROLES:
            headers = {"Authorization": f"Bearer {callers(role)['access_token']}"}
            response = client.open(_concrete(row.rule), method=row.method, headers=headers)
            assert response.status_code == 401 and response.json["code"] == "token_invalid", (role, row.rule)


def test_a_guard_naming_an_unknown_role_is_refused_at_import():
    """A typo in a role would declare a route nobody can call: the decorator refuses it."""
    from zwt.auth.guards import require_roles

    with pytest.raises(ValueError, match="dept_admn"):
        require_roles("dept_admn")
