"""Issue 13's tightened verifier rules, each in bundle mode and in key mode (``--key``): ``iat`` in the future,
the protected ``kid`` authoritative, ``alg`` protected, ``crit`` understood, and claim length caps.

Every credential here is correctly signed by the trusted issuer key, so each refusal comes from the rule
under test and not from a bad signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cbor2
import pytest

from tests.wallet.conftest import LIST_URI, NOW, World
from wallet import cose, cwt
from wallet.codec import decode_text, encode_text
from wallet.errors import InvalidCredential
from wallet.keys import VerificationKey, generate_p256, kid_of
from wallet.licenses import parse_disclosed
from wallet.trust import CLOCK_SKEW
from wallet.verdict import Verdict
from wallet.verify import verify, verify_with_keys

Mode = Callable[[World, str], Verdict]


def _bundle_mode(world: World, text: str) -> Verdict:
    return verify(text, world.bundle(), now=NOW)


def _key_mode(world: World, text: str) -> Verdict:
    public = world.issuer.public_key()
    return verify_with_keys(text, [VerificationKey(kid_of(public), public)], now=NOW)


MODES = pytest.mark.parametrize("mode", [_bundle_mode, _key_mode], ids=["bundle", "key"])


def _claims(world: World, **kwargs: Any) -> dict[Any, Any]:
    """The claims of a good credential from the world's issuer (``kwargs`` go to ``World.credential``)."""
    return dict(cbor2.loads(cose.decode_sign1(decode_text(world.credential(**kwargs))).payload))


def _signed(world: World, claims: dict[Any, Any], protected: dict[Any, Any], unprotected: dict[Any, Any] | None = None,
            *, prefix: str = "QD1:") -> str:
    """A COSE_Sign1 over ``claims`` with exactly these header buckets, signed ES256 by the world's issuer."""
    protected_bytes = cbor2.dumps(protected) if protected else b""
    payload = cbor2.dumps(claims)
    tbs = cbor2.dumps(["Signature1", protected_bytes, b"", payload])
    signature = cose.sign_raw(world.issuer, cose.ALG_ES256, tbs)
    body = cbor2.CBORTag(18, [protected_bytes, unprotected or {}, payload, signature])
    return encode_text(cbor2.dumps(body), prefix=prefix)


def _kid(world: World) -> bytes:
    return kid_of(world.issuer.public_key())


# -- iat later than the verifier's clock ---------------------------------------------------------------------

@MODES
def test_iat_in_the_future_is_refused(world: World, mode: Mode) -> None:
    """A credential signed later than the verifier's clock plus the allowed skew is issued_in_future."""
    verdict = mode(world, world.credential(now=NOW + CLOCK_SKEW + 1))
    assert (verdict.valid, verdict.reason) == (False, "issued_in_future"), verdict.detail
    assert str(NOW + CLOCK_SKEW + 1) in verdict.detail


@MODES
def test_iat_within_the_skew_is_accepted(world: World, mode: Mode) -> None:
    """A clock behind the issuer's by no more than the allowed skew still accepts the credential."""
    verdict = mode(world, world.credential(now=NOW + CLOCK_SKEW))
    assert verdict.valid, verdict.detail


# -- kid: the protected one is authoritative -----------------------------------------------------------------

@MODES
def test_protected_kid_naming_no_trusted_key_is_unknown_key(world: World, mode: Mode) -> None:
    """A protected kid that names none of the trusted keys is refused, even though a trusted key verifies."""
    verdict = mode(world, world.credential(kid=b"elsewhere"))
    assert (verdict.valid, verdict.reason) == (False, "unknown_key"), verdict.detail


def test_key_mode_tries_only_keys_with_the_protected_kid(world: World) -> None:
    """With several keys given, only those whose kid the code names are tried; another key never rescues it."""
    public = world.issuer.public_key()
    decoy = generate_p256().public_key()
    text = world.credential(kid=kid_of(decoy))
    keys = [VerificationKey(kid_of(decoy), decoy), VerificationKey(kid_of(public), public)]
    assert verify_with_keys(text, keys, now=NOW).reason == "bad_signature"


def test_key_mode_keys_sharing_the_kid_are_all_tried(world: World) -> None:
    """Given keys that share the named kid are all tried, as in bundle mode."""
    public = world.issuer.public_key()
    keys = [VerificationKey(_kid(world), generate_p256().public_key()), VerificationKey(_kid(world), public)]
    assert verify_with_keys(world.credential(), keys, now=NOW).valid


@MODES
def test_qd1_needs_a_protected_kid(world: World, mode: Mode) -> None:
    """A QD1 credential whose kid sits only in the unprotected header is refused: QD1 requires it protected."""
    text = _signed(world, _claims(world), {1: cose.ALG_ES256}, {4: _kid(world)})
    verdict = mode(world, text)
    assert (verdict.valid, verdict.reason) == (False, "kid_not_protected"), verdict.detail


