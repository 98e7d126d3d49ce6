"""Wallet fixtures: fake departments with the demo citizens, a world of citizens, clerks and admins over HTTP."""

from __future__ import annotations

import base64
import itertools
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from services_catalog.examples import example_item
from services_catalog.fakes import fake_departments
from services_catalog.items import Material
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from wallet import cose
from wallet.holder import generate_device_key
from wallet.keys import load_verification_key, spki_der
from wallet.trust import TrustBundle, load_bundle
from zwt.catalog.repository import save_item
from zwt.wallet_service.devices import binding_message

DRIVING_ITEM = "11370200MB0000001X4370200001"
HALL, COUNTER = "370202-hall-01", "counter-01"


@pytest.fixture
def departments():
    """Fake police, social security and housing fund departments that know the demo citizens."""
    return fake_departments()


@pytest.fixture
def app(make_app, departments):
    """The app under test, wired to the fake departments."""
    return make_app(departments=departments)


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode()


class World:
    """Citizens, staff and counters acting over HTTP against one app."""

    def __init__(self, app, client, auth, clock) -> None:
        """Act through ``client`` on ``app`` with the ``auth`` helpers and the injected clock."""
        self.app, self.client, self.auth, self.clock = app, client, auth, clock
        self._n = itertools.count(1)

    def citizen(self, index: int = 0):
        """Register demo citizen ``index`` with their own phone: police and carrier agree (level 2), licenses out."""
        demo = DEMO_CITIZENS[index]
        return self.auth.register(name=demo.citizen.name, id_number=demo.citizen.id_number, phone=demo.phone)

    def licenses(self, citizen) -> list[dict[str, Any]]:
        """The citizen's licenses."""
        response = self.client.get("/api/v1/me/licenses", headers=citizen.headers)
        assert response.status_code == 200, response.json
        return response.json["items"]

    def license_id(self, citizen, license_type: str) -> str:
        """The public id of the citizen's license of this type."""
        return next(item["id"] for item in self.licenses(citizen) if item["license_type"] == license_type)

    def present(self, citizen, license_id: str, **body: Any):
        """POST a presentation request and return the response."""
        return self.client.post(f"/api/v1/me/licenses/{license_id}/presentations", json=body,
                                headers=citizen.headers)

    def staff(self, role: str, **scope: str) -> dict[str, str]:
        """Create a staff account and return its auth headers."""
        return self.auth.staff(role, f"{role}{next(self._n)}", **scope)

    def clerk(self, hall: str = HALL, counter: str = COUNTER) -> dict[str, str]:
        """A clerk at a hall and counter."""
        return self.staff("clerk", hall_code=hall, counter_code=counter)

    def admin(self, department: str) -> dict[str, str]:
        """A department admin."""
        return self.staff("dept_admin", department_code=department)

    def prove(self, headers: dict[str, str], subject: str, key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
        """Fetch a nonce and sign it with ``key``: the proof-of-possession part of a device registration."""
        nonce = self.client.post("/api/v1/nonces", headers=headers).json["nonce"]
        signature = cose.sign_raw(key, cose.ALG_ES256, binding_message(nonce, subject))
        return {"public_key": b64(spki_der(key.public_key())), "nonce": nonce, "signature": b64(signature)}

    def device(self, citizen, name: str = "my phone"):
        """Register a fresh device key for the citizen; return (private key, device id)."""
        key = generate_device_key()
        self.auth.step_up(citizen)
        body = {"name": name, **self.prove(citizen.headers, citizen.subject, key)}
        response = self.client.post("/api/v1/me/devices", json=body, headers=citizen.headers)
        assert response.status_code == 201, response.json
        return key, response.json["id"]

    def root_key(self):
        """The platform root public key as served to counters."""
        return load_verification_key(self.client.get("/api/v1/verifier/root-key").data).public_key

    def bundle(self) -> TrustBundle:
        """Sync the trust bundle like a counter and load it offline."""
        response = self.client.get("/api/v1/verifier/bundle")
        assert response.status_code == 200
        return load_bundle(response.data, [self.root_key()], now=self.now)

    @property
    def now(self) -> int:
        """The injected clock as epoch seconds."""
        return int(self.clock.timestamp())

    def service_item(self, impl_code: str = DRIVING_ITEM, license_type: str = "driving_license",
                     required: tuple[str, ...] = ("holder", "license_number", "vehicle_class")) -> str:
        """Publish a service item whose material is an e-license of ``license_type``."""
        svc = self.app.extensions["zwt"]
        material = Material("机动车驾驶证", e_license_type=license_type, exempt_with_e_license=True,
                            required_fields=required)
        item = example_item(impl_code=impl_code, name="驾驶证期满换证", status="published", materials=(material,))
        with svc.db.sessions() as sess:
            save_item(sess, item, source="registration", actor="test", action="create", now=self.clock.now())
            sess.commit()
        return impl_code


@pytest.fixture
def world(app, client, auth, clock) -> World:
    """Citizens, staff and counters over HTTP."""
    return World(app, client, auth, clock)
