"""The offline verifier: one test per verdict reason, all with an injected clock, and what valid ones show."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from collections.abc import Callable
from typing import Any

import cbor2
import pytest

from tests.wallet.conftest import LIST_URI, NOW, REVOKED_IDX, SUSPENDED_IDX, TODAY, World
from wallet import cose, cwt
from wallet.base45 import b45encode
from wallet.codec import decode_text, encode_text
from wallet.holder import generate_device_key, present
from wallet.keys import generate_p256
from wallet.replay import MemoryReplayCache
from wallet.status_list import StatusList, sign_status_list
from wallet.verdict import REASONS
from wallet.verify import verify

Case = tuple[str, Any, dict[str, Any]]  # text, bundle, extra verify() keyword arguments


def _text_of(raw: bytes) -> str:
    return "QD1:" + b45encode(zlib.compress(raw))


def _sign_claims(world: World, claims: dict[Any, Any], **kwargs: Any) -> str:
    return encode_text(cose.sign1(cbor2.dumps(claims), world.issuer, **kwargs))


def _valid_claims(world: World) -> dict[Any, Any]:
    message = cose.decode_sign1(decode_text(world.credential()))
    return dict(cbor2.loads(message.payload))


def _with_headers(world: World, protected: dict[Any, Any], unprotected: dict[Any, Any],
                  claims: dict[Any, Any] | None = None) -> str:
    """The world's credential claims signed with exactly these header buckets (see test_verifier_rules.py)."""
    protected_bytes, payload = cbor2.dumps(protected), cbor2.dumps(claims or _valid_claims(world))
    signature = cose.sign_raw(world.issuer, cose.ALG_ES256, cbor2.dumps(["Signature1", protected_bytes, b"", payload]))
    return encode_text(cbor2.dumps(cbor2.CBORTag(18, [protected_bytes, unprotected, payload, signature])))


def _replayed(world: World) -> Case:
    cache = MemoryReplayCache()
    text = world.presentation()
    assert verify(text, world.bundle(), now=NOW, replay_cache=cache).valid
    return text, world.bundle(), {"replay_cache": cache}


def _status_value_3(world: World) -> Case:
    token = sign_status_list(StatusList.from_statuses(64, {9: 3}), world.root, uri=LIST_URI, iat=NOW - 60)
    return world.credential(idx=9), world.bundle(lists=[token]), {}


def _future_licence(world: World) -> Case:
    later = dataclasses.replace(world.license, valid_from=TODAY + dt.timedelta(days=10))
    return world.credential(license=later), world.bundle(), {}


