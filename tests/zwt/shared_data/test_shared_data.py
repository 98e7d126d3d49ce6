"""Shared department data over HTTP: each source fetched through the adapters and sandboxes, stored with its
digest, refetched with or without change, pending when slow, failed when faulted, every look-up logged."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any, Iterator

import pytest
from sqlalchemy import select

from services_catalog.sandbox import DEMO_DEPARTMENTS, SandboxDepartments, sandbox_departments
from services_catalog.sandbox.registry import PeopleRegistry
from services_catalog.sandbox.shared_demo import demo_shared_record
from services_catalog.shared_records import SHARED_SOURCES, canonical_bytes
from services_catalog.testing import DEMO_CITIZENS
from zwt.masking import FIELD_KINDS, mask
from zwt.models import SharedDataRecord
from zwt.shared_data import store

ZHANG = DEMO_CITIZENS[0]
SOURCES = sorted(SHARED_SOURCES)


@pytest.fixture
def departments() -> Iterator[SandboxDepartments]:
    """The real adapters over the in-process sandboxes (hangs released on teardown)."""
    deps = sandbox_departments(departments=DEMO_DEPARTMENTS)
    yield deps
    deps.release_all()
    deps.close()


@pytest.fixture
def app(make_app: Any, departments: SandboxDepartments) -> Any:
    """The app on the sandboxes, with a short shared-data deadline so a hung department is pending quickly."""
    return make_app({"ZWT_SHARED_DATA_DEADLINE_S": "0.3"}, departments=departments)


@pytest.fixture
def zhang(auth: Any) -> Any:
    """张伟, registered with his own phone: police and carrier agree (level 2)."""
    return auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone=ZHANG.phone)


def refresh(client: Any, citizen: Any, source: str | None = None) -> dict[str, Any]:
    """POST a refresh (one source, or all) and return the outcomes by source."""
    path = f"/api/v1/me/shared-data/{source}/refresh" if source else "/api/v1/me/shared-data/refresh"
    response = client.post(path, headers=citizen.headers)
    assert response.status_code == 200, response.json
    return {item["source"]: item for item in response.json["items"]}


@pytest.mark.parametrize("source", SOURCES)
def test_each_source_is_fetched_and_stored_with_its_digest(app: Any, client: Any, zhang: Any, source: str) -> None:
    """A refresh stores version 1 with the SHA-256 of the record's canonical form, shown masked."""
    got = refresh(client, zhang, source)[source]
    expected = demo_shared_record(ZHANG, source, got["department_code"])
    assert expected is not None
    assert got["state"] == "ok" and got["changed"] is True
    record = got["record"]
    assert record["version"] == 1 and record["previous_digest"] is None
    assert record["digest"] == expected.digest == hashlib.sha256(canonical_bytes(
        {"source": source, "data": dict(expected.data)})).hexdigest()
    for name, value in expected.data.items():
        if name in SHARED_SOURCES[source].sensitive:
            assert record["data"][name] == mask(FIELD_KINDS.get(name, "code"), value) != value
        else:
            assert record["data"][name] == value
    with app.app_context():
        svc = app.extensions["zwt"]
        with svc.db.sessions() as sess:
            rows = sess.scalars(select(SharedDataRecord).where(SharedDataRecord.source == source)).all()
            assert store.opened(rows[0], svc) == dict(expected.data)
    assert [(r.version, r.digest) for r in rows] == [(1, expected.digest)]
    assert not any(name.encode() in rows[0].record_enc for name in expected.data)  # sealed, not plain JSON


def test_refetch_without_change_keeps_the_version(client: Any, zhang: Any, clock: Any) -> None:
    """Fetching again unchanged adds no version; it marks the record checked at the new time."""
    first = refresh(client, zhang)
    clock.advance(3600)
    again = refresh(client, zhang)
    for source in SOURCES:
        assert again[source]["changed"] is False
        assert again[source]["record"]["version"] == 1
        assert again[source]["record"]["digest"] == first[source]["record"]["digest"]
        assert again[source]["record"]["checked_at"] > first[source]["record"]["checked_at"]
        assert again[source]["record"]["fetched_at"] == first[source]["record"]["fetched_at"]


