"""Issuer and holder: claims the issuer writes, validity dates in China time, and the presentation layout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.wallet.conftest import LIST_URI, NOW, VALID_IDX, World
from wallet import cose, cwt
from wallet.codec import decode_text
from wallet.issuer import china_day, day_start, expiry
from wallet.keys import kid_of


def _claims(text: str) -> cwt.Claims:
    return cwt.decode_claims(cose.decode_sign1(decode_text(text)).payload)


def test_day_start_is_midnight_in_china() -> None:
    """A validity date starts at 00:00 China Standard Time, i.e. 16:00 UTC the day before."""
    assert day_start(dt.date(2025, 1, 2)) == int(dt.datetime(2025, 1, 1, 16, tzinfo=dt.timezone.utc).timestamp())


def test_china_day_turns_at_midnight_china_time() -> None:
    """16:00 UTC is already the next day in China; 15:59:59 is not."""
    utc = dt.timezone.utc
    assert china_day(dt.datetime(2025, 1, 1, 15, 59, 59, tzinfo=utc)) == dt.date(2025, 1, 1)
    assert china_day(dt.datetime(2025, 1, 1, 16, tzinfo=utc)) == dt.date(2025, 1, 2)


def test_expiry_is_the_exp_issue_writes(world: World) -> None:
    """``expiry`` is the one place exp is computed: what a caller stores is what the credential says."""
    forever = dataclasses.replace(world.license, valid_until=None)
    for lic, validity in ((world.license, None), (world.license, 3600), (world.license, 10 ** 9), (forever, 60),
                          (forever, None)):
        exp = _claims(world.credential(license=lic, now=NOW, validity=validity)).exp
        assert expiry(lic, now=NOW, validity=validity) == exp


def test_issued_claims(world: World) -> None:
    """The issuer writes iss, iat, nbf, exp (end of the last valid day), cti, status and the license claim."""
    claims = _claims(world.credential(now=NOW))
    lic = world.license
    assert claims.iss == lic.issuer_code and claims.iat == NOW
    assert claims.nbf == day_start(lic.valid_from)
    assert lic.valid_until is not None and claims.exp == day_start(lic.valid_until + dt.timedelta(days=1))
    assert claims.status == cwt.StatusRef(uri=LIST_URI, idx=VALID_IDX)
    assert lic.identifier.endswith(claims.cti.decode() if claims.cti else "?")
    assert claims.license == lic.disclose("standard") and claims.cnf is None


def test_validity_shortens_but_never_extends(world: World) -> None:
    """validity caps exp at now + validity, and cannot push it past the license's own end date."""
    assert _claims(world.credential(now=NOW, validity=3600)).exp == NOW + 3600
    own_end = _claims(world.credential(now=NOW)).exp
    assert _claims(world.credential(now=NOW, validity=100 * 365 * 86400)).exp == own_end


def test_long_term_license_has_no_exp_unless_validity(world: World) -> None:
    """A license valid for the long term (长期) has no exp, unless the issuer sets a validity."""
    forever = dataclasses.replace(world.license, valid_until=None)
    assert _claims(world.credential(license=forever)).exp is None
    assert _claims(world.credential(license=forever, now=NOW, validity=60)).exp == NOW + 60


def test_protected_header_has_alg_and_kid(world: World) -> None:
    """The issuer's alg (ES256) and kid sit in the protected header, nothing in the unprotected one."""
    message = cose.decode_sign1(decode_text(world.credential()))
    assert message.protected_headers == {1: cose.ALG_ES256, 4: kid_of(world.issuer.public_key())}
    assert dict(message.unprotected) == {}


def test_device_key_goes_into_cnf(world: World) -> None:
    """A holder-bound credential carries the device public key as a COSE_Key in cnf."""
    assert _claims(world.credential(bound=True)).cnf == world.device.public_key()


def test_presentation_layout_and_device_signature(world: World) -> None:
    """A presentation is [1, issuer COSE, t, r||s] and the signature covers ["QD1-present", SHA-256, t]."""
    version, issuer_cose, t, signature = cbor2.loads(decode_text(world.presentation(at=NOW)))
    assert (version, t, len(signature)) == (1, NOW, 64)
    assert cwt.decode_claims(cose.decode_sign1(issuer_cose).payload).cnf == world.device.public_key()
    signed = cbor2.dumps(["QD1-present", hashlib.sha256(issuer_cose).digest(), NOW])
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    world.device.public_key().verify(der, signed, ec.ECDSA(hashes.SHA256()))