CASES: dict[str, Callable[[World], Case]] = {
    "not_qd1": lambda w: ("HC1:" + w.credential()[4:], w.bundle(), {}),
    "bad_base45": lambda w: ("QD1:abc", w.bundle(), {}),
    "bad_zlib": lambda w: ("QD1:" + b45encode(b"not zlib"), w.bundle(), {}),
    "too_large": lambda w: (_text_of(b"\0" * 100_000), w.bundle(), {}),
    "bad_cbor": lambda w: (_text_of(b"\xff\xfe"), w.bundle(), {}),
    "malformed": lambda w: (_text_of(cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b""]))), w.bundle(), {}),
    "unsupported_algorithm": lambda w: (_text_of(cbor2.dumps(cbor2.CBORTag(18, [
        cbor2.dumps({1: -35, 4: w.issuer_entry().kid}), {}, b"\xa0", b"\0" * 96]))), w.bundle(), {}),
    "alg_not_protected": lambda w: (
        _with_headers(w, {4: w.issuer_entry().kid}, {1: cose.ALG_ES256}), w.bundle(), {}),
    "unknown_critical_header": lambda w: (
        _with_headers(w, {1: cose.ALG_ES256, 2: [-70000], 4: w.issuer_entry().kid, -70000: 1}, {}), w.bundle(), {}),
    "kid_not_protected": lambda w: (
        _with_headers(w, {1: cose.ALG_ES256}, {4: w.issuer_entry().kid}), w.bundle(), {}),
    "unknown_key": lambda w: (w.credential(key=generate_p256()), w.bundle(), {}),
    "bad_signature": lambda w: (w.credential(key=generate_p256(), kid=w.issuer_entry().kid), w.bundle(), {}),
    "key_not_allowed_for_type": lambda w: (
        w.credential(), w.bundle(issuers=[w.issuer_entry(allowed_types=frozenset({"id_card"}))]), {}),
    "key_not_valid_at_time": lambda w: (
        w.credential(now=NOW - 3600), w.bundle(issuers=[w.issuer_entry(not_before=NOW - 60)]), {}),
    "expired": lambda w: (w.credential(now=NOW - 3600, validity=3600), w.bundle(), {}),
    "not_yet_valid": _future_licence,
    "issued_in_future": lambda w: (w.credential(now=NOW + 301), w.bundle(), {}),
    "claim_too_long": lambda w: (
        _with_headers(w, {1: cose.ALG_ES256, 4: w.issuer_entry().kid}, {}, {**_valid_claims(w), 1: "9" * 1000}),
        w.bundle(), {}),
    "revoked": lambda w: (w.credential(idx=REVOKED_IDX), w.bundle(), {}),
    "suspended": lambda w: (w.credential(idx=SUSPENDED_IDX), w.bundle(), {}),
    "status_unknown": lambda w: (w.credential(), w.bundle(lists=[]), {}),
    "stale_trust_data": lambda w: (w.credential(now=NOW - 9 * 86400), w.bundle(iat=NOW - 7 * 86400 - 1), {}),
    "clock_before_bundle": lambda w: (w.credential(), w.bundle(iat=NOW + 301), {}),
    "holder_binding_required": lambda w: (w.credential(bound=True), w.bundle(), {}),
    "holder_binding_failed": lambda w: (
        present(w.credential(bound=True), generate_device_key(), now=NOW), w.bundle(), {}),
    "presentation_too_old": lambda w: (w.presentation(at=NOW - 91), w.bundle(), {}),
    "replayed": _replayed,
    "insufficient_disclosure": lambda w: (w.credential(profile="minimal"), w.bundle(),
                                          {"purpose": {"holder_name", "address"}}),
}
#: Reasons that come from loading a trust bundle (test_trust.py) or reading an image (test_cli.py).
BUNDLE_LOAD_REASONS = {"trust_bundle_invalid", "trust_bundle_rollback", "no_qr_code"}


def test_every_reason_has_a_case_and_messages() -> None:
    """Each reason the verifier can give has a test case below and both zh-CN and English messages."""
    assert set(CASES) | BUNDLE_LOAD_REASONS == set(REASONS)
    assert all(zh and en and zh != en for zh, en in REASONS.values())


@pytest.mark.parametrize("reason", sorted(CASES))
def test_each_reason(world: World, reason: str) -> None:
    """The scenario built for a reason is rejected with exactly that reason and its messages."""
    text, bundle, extra = CASES[reason](world)
    verdict = verify(text, bundle, now=NOW, **extra)
    assert (verdict.valid, verdict.reason) == (False, reason), verdict.detail
    assert (verdict.message_zh, verdict.message_en) == REASONS[reason]
    assert not verdict.fields


@pytest.mark.parametrize("alg", [{}, [], {1: -7}, [-7], b"\xf9", "ES256", 1.5, None, True])
def test_an_alg_of_any_other_type_is_unsupported(world: World, alg: Any) -> None:
    """A protected alg that is a map, an array, bytes, text, a float, null or a boolean is unsupported_algorithm,
    as in the JavaScript verifier: a map or array used to raise TypeError (unhashable) out of verify(), before
    any signature check, so an unsigned text crashed the counter. Found by bench/fuzz_qd1.py."""
    raw = cbor2.dumps([cbor2.dumps({1: alg, 4: world.issuer_entry().kid}), {}, b"\xa0", b"\0" * 64])
    assert verify(_text_of(raw), world.bundle(), now=NOW).reason == "unsupported_algorithm"


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda w: (w.credential(idx=5000), w.bundle()), "outside"),
        (_status_value_3, "no meaning"),
        (lambda w: (w.credential(), w.bundle(lists=[sign_status_list(
            StatusList(64), w.root, uri=LIST_URI, iat=NOW - 60, exp=NOW)])), "expired"),
    ],
    ids=["index-outside-list", "status-3", "list-expired"],
)
def test_other_status_unknown_causes(world: World, make: Callable[[World], Any], why: str) -> None:
    """An index beyond the list, status value 3 and an expired list are all status_unknown."""
    made = make(world)
    text, bundle = made[:2]
    verdict = verify(text, bundle, now=NOW)
    assert verdict.reason == "status_unknown" and why in verdict.detail


