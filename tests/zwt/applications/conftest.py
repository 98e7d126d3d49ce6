"""Application fixtures: the police sandbox (a department system that takes applications), a published
residence-permit item, citizens, staff and the police's signed callbacks, all over HTTP."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest

from services_catalog.adapters.police import PoliceAdapter
from services_catalog.departments import Department, Departments
from services_catalog.examples import example_item
from services_catalog.impl_code import ImplCode, format_impl_code, parse_impl_code
from services_catalog.items import FormField, Material, Output, Satisfier
from services_catalog.sandbox.common import SandboxTransport
from services_catalog.sandbox.police import PoliceSandbox
from services_catalog.sandbox.script import Script
from zwt.applications.outbox import drain_once
from zwt.applications.polling import poll_statuses
from zwt.catalog.repository import save_item

from ..issuers.signing import DepartmentKey
from ..wallet.conftest import World

#: the one material the items published below need, satisfied by the ID card (consented to in ``apply``)
ID_CARD_MATERIAL = "居民身份证"

RESIDENCE_FORM = (FormField("address", "居住地址", required=True),
                  FormField("reason", "居住事由", "choice", True, ("work", "study", "family")),
                  FormField("since", "居住起始日期", "date", True),
                  FormField("postcode", "邮政编码", pattern="[0-9]{6}"))
PERMIT_FIELDS = {"gender": "男", "ethnicity": "汉", "birth_date": "1985-03-12", "address": "青岛市崂山区海尔路1号",
                 "issuing_authority": "青岛市公安局崂山分局"}


def item_code(seq: int) -> str:
    """A valid implementation code numbered ``seq``."""
    parts = parse_impl_code(example_item().impl_code)
    assert parts is not None
    return format_impl_code(ImplCode(*parts[:2], f"{seq:03d}", *parts[3:]))


@pytest.fixture
def police():
    """The police bureau's sandbox system (it takes applications), its script and its adapter's client."""
    sandbox = PoliceSandbox(Script())
    client = httpx.Client(transport=SandboxTransport(sandbox), base_url="http://police.sandbox")
    yield sandbox
    client.close()


@pytest.fixture
def departments(police):
    """Only the police, through the real adapter over the in-process sandbox."""
    client = httpx.Client(transport=SandboxTransport(police), base_url="http://police.sandbox")
    return Departments([Department("police", "police", PoliceAdapter("police", client))], clients=[client])


@pytest.fixture
def app(make_app, departments):
    """The app under test, wired to the police sandbox."""
    return make_app(departments=departments)


class Handling(World):
    """The wallet's world plus items, applications, the outbox worker and department callbacks."""

    def publish(self, seq: int, *, department: str = "police", name: str = "居住证签发", limit: int = 10,
                result: str | None = "residence_permit") -> str:
        """Publish an item taking online applications with the residence-permit form."""
        svc = self.app.extensions["zwt"]
        item = example_item(
            impl_code=item_code(seq), name=name, status="published", department_code=department,
            accepts_online=True, online_depth=3, promised_time_limit=limit, form_fields=RESIDENCE_FORM,
            materials=(Material(ID_CARD_MATERIAL, satisfied_by=(
                Satisfier("license", "id_card", ("holder",)), Satisfier("upload"))),),
            outputs=(Output("居住证", "license", result),) if result else (Output("批复", "approval"),))
        with svc.db.sessions() as sess:
            save_item(sess, item, source="registration", actor="test", action="create", now=self.clock.now())
            sess.commit()
        return item.impl_code

    def apply(self, citizen, impl_code: str, form: dict[str, Any] | None = None,
              materials: dict[str, Any] | None = None, **headers: str):
        """POST an application; unless ``materials`` says otherwise, consenting to the ID card for the one
        material the items above need."""
        body = {"impl_code": impl_code, "form": form if form is not None else {
            "address": "青岛市崂山区海尔路1号", "reason": "work", "since": "2026-01-05"},
            "materials": materials if materials is not None else {"consent": [ID_CARD_MATERIAL]}}
        return self.client.post("/api/v1/me/applications", json=body, headers={**citizen.headers, **headers})

    def scan(self, citizen) -> str:
        """A small PDF put in the citizen's materials library; its id."""
        response = self.client.post("/api/v1/me/materials", headers=citizen.headers,
                                    content_type="multipart/form-data",
                                    data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "scan.pdf", "application/pdf")})
        assert response.status_code in (200, 201), response.json
        return str(response.json["id"])

    def detail(self, citizen, application_id: str) -> dict[str, Any]:
        """The citizen's view of an application."""
        response = self.client.get(f"/api/v1/me/applications/{application_id}", headers=citizen.headers)
        assert response.status_code == 200, response.json
        return response.json

    def drain(self) -> int:
        """One round of the outbox worker."""
        return drain_once(self.app.extensions["zwt"])

    def poll(self) -> int:
        """One round of the worker's status poll."""
        return poll_statuses(self.app.extensions["zwt"])

    def department_key(self, department: str = "police") -> DepartmentKey:
        """Register a signing key for the department's system (as for license pushes)."""
        key = DepartmentKey(f"{department}-system-1")
        response = self.client.post(f"/api/v1/admin/issuers/{department}/keys", headers=self.staff("platform_admin"),
                                    json={"key_id": key.key_id, "public_key": key.public_key_b64,
                                          "allowed_types": ["residence_permit"]})
        assert response.status_code == 201, response.json
        return key

    def callback(self, key: DepartmentKey, application_id: str, department: str = "police", **body: Any):
        """The department's system reports a step, signed."""
        data = json.dumps(body, ensure_ascii=False).encode()
        path = f"/api/v1/issuers/{department}/applications/{application_id}/moves"
        with key.client(department, self.now) as client:
            signed = dict(client.signed_request(data, "application/json", path=path).headers)
        return self.client.post(path, data=data, headers=signed)

    def staff_move(self, staff: dict[str, str], application_id: str, **body: Any):
        """A back-office step."""
        return self.client.post(f"/api/v1/admin/applications/{application_id}/moves", json=body, headers=staff)


@pytest.fixture
def world(app, client, auth, clock) -> Handling:
    """Citizens, staff, items and departments over HTTP."""
    return Handling(app, client, auth, clock)


@pytest.fixture
def civil_item(world):
    """A civil-affairs item taking online applications (civil affairs has no system in these tests)."""
    return world.publish(3, department="civil_affairs", name="高龄津贴申领", result=None)


@pytest.fixture
def civil_staff(world, civil_item):
    """A civil-affairs department admin working from the back office."""
    return world.staff("dept_admin", department_code="civil_affairs")
