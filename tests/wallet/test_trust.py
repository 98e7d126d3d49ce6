"""Trust bundles: signature, rollback, age, and the status lists and keys they carry."""

from __future__ import annotations

import cbor2
import pytest

from tests.wallet.conftest import LIST_URI, NOW, World
from wallet import cose
from wallet.errors import InvalidCredential
from wallet.keys import generate_p256
from wallet.status_list import StatusList, sign_status_list
from wallet.trust import MAX_AGE, TrustBundle, load_bundle


def _load(world: World, data: bytes) -> TrustBundle:
    return load_bundle(data, [world.root.public_key()], now=NOW)


def test_round_trip_keeps_keys_and_lists(world: World) -> None:
    """A bundle loads back with its seq, times, issuer keys and status lists."""
    bundle = load_bundle(world.bundle_bytes(seq=9), [world.root.public_key()], now=NOW)
    assert (bundle.seq, bundle.iat, bundle.exp) == (9, NOW - 60, NOW - 60 + MAX_AGE)
    entry = world.issuer_entry()
    assert bundle.keys_for(entry.kid) == (entry,)
    assert bundle.status_lists[LIST_URI].status_list.get(7) == 1


def test_wrong_root_key_is_refused(world: World) -> None:
    """A bundle signed by another key than the platform root is refused."""
    with pytest.raises(InvalidCredential) as caught:
        load_bundle(world.bundle_bytes(), [generate_p256().public_key()], now=NOW)
    assert caught.value.reason == "trust_bundle_invalid"


def test_tampered_bundle_is_refused(world: World) -> None:
    """Changing a byte of the signed payload makes the bundle invalid."""
    message = cose.decode_sign1(world.bundle_bytes())
    payload = bytearray(message.payload)
    payload[10] ^= 0x01
    forged = cose.Sign1(message.protected, message.protected_headers, {}, bytes(payload), message.signature)
    with pytest.raises(InvalidCredential) as caught:
        _load(world, forged.encode())
    assert caught.value.reason == "trust_bundle_invalid"


def test_a_credential_signed_by_the_root_is_not_a_bundle(world: World) -> None:
    """A COSE message without the trust-bundle typ is refused even when the root signed it."""
    with pytest.raises(InvalidCredential) as caught:
        _load(world, cose.sign1(cbor2.dumps({"seq": 1}), world.root))
    assert caught.value.reason == "trust_bundle_invalid"


@pytest.mark.parametrize(("held", "ok"), [(None, True), (4, True), (5, True), (6, False)])
def test_rollback_by_seq(world: World, held: int | None, ok: bool) -> None:
    """A bundle whose seq is lower than the one held is a rollback; equal or higher is fine."""
    data = world.bundle_bytes(seq=5)
    if ok:
        assert load_bundle(data, [world.root.public_key()], now=NOW, held_seq=held).seq == 5
    else:
        with pytest.raises(InvalidCredential) as caught:
            load_bundle(data, [world.root.public_key()], now=NOW, held_seq=held)
        assert caught.value.reason == "trust_bundle_rollback"


@pytest.mark.parametrize(
    ("iat", "reason"),
    [(NOW - MAX_AGE - 1, "stale_trust_data"), (NOW + 301, "clock_before_bundle")],
)
def test_age_is_checked_on_load(world: World, iat: int, reason: str) -> None:
    """Loading refuses data older than 7 days and data issued after the loader's clock."""
    with pytest.raises(InvalidCredential) as caught:
        _load(world, world.bundle_bytes(iat=iat))
    assert caught.value.reason == reason


def test_exp_earlier_than_seven_days_is_honoured(world: World) -> None:
    """A bundle whose own exp has passed is stale even if it is younger than 7 days."""
    with pytest.raises(InvalidCredential) as caught:
        _load(world, world.bundle_bytes(iat=NOW - 3600, exp=NOW - 1))
    assert caught.value.reason == "stale_trust_data"


def test_status_list_signed_by_a_stranger_is_refused(world: World) -> None:
    """A status list inside the bundle must verify with the root or an issuer key of the bundle."""
    token = sign_status_list(StatusList(64), generate_p256(), uri=LIST_URI, iat=NOW)
    with pytest.raises(InvalidCredential) as caught:
        _load(world, world.bundle_bytes(lists=[token]))
    assert caught.value.reason == "trust_bundle_invalid" and "bad_signature" in caught.value.detail


def test_status_list_signed_by_an_issuer_is_accepted(world: World) -> None:
    """A department may sign its own status list with its issuer key."""
    token = sign_status_list(StatusList(64), world.issuer, uri=LIST_URI, iat=NOW)
    bundle = load_bundle(world.bundle_bytes(lists=[token]), [world.root.public_key()], now=NOW)
    assert LIST_URI in bundle.status_lists


def test_garbage_is_invalid(world: World) -> None:
    """Bytes that are not a COSE message are an invalid bundle, not a crash."""
    with pytest.raises(InvalidCredential) as caught:
        _load(world, b"\x00garbage")
    assert caught.value.reason == "trust_bundle_invalid"


def test_root_rotation_through_an_announced_next_root(world: World) -> None:
    """A bundle signed by the current root announces the next one; a counter that learned it keeps
    loading bundles once the next root signs them, and one that did not is refused."""
    from wallet.status_list import StatusList, sign_status_list
    from wallet.trust import build_bundle

    next_root = generate_p256()
    announcing = build_bundle(seq=6, iat=NOW - 60, issuers=[world.issuer_entry()], root_key=world.root,
                              status_lists=[world.status_token()], next_root=next_root.public_key())
    learned = load_bundle(announcing, [world.root.public_key()], now=NOW)
    assert learned.next_root is not None
    assert learned.next_root.public_numbers() == next_root.public_key().public_numbers()  # type: ignore[union-attr]
    assert _load(world, world.bundle_bytes()).next_root is None
    token = sign_status_list(StatusList.from_statuses(16, {7: 1}), next_root, uri=LIST_URI, iat=NOW - 30)
    rotated = build_bundle(seq=7, iat=NOW - 30, issuers=[world.issuer_entry()], root_key=next_root,
                           status_lists=[token])
    roots = [world.root.public_key(), learned.next_root]
    assert load_bundle(rotated, roots, now=NOW, held_seq=learned.seq).seq == 7
    with pytest.raises(InvalidCredential) as caught:
        _load(world, rotated)
    assert caught.value.reason == "trust_bundle_invalid"


def test_a_next_root_that_is_not_a_key_is_refused(world: World) -> None:
    """A malformed next_root makes the whole bundle invalid, not half-loaded."""
    body = cbor2.loads(cose.decode_sign1(world.bundle_bytes()).payload)
    body["next_root"] = b"not a key"
    data = cose.sign1(cbor2.dumps(body), world.root, protected={cose.HEADER_TYP: "application/vnd.qd1.trust+cbor"})
    with pytest.raises(InvalidCredential) as caught:
        _load(world, data)
    assert caught.value.reason == "trust_bundle_invalid"
