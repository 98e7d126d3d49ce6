"""The load harness's accounting (bench/load/tally.py): an acknowledged record missing from the database is lost."""

from __future__ import annotations

import uuid

from sqlalchemy import delete

from bench.load.tally import Tally, count_lost
from zwt.models import AccessLogEntry, Presentation


def test_count_lost_finds_a_deleted_presentation_and_a_log_record_never_stored(world):
    citizen = world.citizen(0)
    license_id = world.license_id(citizen, "id_card")
    tally = Tally()
    for _ in range(3):
        made = world.present(citizen, license_id, profile="minimal")
        assert made.status_code == 201, made.json
        tally.presented(made.json["id"])
    svc = world.app.extensions["zwt"]
    stored, never = uuid.uuid4().hex, uuid.uuid4().hex
    with svc.db.sessions() as sess:
        sess.add(AccessLogEntry(at=world.clock.now(), event="verified", source="offline", record_id=stored))
        sess.commit()
    tally.logged([stored, never])

    assert count_lost(svc.db.engine, tally).lost == 1  # the record the database never got

    gone = sorted(tally.presentations)[1]
    with svc.db.sessions() as sess:
        sess.execute(delete(Presentation).where(Presentation.public_id == gone))
        sess.commit()
    lost = count_lost(svc.db.engine, tally)
    assert (lost.presentations_acked, lost.presentations_found) == (3, 2)
    assert (lost.records_acked, lost.records_found) == (2, 1)
    assert lost.lost == 2
