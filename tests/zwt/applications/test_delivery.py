"""Durable delivery: an outage leaves the application queued, retries back off, a dead letter is replayed."""

from __future__ import annotations

from zwt.applications.outbox import backoff_seconds


def test_outage_keeps_it_queued_until_the_department_returns(world, police, clock):
    """While the police system answers 503 nothing is lost; once it heals the next round delivers it."""
    citizen = world.citizen(0)
    app_id = world.apply(citizen, world.publish(1)).json["id"]
    police.script.set(fault="5xx")
    assert world.drain() == 0
    assert world.detail(citizen, app_id)["delivery_state"] == "queued"
    assert world.drain() == 0  # not due again before its backoff
    police.script.heal()
    assert world.drain() == 0
    clock.advance(backoff_seconds(1, 2.0))
    assert world.drain() == 1
    view = world.detail(citizen, app_id)
    assert view["delivery_state"] == "delivered" and view["state"] == "pre_check"
    assert list(police.cases) == [app_id]


def test_dead_letter_is_listed_and_replayed(make_app, departments, police, clock, auth, client):
    """After the last attempt the delivery is a dead letter a platform admin sees and replays."""
    from .conftest import Handling

    world = Handling(make_app({"ZWT_OUTBOX_MAX_ATTEMPTS": "2"}, departments=departments), client, auth, clock)
    world.client = world.app.test_client()
    world.auth = type(auth)(world.client, world.app)
    citizen = world.citizen(0)
    app_id = world.apply(citizen, world.publish(1)).json["id"]
    police.script.set(fault="refuse")
    world.drain()
    clock.advance(backoff_seconds(1, 2.0))
    world.drain()
    admin = world.staff("platform_admin")
    dead = world.client.get("/api/v1/admin/outbox/dead-letters", headers=admin).json
    assert [(d["application_id"], d["attempts"]) for d in dead["items"]] == [(app_id, 2)]
    assert dead["depth"] == {"dead": 1}
    assert world.detail(citizen, app_id)["delivery_state"] == "dead"
    police.script.heal()
    replayed = world.client.post(f"/api/v1/admin/outbox/dead-letters/{dead['items'][0]['id']}/replay", headers=admin)
    assert replayed.status_code == 200 and replayed.json["status"] == "pending"
    assert world.drain() == 1
    assert world.detail(citizen, app_id)["delivery_state"] == "delivered"
    assert world.client.get("/api/v1/admin/outbox/dead-letters", headers=admin).json["items"] == []
    again = world.client.post(f"/api/v1/admin/outbox/dead-letters/{dead['items'][0]['id']}/replay", headers=admin)
    assert again.status_code == 404


def test_redelivery_after_a_lost_answer_opens_no_second_case(world, police):
    """The department sees the application id twice and answers with the first case (idempotent delivery)."""
    from services_catalog.ports import ApplicationSubmission

    citizen = world.citizen(0)
    app_id = world.apply(citizen, world.publish(1)).json["id"]
    world.drain()
    adapter = world.app.extensions["zwt"].departments["police"].adapter
    receipt = adapter.submit_application(ApplicationSubmission(app_id, "x", "张伟", "x", {}, world.clock.now()),
                                         timeout=1)
    assert receipt.duplicate and receipt.reference == police.cases[app_id] and len(police.cases) == 1


def test_the_outbox_depth_gauge_follows_the_rows(make_app, departments, police, clock, auth, client):
    """``zwt_outbox_depth`` counts pending, in-flight and dead rows at each scrape, as deliveries move them."""
    from zwt.applications.outbox import LEASE_SECONDS, _lease

    from ..metrics_helpers import SCRAPE, TOKEN, parse, value
    from .conftest import Handling

    world = Handling(make_app({"ZWT_OUTBOX_MAX_ATTEMPTS": "1", "ZWT_METRICS_TOKEN": TOKEN}, departments=departments),
                     client, auth, clock)
    world.client = world.app.test_client()
    world.auth = type(auth)(world.client, world.app)
    svc = world.app.extensions["zwt"]

    def depth() -> dict[str, float]:
        found = parse(world.client.get("/metrics", headers=SCRAPE).get_data(as_text=True))
        return {state: value(found, "zwt_outbox_depth", state=state) for state in ("pending", "in_flight", "dead")}

    assert depth() == {"pending": 0, "in_flight": 0, "dead": 0}
    citizen = world.citizen(0)
    item = world.publish(1)
    world.apply(citizen, item)
    world.apply(citizen, item, form={"address": "青岛市市南区香港中路1号", "reason": "study", "since": "2026-02-01"})
    assert depth() == {"pending": 2, "in_flight": 0, "dead": 0}
    assert len(_lease(svc, 1)) == 1  # a worker took one and has not answered yet
    assert depth() == {"pending": 1, "in_flight": 1, "dead": 0}
    police.script.set(fault="refuse")
    world.drain()  # the other one fails its only attempt
    assert depth() == {"pending": 0, "in_flight": 1, "dead": 1}
    police.script.heal()
    clock.advance(LEASE_SECONDS)  # the first worker died: its lease runs out and the row is taken again
    assert world.drain() == 1
    assert depth() == {"pending": 0, "in_flight": 0, "dead": 1}
