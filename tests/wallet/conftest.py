"""Shared wallet fixtures: a fixed clock, keys, a sample driving licence, status lists and a trust bundle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from wallet.holder import generate_device_key, present
from wallet.identifiers import resident_id_check_digit
from wallet.issuer import issue
from wallet.keys import PrivateKey, generate_p256
from wallet.licenses import License, sample_license
from wallet.status_list import INVALID, SUSPENDED, StatusList, sign_status_list
from wallet.trust import IssuerKey, TrustBundle, build_bundle, load_bundle

#: The injected clock of every wallet test: 2025-06-15 08:26:40 UTC.
NOW = 1_750_000_000
TODAY = dt.date(2025, 6, 15)
LIST_URI = "https://zwt.example/status/1"
REVOKED_IDX, SUSPENDED_IDX, VALID_IDX = 7, 8, 9
YEAR = 365 * 24 * 3600


def resident_id(body: str = "37020219900101123") -> str:
    """Return a resident ID number with a correct GB 11643 check digit."""
    return body + resident_id_check_digit(body)


def driving_licence(serial: str = "2024000001") -> License:
    """Return a realistic driving licence, valid on ``TODAY``."""
    return sample_license("driving_license", holder_name="张三丰", holder_code=resident_id(),
                          serial=serial, today=TODAY)


@dataclass
class World:
    """Everything a verification needs: root and issuer keys, a status list, a bundle and helpers."""

    root: PrivateKey
    issuer: PrivateKey
    device: ec.EllipticCurvePrivateKey
    license: License
    statuses: dict[int, int] = field(default_factory=dict)

    def issuer_entry(self, **overrides: Any) -> IssuerKey:
        """The issuer key as the bundle lists it, allowed for driving licences for ten years."""
        values: dict[str, Any] = dict(public_key=self.issuer.public_key(), allowed_types=frozenset(
            {"driving_license", "vehicle_license"}), not_before=NOW - 5 * YEAR, not_after=NOW + 5 * YEAR)
        values.update(overrides)
        return IssuerKey(**values)

    def status_token(self, uri: str = LIST_URI, size: int = 1024) -> bytes:
        """A status list signed by the root key with the world's statuses."""
        status_list = StatusList.from_statuses(size, self.statuses)
        return sign_status_list(status_list, self.root, uri=uri, iat=NOW - 60, ttl=3600)

    def bundle_bytes(self, *, iat: int = NOW - 60, seq: int = 5, issuers: Iterable[IssuerKey] | None = None,
                     lists: Iterable[bytes] | None = None, exp: int | None = None) -> bytes:
        """Sign a trust bundle with the root key."""
        return build_bundle(seq=seq, iat=iat, exp=exp, root_key=self.root,
                            issuers=[self.issuer_entry()] if issuers is None else issuers,
                            status_lists=[self.status_token()] if lists is None else lists)

    def bundle(self, **kwargs: Any) -> TrustBundle:
        """Build and load a trust bundle (loaded at its own iat so stale ones can be built too)."""
        data = self.bundle_bytes(**kwargs)
        return load_bundle(data, [self.root.public_key()], now=kwargs.get("iat", NOW - 60))

    def credential(self, *, profile: str = "standard", idx: int = VALID_IDX, bound: bool = False,
                   now: int = NOW - 3600, key: PrivateKey | None = None, license: License | None = None,
                   **kwargs: Any) -> str:
        """Issue the world's licence as QD1 text."""
        return issue(license or self.license, profile, key or self.issuer, now=now, status=(LIST_URI, idx),
                     device_key=self.device.public_key() if bound else None, **kwargs)

    def presentation(self, *, at: int = NOW, **kwargs: Any) -> str:
        """Issue a holder-bound credential and present it at ``at``."""
        return present(self.credential(bound=True, **kwargs), self.device, now=at)


@pytest.fixture(scope="session")
def world_keys() -> tuple[PrivateKey, PrivateKey, ec.EllipticCurvePrivateKey]:
    """Root, issuer and device keys, generated once per session (key generation is the slow part)."""
    return generate_p256(), generate_p256(), generate_device_key()


@pytest.fixture
def world(world_keys: tuple[PrivateKey, PrivateKey, ec.EllipticCurvePrivateKey]) -> World:
    """A fresh world with one revoked and one suspended entry in its status list."""
    root, issuer, device = world_keys
    return World(root, issuer, device, driving_licence(),
                 statuses={REVOKED_IDX: INVALID, SUSPENDED_IDX: SUSPENDED})


@pytest.fixture
def make_world() -> Callable[..., World]:
    """Factory for worlds with fresh keys (for tests that need keys nobody else uses)."""
    def make(**kwargs: Any) -> World:
        return World(generate_p256(), generate_p256(), generate_device_key(), driving_licence(), **kwargs)
    return make