@MODES
def test_qd1_without_any_kid_is_refused(world: World, mode: Mode) -> None:
    """A QD1 credential naming no key at all is refused with the same reason."""
    verdict = mode(world, _signed(world, _claims(world), {1: cose.ALG_ES256}))
    assert (verdict.valid, verdict.reason) == (False, "kid_not_protected"), verdict.detail


def _hc1(world: World, unprotected: dict[Any, Any]) -> str:
    return _signed(world, _claims(world), {1: cose.ALG_ES256}, unprotected, prefix="HC1:")


def _hc1_verdict(world: World, text: str, *extra: VerificationKey) -> Verdict:
    public = world.issuer.public_key()
    return verify_with_keys(text, [*extra, VerificationKey(_kid(world), public)], now=NOW, prefix="HC1:")


def test_dcc_unprotected_kid_selects_the_key(world: World) -> None:
    """For an EU DCC code, an unprotected kid may select the key when the protected header names none."""
    assert _hc1_verdict(world, _hc1(world, {4: _kid(world)})).valid


def test_dcc_unprotected_kid_naming_no_key_is_unknown_key(world: World) -> None:
    """An unprotected kid naming none of the given keys is refused instead of trying every key."""
    assert _hc1_verdict(world, _hc1(world, {4: b"nobody00"})).reason == "unknown_key"


def test_dcc_unprotected_kid_naming_the_wrong_key_is_refused(world: World) -> None:
    """An unprotected kid naming another given key is refused (bad_signature), not rescued by the right key."""
    decoy = generate_p256().public_key()
    verdict = _hc1_verdict(world, _hc1(world, {4: kid_of(decoy)}), VerificationKey(kid_of(decoy), decoy))
    assert verdict.reason == "bad_signature"


def test_dcc_without_any_kid_is_refused(world: World) -> None:
    """An EU DCC code naming no key in either header is refused rather than tried against every key."""
    assert _hc1_verdict(world, _hc1(world, {})).reason == "kid_not_protected"


def test_protected_kid_wins_over_an_unprotected_one(world: World) -> None:
    """An unprotected kid cannot redirect the key choice when the protected header names one."""
    text = _signed(world, _claims(world), {1: cose.ALG_ES256, 4: b"nobody00"}, {4: _kid(world)}, prefix="HC1:")
    assert _hc1_verdict(world, text).reason == "unknown_key"


# -- alg must be protected -----------------------------------------------------------------------------------

@MODES
def test_alg_only_in_the_unprotected_header_is_refused(world: World, mode: Mode) -> None:
    """An alg the signature does not cover (unprotected bucket only) is refused."""
    text = _signed(world, _claims(world), {4: _kid(world)}, {1: cose.ALG_ES256})
    verdict = mode(world, text)
    assert (verdict.valid, verdict.reason) == (False, "alg_not_protected"), verdict.detail


def test_dcc_alg_only_unprotected_is_refused(world: World) -> None:
    """The same holds for EU DCC codes in key mode."""
    text = _signed(world, _claims(world), {4: _kid(world)}, {1: cose.ALG_ES256}, prefix="HC1:")
    assert _hc1_verdict(world, text).reason == "alg_not_protected"


# -- crit ------------------------------------------------------------------------------------------------------

@MODES
def test_crit_naming_an_unknown_label_is_refused(world: World, mode: Mode) -> None:
    """RFC 9052 section 3.1: a crit label the verifier does not understand makes it refuse the message."""
    text = _signed(world, _claims(world), {1: cose.ALG_ES256, 4: _kid(world), 2: [-70000], -70000: "must-know"})
    verdict = mode(world, text)
    assert (verdict.valid, verdict.reason) == (False, "unknown_critical_header"), verdict.detail
    assert "-70000" in verdict.detail


@MODES
def test_crit_naming_understood_labels_is_accepted(world: World, mode: Mode) -> None:
    """A crit that lists only labels the verifier processes (alg, kid) changes nothing."""
    text = _signed(world, _claims(world), {1: cose.ALG_ES256, 4: _kid(world), 2: [1, 4]})
    assert mode(world, text).valid


@pytest.mark.parametrize(("protected", "unprotected"), [
    ({2: []}, {}),
    ({2: 4}, {}),
    ({2: [b"\x01"]}, {}),
    ({}, {2: [4]}),
], ids=["empty", "not-an-array", "not-a-label", "unprotected"])
@MODES
def test_malformed_crit_is_refused(world: World, mode: Mode, protected: dict[Any, Any],
                                   unprotected: dict[Any, Any]) -> None:
    """crit must be a non-empty array of labels in the protected bucket; anything else is malformed."""
    text = _signed(world, _claims(world), {1: cose.ALG_ES256, 4: _kid(world), **protected}, unprotected)
    verdict = mode(world, text)
    assert (verdict.valid, verdict.reason) == (False, "malformed"), verdict.detail


