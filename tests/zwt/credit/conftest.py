"""Credit fixtures: fake departments, the credit platform's sandbox (steerable) and demo citizens over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services_catalog.fakes import fake_departments
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from services_catalog.sandbox.credit import CreditSandbox, sandbox_credit_platform
from zwt.db import session
from zwt.models import Account


@pytest.fixture
def credit_sandbox():
    """The credit platform's sandbox over the demo people; ``credit_sandbox.script`` scripts its faults."""
    return CreditSandbox()


@pytest.fixture
def app(make_app, credit_sandbox):
    """The app wired to fake departments and the credit sandbox through the production adapter."""
    return make_app(departments=fake_departments(), credit_platform=sandbox_credit_platform(credit_sandbox))


@pytest.fixture
def demo(auth):
    """Register demo citizen ``index`` at level 2 (police and carrier agree) and return them."""

    def register(index: int):
        person = DEMO_CITIZENS[index]
        return auth.register(name=person.citizen.name, id_number=person.citizen.id_number, phone=person.phone)

    return register


def account_of(citizen) -> Account:
    """The citizen's account row, in the current app context's session."""
    return session().scalar(select(Account).where(Account.subject == citizen.subject))


@pytest.fixture
def auth_for():
    """A test client and the sign-up helpers of another app."""
    from ..conftest import AuthActions

    def build(app):
        client = app.test_client()
        return client, AuthActions(client, app)

    return build