@pytest.mark.parametrize("malformed_claims", [
    lambda c: {k: v for k, v in c.items() if k != cwt.LICENSE_CLAIM},
    lambda c: {**c, cwt.LICENSE_CLAIM: {0: 999, 1: 0}},
    lambda c: {**c, 7: b"no-dots"},
    lambda c: {**c, 6: "yesterday"},
    lambda c: {k: v for k, v in c.items() if k != 6},
], ids=["no-license-claim", "unknown-type", "bad-cti", "text-iat", "no-iat"])
def test_signed_but_malformed_claims(world: World, malformed_claims: Callable[[dict[Any, Any]], Any]) -> None:
    """Correctly signed claims that break the QD1 rules are malformed, not valid."""
    text = _sign_claims(world, malformed_claims(_valid_claims(world)))
    assert verify(text, world.bundle(), now=NOW).reason == "malformed"


def test_valid_credential_shows_its_disclosed_fields(world: World) -> None:
    """A good credential is valid and shows type, identifier, kid and exactly the profile's fields."""
    verdict = verify(world.credential(profile="standard"), world.bundle(), now=NOW)
    assert verdict.valid and verdict.reason is None and not verdict.holder_bound
    assert verdict.license_type == "driving_license"
    assert verdict.license_id == world.license.identifier
    assert verdict.kid == world.issuer_entry().kid
    assert verdict.fields == world.license.view("standard").fields


def test_valid_presentation_is_holder_bound(world: World) -> None:
    """A fresh presentation within ±90 s is valid and marked holder-bound."""
    cache = MemoryReplayCache()
    for offset in (-90, 0, 90):
        verdict = verify(world.presentation(at=NOW + offset), world.bundle(), now=NOW, replay_cache=cache)
        assert verdict.valid and verdict.holder_bound, verdict.detail


def test_presentation_too_far_in_the_future(world: World) -> None:
    """A presentation dated more than 90 s ahead of the verifier's clock is refused too."""
    assert verify(world.presentation(at=NOW + 91), world.bundle(), now=NOW).reason == "presentation_too_old"


def test_presentation_without_cache_warns(world: World) -> None:
    """Without a replay cache a presentation is accepted with a warning that replay was not checked."""
    verdict = verify(world.presentation(), world.bundle(), now=NOW)
    assert verdict.valid and "replay_not_checked" in verdict.warnings


def test_replay_cache_forgets_after_the_window(world: World) -> None:
    """The cache entry expires after the presentation window, so memory does not grow forever."""
    cache = MemoryReplayCache()
    text = world.presentation(at=NOW)
    assert verify(text, world.bundle(), now=NOW, replay_cache=cache).valid
    assert verify(text, world.bundle(), now=NOW + 90, replay_cache=cache).reason == "replayed"
    assert cache.seen_before(b"other", now=NOW + 200, ttl=10) is False
    assert len(cache) == 1


def test_presenting_a_credential_without_device_key_fails(world: World) -> None:
    """Wrapping a credential that names no device key in a presentation is holder_binding_failed."""
    text = present(world.credential(), generate_device_key(), now=NOW)
    assert verify(text, world.bundle(), now=NOW).reason == "holder_binding_failed"


def test_old_trust_data_warns_but_verifies(world: World) -> None:
    """Trust data older than 24 h (but under 7 days) still verifies, with a warning."""
    verdict = verify(world.credential(now=NOW - 3 * 86400), world.bundle(iat=NOW - 25 * 3600), now=NOW)
    assert verdict.valid and verdict.warnings == ("trust_data_older_than_24h",)


