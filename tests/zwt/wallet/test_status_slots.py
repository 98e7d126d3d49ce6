"""Status-list slots over HTTP: a device-bound credential's slot is reused only long after it expired.

Issue 12, finding 8: every device-bound credential took a new index forever, so device churn grew the
lists without bound. Now a slot goes to a new credential once no counter can accept a presentation that
carries it, nor hold a bundle that shows its old bit (``zwt.wallet_service.status``).
"""

from __future__ import annotations

import datetime as dt

from wallet.cwt import StatusRef, decode_claims
from wallet.holder import present
from wallet.status_list import INVALID, VALID
from wallet.trust import CLOCK_SKEW
from wallet.verify import decode, verify
from zwt.wallet_service.keys import read_generation
from zwt.wallet_service.status import HEADROOM, REUSE_AFTER, SLOT_EXTENSION, allocate_for


def _status(response) -> StatusRef:
    """The status reference a presentation carries."""
    assert response.status_code == 201, response.json
    status = decode_claims(decode(response.json["qd1"]).message.payload).status
    assert status is not None
    return status


def _exp(response) -> float:
    """The presentation's ``exp`` as epoch seconds."""
    return dt.datetime.fromisoformat(response.json["expires_at"].replace("Z", "+00:00")).timestamp()


def _bit(world, ref: StatusRef) -> int:
    """The bit a counter syncing now reads for ``ref``."""
    return world.bundle().status_lists[ref.uri].status_list.get(ref.idx)


def _bound(world, index: int):
    """Demo citizen ``index`` with a fresh device and a device-bound ID-card presentation: (key, device, response)."""
    citizen = world.citizen(index)
    key, device_id = world.device(citizen)
    made = world.present(citizen, world.license_id(citizen, "id_card"))
    assert made.json["holder_bound"] is True
    return citizen, key, device_id, made


def _advance_to(world, instant: float) -> None:
    world.clock.advance(instant - world.clock.timestamp())


def test_revoked_slot_stays_set_while_needed_then_is_reused(world):
    """A removed device's slot reads revoked while its presentations live, is left out once they expired,
    and goes to a new credential only after every bundle a counter may hold has dropped the old bit."""
    alice, key, device_id, made = _bound(world, 0)
    old = _status(made)
    assert world.client.delete(f"/api/v1/me/devices/{device_id}", headers=alice.headers).status_code == 204
    shown = made.json["qd1"]
    assert verify(present(shown, key, now=world.now), world.bundle(), now=world.now).reason == "revoked"
    until = _exp(made) + SLOT_EXTENSION  # the slot's expires_at

    world.clock.advance(86400)  # still showable: a new credential never gets the revoked slot
    _, _, _, bob = _bound(world, 1)
    assert _status(bob).uri == old.uri and _status(bob).idx != old.idx
    assert _bit(world, old) == INVALID

    _advance_to(world, _exp(made) - 60)  # the last minute of the old credential: still revoked everywhere
    assert verify(present(shown, key, now=world.now), world.bundle(), now=world.now).reason == "revoked"

    _advance_to(world, until + CLOCK_SKEW + 2 * 3600)  # expired: bundles signed now leave the bit out
    assert _bit(world, old) == VALID
    assert verify(present(shown, key, now=world.now), world.bundle(), now=world.now).reason == "expired"

    _advance_to(world, until + REUSE_AFTER - 60)  # a bundle from before the drop may still be in use
    _, _, _, carol = _bound(world, 2)
    assert _status(carol).idx != old.idx

    world.clock.advance(120)  # every bundle a counter may use has dropped it: the slot is reused
    _, dave_key, dave_device, dave = _bound(world, 3)
    assert _status(dave) == old
    bundle = world.bundle()
    assert bundle.status_lists[old.uri].status_list.get(old.idx) == VALID
    assert verify(present(dave.json["qd1"], dave_key, now=world.now), bundle, now=world.now).valid
    assert verify(present(shown, key, now=world.now), bundle, now=world.now).reason == "expired"


def test_a_slot_in_use_is_extended_not_reused(world):
    """Each bound presentation keeps its slot alive past its own expiry: presenting again days later keeps the
    slot, and the slot is not reused on the first presentation's schedule."""
    alice, key, _, first = _bound(world, 0)
    ref = _status(first)
    world.clock.advance(2 * 86400)
    alice.access_token = world.auth.login(alice.phone, alice.password).json["access_token"]
    second = world.present(alice, world.license_id(alice, "id_card"))
    assert _status(second) == ref and _exp(second) > _exp(first)

    _advance_to(world, _exp(first) + SLOT_EXTENSION + REUSE_AFTER + 60)  # the first alone would allow reuse
    _, _, _, bob = _bound(world, 1)
    assert _status(bob).idx != ref.idx

    _advance_to(world, _exp(second) + SLOT_EXTENSION + REUSE_AFTER + 60)
    _, _, _, carol = _bound(world, 2)
    assert _status(carol) == ref


def test_migration_fills_expires_at_from_the_presentations_made(tmp_path):
    """Slots that existed before ``expires_at`` get the latest ``exp`` they carried; one never shown stays
    NULL, which is never reused."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from zwt.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'slots.db'}"
    command.upgrade(alembic_config(url), "336078739a67")
    engine = create_engine(url)
    with engine.begin() as conn:
        for cred, (lic, dev) in enumerate([(1, 1), (1, 2)], start=1):
            conn.execute(text("INSERT INTO wallet_device_credentials (id, license_id, device_id, status, "
                              "status_list_id, status_idx, created_at) VALUES (:id, :lic, :dev, 'revoked', 1, :id, "
                              "'2026-11-01 00:00:00.000000')"), {"id": cred, "lic": lic, "dev": dev})
        for n, (dev, exp) in enumerate([(1, "2026-11-04 00:00:00.000000"), (1, "2026-11-06 00:00:00.000000"),
                                        (None, "2026-11-09 00:00:00.000000")]):
            conn.execute(text("INSERT INTO wallet_presentations (public_id, account_id, license_id, device_id, kid, "
                              "profile, fields, text, issued_at, expires_at) VALUES (:p, 1, 1, :dev, 'k', "
                              "'standard', '[]', 'QD1:', '2026-11-01 00:00:00.000000', :exp)"),
                         {"p": f"prs_{n}", "dev": dev, "exp": exp})
    command.upgrade(alembic_config(url), "7c4e2a91d5b3")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, expires_at FROM wallet_device_credentials ORDER BY id")).all()
    engine.dispose()
    assert [(cred, str(at)[:19] if at else None) for cred, at in rows] == [(1, "2026-11-06 00:00:00"), (2, None)]


def test_allocate_for_hands_out_consecutive_slots_in_one_statement_and_makes_the_list(app):
    """The first allocation of a department makes its list; later ones continue it, and crossing the published
    size bumps the wallet generation (counters need the bigger list)."""
    with app.extensions["zwt"].db.sessions() as sess:
        list_id, first = allocate_for(sess, "civil_affairs", 3)
        assert first == 0
        assert allocate_for(sess, "civil_affairs", 2) == (list_id, 3)
        before = read_generation(sess)
        assert allocate_for(sess, "civil_affairs", HEADROOM) == (list_id, 5)
        assert read_generation(sess) == before + 1
        assert allocate_for(sess, "civil_affairs", 1) == (list_id, 5 + HEADROOM)
        assert read_generation(sess) == before + 1
        sess.commit()