def test_refetch_after_a_change_adds_a_version_keeping_the_previous_digest(
        client: Any, zhang: Any, departments: SandboxDepartments) -> None:
    """A month's payment later, the refetch says changed, and version 2 names version 1's digest."""
    first = refresh(client, zhang, "social_security_payments")["social_security_payments"]["record"]
    ss = ZHANG.social_security
    assert ss is not None
    paid = dataclasses.replace(ZHANG, social_security=dataclasses.replace(
        ss, contribution_months=ss.contribution_months + 1, last_payment_month="2026-11"))
    departments.sandboxes["hrss"].registry = PeopleRegistry.fixed([paid])
    later = refresh(client, zhang, "social_security_payments")["social_security_payments"]
    assert later["changed"] is True
    assert later["record"]["version"] == 2 and later["record"]["previous_digest"] == first["digest"]
    assert later["record"]["data"]["last_paid_month"] == "2026-11"
    listed = client.get("/api/v1/me/shared-data", headers=zhang.headers).json["items"]
    shown = next(item for item in listed if item["source"] == "social_security_payments")
    assert shown["record"]["version"] == 2 and shown["label_zh"] == "社保缴费记录"


def test_a_slow_department_is_pending_within_the_deadline(client: Any, zhang: Any,
                                                          departments: SandboxDepartments) -> None:
    """A hung housing-fund centre is pending (nothing stored); the other sources are ok."""
    departments.scripts["housing_fund"].set(fault="hang")
    got = refresh(client, zhang)
    assert got["housing_fund_deposits"]["state"] == "pending"
    assert got["housing_fund_deposits"]["record"] is None and got["housing_fund_deposits"]["changed"] is None
    assert got["social_security_payments"]["state"] == got["household_registration"]["state"] == "ok"


def test_a_faulted_department_is_failed(client: Any, zhang: Any, departments: SandboxDepartments) -> None:
    """A police bureau answering with server errors is failed, with the reason, and stores nothing."""
    departments.scripts["police"].set(fault="5xx")
    got = refresh(client, zhang, "household_registration")["household_registration"]
    assert (got["state"], got["reason"], got["record"]) == ("failed", "unavailable", None)
    listed = client.get("/api/v1/me/shared-data", headers=zhang.headers).json["items"]
    assert all(item["record"] is None for item in listed)


def test_a_bad_source_name_is_a_404_naming_it(client: Any, zhang: Any, departments: SandboxDepartments) -> None:
    """An unknown source is a problem naming the ``source`` field, and no department is asked."""
    response = client.post("/api/v1/me/shared-data/marriage_certificate/refresh", headers=zhang.headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert [e["field"] for e in response.json["errors"]] == ["source"]
    assert all("shared" not in script.operations() for script in departments.scripts.values())


def test_every_look_up_is_in_the_access_log(client: Any, zhang: Any, departments: SandboxDepartments) -> None:
    """Each source looked up shows in the citizen's access log, ok or not."""
    departments.scripts["police"].set(fault="5xx")
    refresh(client, zhang)
    items = client.get("/api/v1/me/access-log", headers=zhang.headers).json["items"]
    logged = {item["license_type"]: item for item in items if item["event"] == "shared_fetched"}
    assert set(logged) == set(SOURCES)
    assert logged["social_security_payments"]["fields"] == sorted(
        demo_shared_record(ZHANG, "social_security_payments", "hrss").data)  # type: ignore[union-attr]
    assert logged["household_registration"]["fields"] == []


def test_shared_data_needs_the_level_that_releases_licenses(client: Any, auth: Any) -> None:
    """A citizen the carrier cannot tie to the phone (level 1) may not fetch shared records."""
    police_only = auth.register(name=ZHANG.citizen.name, id_number=ZHANG.citizen.id_number, phone="13912345678")
    response = client.post("/api/v1/me/shared-data/refresh", headers=police_only.headers)
    assert response.status_code == 403 and response.json["code"] == "proofing_level_too_low"


@pytest.mark.parametrize("index, status", [(0, "married"), (2, "divorced")])
def test_marriage_status_comes_from_the_civil_affairs_register(client: Any, auth: Any, index: int,
                                                               status: str) -> None:
    """Civil affairs (among the demo sandbox departments) answers ``marriage_status`` through its own adapter:
    the newest registration on the register, with its date and office."""
    demo = DEMO_CITIZENS[index]
    citizen = auth.register(name=demo.citizen.name, id_number=demo.citizen.id_number, phone=demo.phone)
    got = refresh(client, citizen, "marriage_status")
    assert list(got) == ["marriage_status"]
    record = got["marriage_status"]
    assert (record["state"], record["department_code"]) == ("ok", "civil_affairs")
    data = record["record"]["data"]
    assert data["status"] == status and data["since"] < "2026-11-30" and data["office"].endswith("民政局")
    listed = {i["source"]: i for i in client.get("/api/v1/me/shared-data", headers=citizen.headers).json["items"]}
    assert listed["marriage_status"]["label_zh"] == "婚姻状况"
    assert listed["marriage_status"]["record"]["data"] == data
