"""Issuing fixtures: the wallet's world (fake departments, citizens over HTTP) plus a department that pushes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services_catalog.sandbox.citizens import DEMO_CITIZENS
from wallet.identifiers import resident_id_check_digit, unified_credit_code_check_char
from wallet.license_samples import sample_parts
from wallet.license_types import REGISTRY

from ..wallet import conftest as wallet_fixtures
from .signing import DepartmentKey, jsonl

# The wallet's fixtures, reused: fake departments, the app wired to them, citizens and staff over HTTP.
World = wallet_fixtures.World
app, departments, world = wallet_fixtures.app, wallet_fixtures.departments, wallet_fixtures.world

MARKET = "market_regulation"
CIVIL = "civil_affairs"


def uscc(seq: int) -> str:
    """A valid unified social credit code with letters in it (never mistaken for an ID number)."""
    body = f"91370200MA{seq:06d}X"[:17]
    return body + unified_credit_code_check_char(body)


def resident_id(seq: int) -> str:
    """A valid Qingdao resident ID number nobody in the demo has."""
    first17 = f"37020219800101{seq:03d}"
    return first17 + resident_id_check_digit(first17)


def record(license_type: str, serial: str, *, version: int = 1, op: str = "issue", holder_id: str | None = None,
           holder_name: str = "张伟", organisation: str | None = None, today=None, **changes: Any) -> dict[str, Any]:
    """A complete, valid contract record of any type; ``organisation`` (a USCC) makes it an organisation's."""
    import datetime as dt

    ltype = REGISTRY[license_type]
    holder_id = holder_id or DEMO_CITIZENS[0].citizen.id_number
    code = organisation or holder_id
    parts = sample_parts(ltype, holder_name if organisation is None else "青岛海岸咖啡有限公司", code, serial.upper()[:32]
                         .replace("-", ""), today or dt.date(2026, 11, 26))
    holder: dict[str, Any] = ({"id_number": holder_id, "name": holder_name} if organisation is None else
                              {"uscc": organisation, "name": parts["holder_name"],
                               "representative": {"id_number": holder_id, "name": holder_name}})
    out = {"op": op, "license_type": license_type, "serial": serial, "version": version, "holder": holder,
           "issuer_code": parts["issuer_code"], "issuer_name": "青岛市发证机关", "issued_on":
           parts["valid_from"].isoformat(), "valid_from": parts["valid_from"].isoformat(),
           "valid_until": parts["valid_until"].isoformat() if parts["valid_until"] else None,
           "fields": dict(parts["fields"])}
    out.update(changes)
    return out


def status(license_type: str, serial: str, op: str, version: int, reason: str | None = None) -> dict[str, Any]:
    """A suspend / reinstate / revoke / expire record."""
    out: dict[str, Any] = {"op": op, "license_type": license_type, "serial": serial, "version": version}
    if reason:
        out["reason"] = reason
    return out


class Issuer:
    """A department pushing signed records, and the platform admin who registered its key."""

    def __init__(self, world: World, department: str, types: list[str]) -> None:
        self.world, self.department = world, department
        self.admin = world.staff("platform_admin")
        self.key = DepartmentKey(f"{department}-key-1")
        response = world.client.post(f"/api/v1/admin/issuers/{department}/keys", headers=self.admin, json={
            "key_id": self.key.key_id, "public_key": self.key.public_key_b64, "allowed_types": types})
        assert response.status_code == 201, response.json

    @property
    def path(self) -> str:
        """Where the department pushes."""
        return f"/api/v1/issuers/{self.department}/licenses"

    def send(self, body: bytes, content_type: str, *, key: DepartmentKey | None = None, created: int | None = None,
             headers: dict[str, str] | None = None):
        """POST a signed body (``headers`` replace signed ones, to tamper)."""
        signed = (key or self.key).sign(self.department, body, content_type,
                                        created=self.world.now if created is None else created)
        signed.update(headers or {})
        return self.world.client.post(self.path, data=body, headers=signed)

    def push(self, *records: dict[str, Any], **kwargs: Any):
        """Push one record as application/json, several as application/jsonl."""
        if len(records) == 1:
            return self.send(json.dumps(records[0], ensure_ascii=False).encode(), "application/json", **kwargs)
        return self.send(jsonl(list(records)), "application/jsonl", **kwargs)


@pytest.fixture
def market(world):
    """The market regulator, allowed to push business licenses and food business permits."""
    return Issuer(world, MARKET, ["business_license", "food_business_permit"])


@pytest.fixture
def civil(world):
    """Civil affairs, allowed to push marriage certificates only."""
    return Issuer(world, CIVIL, ["marriage_certificate"])
