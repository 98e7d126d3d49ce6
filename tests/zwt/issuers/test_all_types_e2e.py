"""Every one of the 21 license types, end to end over HTTP (issue #21): from its department into the holder's
wallet, presented, verified offline against the synced trust bundle, revoked at the source, and ``revoked``
offline after the next sync.

How each type arrives depends on its department: the push departments sign their sandbox records with the
production ``IssuingClient``; the feed departments (natural resources, education) serve their sandbox log,
which ``flask issuers pull`` reads; police, social security and the housing fund hand theirs over through
their bespoke adapters at sign-up. Every department revokes the same way, through the standard interface:
an adapter-sourced license is first issued there under its own serial (the ledger links it to the wallet
license the adapter made), then revoked.
"""

from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest

from services_catalog.issuing import IssuingClient, IssuingRefused
from services_catalog.sandbox import sandbox_license_feeds
from services_catalog.sandbox.citizens import DEMO_CITIZENS, KIND_LICENSE_TYPES
from services_catalog.sandbox.issued import DEPARTMENT_RECORDS, DEPARTMENT_TYPES
from services_catalog.sandbox.issuers import FEED_DEPARTMENTS, SandboxIssuer, sandbox_issuers
from services_catalog.records import LicenseRecord
from wallet.license_types import REGISTRY
from wallet.verify import verify
from zwt.issuers.demo import PosixClock
from zwt.wallet_service.licenses import to_wallet_license

from .signing import DepartmentKey

SEED = b"e2e-all-types"
ADAPTER_DEPARTMENT = {t: kind for kind, types in KIND_LICENSE_TYPES.items() for t in types}
ISSUING_DEPARTMENT = {t: dept for dept, types in DEPARTMENT_TYPES.items() for t in types}


def test_the_sources_cover_every_type_once():
    """The 21 types of the registry are each issued by exactly one source of the demo."""
    assert not set(ADAPTER_DEPARTMENT) & set(ISSUING_DEPARTMENT)
    assert sorted({**ADAPTER_DEPARTMENT, **ISSUING_DEPARTMENT}) == sorted(REGISTRY) and len(REGISTRY) == 21


@pytest.fixture
def issuers() -> dict[str, SandboxIssuer]:
    """The standard-interface departments of this test, keys from a fixed seed."""
    return sandbox_issuers(SEED)


@pytest.fixture
def app(make_app, departments, issuers) -> Iterator[Any]:
    """The app wired to the fake adapter departments and to this test's feed sandboxes."""
    feeds, clients = sandbox_license_feeds([issuers[code] for code in FEED_DEPARTMENTS])
    yield make_app(departments=departments, license_feeds=feeds)
    for client in clients:
        client.close()


def _linking_id(record: dict[str, Any]) -> str:
    holder = record["holder"]
    return str(holder["representative"]["id_number"] if "uscc" in holder else holder["id_number"])


def _demo_index(id_number: str) -> int:
    return next(n for n, demo in enumerate(DEMO_CITIZENS) if demo.citizen.id_number == id_number)


def adapter_issue_record(record: LicenseRecord) -> dict[str, Any]:
    """What an adapter department sends through the standard interface for a license its adapter hands over:
    the same serial, version 1, the fields by their registry names."""
    lic = to_wallet_license(record, "0")  # the fields only: the platform makes the identifier
    return {"op": "issue", "license_type": record.license_type, "serial": record.serial, "version": 1,
            "holder": {"id_number": record.holder_id_number, "name": record.holder_name},
            "issuer_code": record.issuer_code, "issuer_name": record.issuer_name,
            "issued_on": record.issued_on.isoformat(), "valid_from": record.valid_from.isoformat(),
            "valid_until": record.valid_until.isoformat() if record.valid_until else None,
            "fields": dict(lic.fields)}