# -- claim length caps -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "value"), [
    (cwt.ISS, "9" * 1000),
    (cwt.ISS, "9" * (cwt.MAX_CLAIM_LENGTH[cwt.ISS] + 1)),
    (cwt.SUB, "s" * (cwt.MAX_CLAIM_LENGTH[cwt.SUB] + 1)),
    (cwt.CTI, b"1" * (cwt.MAX_CLAIM_LENGTH[cwt.CTI] + 1)),
    (-70000, "x" * (cwt.MAX_OTHER_CLAIM_LENGTH + 1)),
    (-70001, b"x" * (cwt.MAX_OTHER_CLAIM_LENGTH + 1)),
], ids=["iss-1000", "iss", "sub", "cti", "other-text", "other-bytes"])
@MODES
def test_oversized_claim_is_refused(world: World, mode: Mode, label: int, value: Any) -> None:
    """A text or byte-string claim beyond its cap is claim_too_long, however well signed."""
    text = _signed(world, {**_claims(world), label: value}, {1: cose.ALG_ES256, 4: _kid(world)})
    verdict = mode(world, text)
    assert (verdict.valid, verdict.reason) == (False, "claim_too_long"), verdict.detail


@MODES
def test_oversized_status_uri_is_refused(world: World, mode: Mode) -> None:
    """The status list URI has its own cap."""
    uri = "https://zwt.example/" + "u" * cwt.MAX_CLAIM_LENGTH[cwt.STATUS]
    claims = {**_claims(world), cwt.STATUS: {"status_list": {"idx": 9, "uri": uri}}}
    text = _signed(world, claims, {1: cose.ALG_ES256, 4: _kid(world)})
    verdict = mode(world, text)
    assert (verdict.valid, verdict.reason) == (False, "claim_too_long"), verdict.detail


@MODES
def test_claims_at_their_caps_pass_the_cap(world: World, mode: Mode) -> None:
    """A sub and a private text claim exactly at their caps are accepted."""
    claims = {**_claims(world), cwt.SUB: "s" * cwt.MAX_CLAIM_LENGTH[cwt.SUB],
              -70000: "x" * cwt.MAX_OTHER_CLAIM_LENGTH}
    verdict = mode(world, _signed(world, claims, {1: cose.ALG_ES256, 4: _kid(world)}))
    assert verdict.valid, verdict.detail


@MODES
def test_field_value_beyond_its_max_length_is_refused(world: World, mode: Mode) -> None:
    """A license field longer than its FieldSpec.max_length (holder_name: 100) is claim_too_long."""
    spec = world.license.license_type.field("holder_name")
    claims = _claims(world)
    license_claim = dict(claims[cwt.LICENSE_CLAIM])
    license_claim[spec.key] = "张" * (spec.max_length + 1)
    text = _signed(world, {**claims, cwt.LICENSE_CLAIM: license_claim}, {1: cose.ALG_ES256, 4: _kid(world)})
    verdict = mode(world, text)
    assert (verdict.valid, verdict.reason) == (False, "claim_too_long"), verdict.detail
    assert "holder_name" in verdict.detail


@MODES
def test_field_value_at_its_max_length_is_accepted(world: World, mode: Mode) -> None:
    """A license field exactly at its max_length is shown as it is."""
    spec = world.license.license_type.field("holder_name")
    claims = _claims(world)
    license_claim = dict(claims[cwt.LICENSE_CLAIM])
    license_claim[spec.key] = "张" * spec.max_length
    text = _signed(world, {**claims, cwt.LICENSE_CLAIM: license_claim}, {1: cose.ALG_ES256, 4: _kid(world)})
    verdict = mode(world, text)
    assert verdict.valid and verdict.fields["holder_name"] == "张" * spec.max_length, verdict.detail


def test_reference_status_uri_is_within_its_cap() -> None:
    """The URIs the tests and the service use fit the status URI cap with room to spare."""
    assert len(LIST_URI) < cwt.MAX_CLAIM_LENGTH[cwt.STATUS]


def test_parse_disclosed_caps_each_field_by_its_spec() -> None:
    """The library check itself: holder_name (key 2) of 101 characters is claim_too_long, 100 is fine."""
    assert parse_disclosed({0: 2, 1: 3, 2: "a" * 100}).fields["holder_name"] == "a" * 100
    with pytest.raises(InvalidCredential) as info:
        parse_disclosed({0: 2, 1: 3, 2: "a" * 101})
    assert info.value.reason == "claim_too_long"