def test_bundle_clock_skew_is_tolerated(world: World) -> None:
    """A counter clock up to 5 minutes behind the bundle's iat is tolerated."""
    assert verify(world.credential(), world.bundle(iat=NOW + 300), now=NOW).valid


def test_purpose_limits_what_is_shown(world: World) -> None:
    """With a purpose, only the fields it names are shown even if more were disclosed."""
    verdict = verify(world.credential(profile="full"), world.bundle(), now=NOW,
                     purpose={"holder_name", "license_class"})
    assert verdict.valid and set(verdict.fields) == {"holder_name", "license_class"}


def test_purpose_may_depend_on_the_license_type(world: World) -> None:
    """A purpose given as a function gets the license type read from the code, and filters like a set."""
    asked: list[str] = []

    def needs(license_type: str) -> set[str]:
        asked.append(license_type)
        return {"holder_name", "license_class"} if license_type == "driving_license" else {"address"}

    verdict = verify(world.credential(profile="full"), world.bundle(), now=NOW, purpose=needs)
    assert asked == [world.license.type_code]
    assert verdict.valid and set(verdict.fields) == {"holder_name", "license_class"}
    short = verify(world.credential(profile="minimal"), world.bundle(), now=NOW, purpose=needs)
    assert short.reason == "insufficient_disclosure" and "license_class" in short.detail


def test_insufficient_disclosure_does_not_spend_a_live_code(world: World) -> None:
    """A presentation refused for what it hides is not recorded as seen: the holder may show it again."""
    cache = MemoryReplayCache()
    text = world.presentation(profile="minimal")
    assert verify(text, world.bundle(), now=NOW, purpose={"license_class"}, replay_cache=cache).reason == \
        "insufficient_disclosure"
    assert verify(text, world.bundle(), now=NOW, replay_cache=cache).valid


def test_key_sharing_a_kid_is_tried(world: World) -> None:
    """When two bundle keys share a kid, the one that verifies is found."""
    decoy = world.issuer_entry(public_key=generate_p256().public_key(), kid=world.issuer_entry().kid)
    bundle = world.bundle(issuers=[decoy, world.issuer_entry()])
    assert verify(world.credential(), bundle, now=NOW).valid


def _reencodings(text: str) -> list[str]:
    raw = decode_text(text)
    body = cbor2.loads(raw).value
    untagged = cbor2.dumps(list(body))
    wrapped = cbor2.dumps(cbor2.CBORTag(61, cbor2.CBORTag(18, list(body))))
    return [
        "QD1:" + b45encode(zlib.compress(raw, 1)),
        "QD1:" + b45encode(zlib.compress(raw, 0)),
        encode_text(untagged),
        encode_text(wrapped),
    ]


def test_revoked_stays_revoked_however_reencoded(world: World) -> None:
    """Re-compressing or re-tagging a revoked credential's QR does not change its verdict."""
    for text in _reencodings(world.credential(idx=REVOKED_IDX)):
        assert verify(text, world.bundle(), now=NOW).reason == "revoked"


def test_replay_is_caught_after_recompression(world: World) -> None:
    """A presentation re-compressed differently is still the same presentation to the replay cache."""
    cache = MemoryReplayCache()
    text = world.presentation()
    assert verify(text, world.bundle(), now=NOW, replay_cache=cache).valid
    again = "QD1:" + b45encode(zlib.compress(decode_text(text), 1))
    assert again != text
    assert verify(again, world.bundle(), now=NOW, replay_cache=cache).reason == "replayed"


def test_malleated_device_signature_is_still_a_replay(world: World) -> None:
    """Turning the device signature (r, s) into (r, n - s) does not make a presentation new."""
    cache = MemoryReplayCache()
    text = world.presentation()
    assert verify(text, world.bundle(), now=NOW, replay_cache=cache).valid
    version, issuer_cose, t, signature = cbor2.loads(decode_text(text))
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    flipped = signature[:32] + (n - int.from_bytes(signature[32:], "big")).to_bytes(32, "big")
    again = encode_text(cbor2.dumps([version, issuer_cose, t, flipped]))
    assert verify(again, world.bundle(), now=NOW, replay_cache=cache).reason == "replayed"