class Source:
    """Where one license type comes from, and how its department issues and revokes it over HTTP."""

    def __init__(self, world, license_type: str, issuers: dict[str, SandboxIssuer]) -> None:
        self.world, self.license_type = world, license_type
        if license_type in ISSUING_DEPARTMENT:
            self.department = ISSUING_DEPARTMENT[license_type]
            self.issuer = issuers[self.department]
            self.record = next(r for r in DEPARTMENT_RECORDS[self.department] if r["license_type"] == license_type)
            self.mode = "pull" if self.department in FEED_DEPARTMENTS else "push"
            self.index = _demo_index(_linking_id(self.record))
        else:
            self.department, self.mode = ADAPTER_DEPARTMENT[license_type], "adapter"
            self.index, adapter_record = next(
                (n, lic) for n, demo in enumerate(DEMO_CITIZENS) for lic in demo.licenses
                if lic.license_type == license_type)
            self.record = adapter_issue_record(adapter_record)
            self.issuer = SandboxIssuer(self.department, seed=SEED + self.department.encode(),
                                        key_id=f"{self.department}-e2e", records=[self.record])

    def register_key(self) -> None:
        """The platform admin registers the department's key for this type."""
        response = self.world.client.post(
            f"/api/v1/admin/issuers/{self.department}/keys", headers=self.world.staff("platform_admin"),
            json={"key_id": self.issuer.key_id, "allowed_types": [self.license_type],
                  "public_key": DepartmentKey(self.issuer.key_id, self.issuer.private_key).public_key_b64})
        assert response.status_code == 201, response.json

    def client(self, http: httpx.Client) -> IssuingClient:
        """The department's signing push client."""
        return self.issuer.issuing_client(http, PosixClock(self.world.clock))

    def send(self, record: dict[str, Any]) -> None:
        """Push ``record``, or pull the feed it was appended to."""
        if self.mode == "pull":
            result = self.world.app.test_cli_runner().invoke(args=["issuers", "pull", "--department",
                                                                   self.department])
            assert result.exit_code == 0 and "refused=0" in result.output, result.output
            return
        with httpx.Client(transport=httpx.WSGITransport(app=self.world.app), base_url="http://zwt.test") as http:
            report = self.client(http).push(record)
        assert report["stored"] == 1, report

    def issue(self) -> None:
        """The department issues the license (an adapter department's was handed over at sign-up already: it
        issues it through the interface too, so it can revoke it there)."""
        if self.mode != "pull":
            self.register_key()
        self.send(self.record)

    def revoke(self) -> None:
        """The department revokes the license at the source."""
        self.send(self.issuer.revoke(self.record["serial"], "撤销（测试）"))


@pytest.mark.parametrize("license_type", sorted(REGISTRY))
def test_issued_held_presented_verified_revoked_at_source(world, issuers, license_type):
    """Issued -> in the holder's wallet -> presented -> verified offline -> revoked at the source ->
    ``revoked`` offline after a resync."""
    source = Source(world, license_type, issuers)
    citizen = world.citizen(source.index)
    source.issue()
    [lic] = [item for item in world.licenses(citizen) if item["license_type"] == license_type]
    assert lic["status"] == "valid" and lic["department_code"] == source.department
    organisation = "uscc" in source.record["holder"]
    assert lic["held_as"] == ("organisation" if organisation else "self")

    made = world.present(citizen, lic["id"], profile="standard")
    assert made.status_code == 201, made.json
    verdict = verify(made.json["qd1"], world.bundle(), now=world.now)
    assert verdict.valid, (verdict.reason, verdict.message_en)
    assert verdict.license_type == license_type
    assert verdict.fields["holder_name"] == source.record["holder"]["name"]  # an organisation's is its own name

    source.revoke()
    assert [item["status"] for item in world.licenses(citizen) if item["license_type"] == license_type] == [
        "revoked"]
    assert verify(made.json["qd1"], world.bundle(), now=world.now).reason == "revoked"


def test_the_refusals_name_their_reasons(world, issuers):
    """A foreign type, a replayed (old) version and an unknown holder are refused per record, a bad signature as
    a whole; nothing of a refused push is written."""
    source = Source(world, "marriage_certificate", issuers)
    world.citizen(source.index)
    source.issue()
    foreign = next(r for r in DEPARTMENT_RECORDS["market_regulation"] if r["license_type"] == "business_license")
    stranger = dict(source.record, serial="J370202-2015-009999-1",
                    holder={"id_number": "370202198501011235", "name": "张伟"})  # wrong check digit
    changed = dict(source.record, op="change", version=2, issuer_name="青岛市市南区民政局")
    with httpx.Client(transport=httpx.WSGITransport(app=world.app), base_url="http://zwt.test") as http:
        client = source.client(http)
        assert client.push(changed)["stored"] == 1
        for record, reason, field in ((foreign, "type_not_allowed", "license_type"),
                                      (source.record, "stale_version", "version"),  # the first version replayed
                                      (dict(changed, issuer_name="别处"), "version_conflict", "version"),
                                      (stranger, "unknown_holder", "holder.id_number")):
            with pytest.raises(IssuingRefused) as refused:
                client.push(record)
            assert refused.value.status == 422
            [line] = refused.value.problem["records"]
            assert (line["reason"], line["field"]) == (reason, field), line
        forged = IssuingClient(http, source.department, source.issuer.key_id,
                               SandboxIssuer(source.department, seed=b"not the key").private_key,
                               PosixClock(world.clock))
        with pytest.raises(IssuingRefused) as bad:
            forged.push(dict(source.record, op="change", version=3))
        assert bad.value.status == 401 and bad.value.problem["errors"][0]["code"] == "bad_signature"
