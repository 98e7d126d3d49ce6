"""Issue 20, public credit: the citizen's own record over HTTP, the standing an item's rule needs, broken
commitments, the platform down, and an access-log entry for every look-up."""

from __future__ import annotations

import datetime as dt

import pytest

from services_catalog.adapters import CreditPlatformAdapter
from services_catalog.credit import BrokenCommitment
from services_catalog.credit_rules import CreditRule
from services_catalog.fakes import fake_departments
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from zwt.config import Config, ConfigError
from zwt.credit import CreditUnavailable, credit_standing_for, record_broken_commitment
from zwt.db import session

from ..wallet.test_privacy_scan import full_id_numbers, phones
from .conftest import account_of

ITEM = "11370200MB0000001X4370200001"
RESTRICTED = CreditRule(restricted_lists=("court_dishonest_debtors",))
COMMITMENT = CreditRule(deferrable_materials=("社保缴费证明",), restricted_lists=("court_dishonest_debtors",))


def credit(client, citizen):
    """GET the citizen's own credit record."""
    return client.get("/api/v1/me/credit", headers=citizen.headers)


def log_events(client, citizen) -> list[tuple[str, str, str | None, str | None]]:
    """The citizen's access log, oldest first: (event, source, impl_code, verdict)."""
    items = client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    return [(e["event"], e["source"], e["impl_code"], e["verdict"]) for e in reversed(items)]


@pytest.mark.parametrize("index, standing, counts", [
    (0, "good", {"awards": 1}), (1, "good", {"qualifications": 1}), (2, "good", {"qualifications": 1}),
    (3, "good", {"penalties": 1}), (4, "good", {"awards": 1, "qualifications": 1}), (5, "restricted", {}),
])
def test_every_demo_person_reads_their_record(client, demo, index, standing, counts):
    """Each demo citizen's record, by section, with no full ID number or phone anywhere in it."""
    citizen = demo(index)
    answer = credit(client, citizen)
    assert answer.status_code == 200, answer.json
    body = answer.json
    sections = ("penalties", "qualifications", "awards", "broken_commitments")
    assert {key: len(body[key]) for key in sections if body[key]} == counts
    assert body["standing"] == standing and body["source"]["state"] == "ok"
    raw = answer.get_data(as_text=True)
    assert full_id_numbers(raw) == set() and phones(raw) == set()


def test_the_penalty_shows_its_source_date_and_status(client, demo):
    """刘洋 sees the market regulator's penalty in force, with its public decision number."""
    (penalty,) = credit(client, demo(3)).json["penalties"]
    assert penalty == {"category": "penalty", "title": penalty["title"], "source": "青岛市崂山区市场监督管理局",
                       "date": "2025-09-18", "status": "in_force", "reference": "青崂市监罚〔2025〕0312号"}


def test_a_certificate_number_is_masked(client, demo):
    """A qualification's certificate number shows its last four characters only."""
    (qualification,) = credit(client, demo(1)).json["qualifications"]
    assert qualification["reference"] == "*" * 11 + "0042" and qualification["status"] == "valid"


def test_the_restricted_citizen_sees_the_list_the_reason_and_how_to_repair(client, demo):
    """赵磊 is on the list of dishonest judgment debtors, and is told how to leave it (信用修复)."""
    (listing,) = credit(client, demo(5)).json["restrictions"]
    assert (listing["list"], listing["list_name"], listing["since"]) == (
        "court_dishonest_debtors", "失信被执行人名单", "2025-06-18")
    assert listing["reason"] and listing["repair"]["authority"] == "青岛市中级人民法院"


@pytest.mark.parametrize("fault", ["5xx", "refuse", "malformed"])
def test_the_platform_down_is_a_clear_503_and_still_logged(client, demo, credit_sandbox, fault):
    """No empty record that would read as a clean one: 503 ``credit_platform_unavailable``, and the try is logged."""
    citizen = demo(3)
    credit_sandbox.script.set(fault=fault)
    answer = credit(client, citizen)
    assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
    assert answer.json["code"] == "credit_platform_unavailable" and answer.headers["Retry-After"] == "30"
    assert answer.json["reason"] in ("unavailable", "malformed")
    credit_sandbox.script.heal()
    assert credit(client, citizen).status_code == 200
    assert log_events(client, citizen) == [("credit_lookup", "app", None, "unavailable"),
                                           ("credit_lookup", "app", None, "ok")]


def test_every_look_up_is_one_access_log_entry(client, demo, credit_sandbox):
    """Three look-ups, three entries, each one call to the platform (nothing is served from a cache)."""
    citizen = demo(0)
    for _ in range(3):
        assert credit(client, citizen).status_code == 200
    assert log_events(client, citizen) == [("credit_lookup", "app", None, "ok")] * 3
    assert credit_sandbox.script.operations() == ["credit_record", "standing"] * 3


def test_a_citizen_without_released_licenses_cannot_read_a_record(client, auth):
    """Below the level that releases licenses (a newcomer the police do not know), 403 and no look-up."""
    stranger = auth.register(name="孙悦")
    answer = credit(client, stranger)
    assert answer.status_code == 403 and answer.json["code"] == "proofing_level_too_low"


@pytest.mark.parametrize("index, rule, verdict, standing, deferrable", [
    (0, COMMITMENT, "commitment_allowed", "good", ["社保缴费证明"]),
    (5, COMMITMENT, "refused", "restricted", []),
    (5, RESTRICTED, "refused", "restricted", []),
    (3, RESTRICTED, "allowed", "good", []),
    (5, CreditRule(), "allowed", "not_checked", []),
])
def test_a_department_gets_only_the_standing_and_outcome(app, client, demo, credit_sandbox, index, rule, verdict,
                                                         standing, deferrable):
    """``credit_standing_for`` answers the rule's question, logs it with the item, and shows nothing else."""
    citizen = demo(index)
    with app.app_context():
        outcome = credit_standing_for(account_of(citizen), rule, svc=app.extensions["zwt"], impl_code=ITEM)
        session().commit()
    shown = outcome.to_dict()
    assert (shown["verdict"], shown["standing"], shown["deferrable"]) == (verdict, standing, deferrable)
    assert set(shown) == {"verdict", "standing", "reason", "full_materials", "deferrable", "refused_by"}
    if verdict == "refused":
        assert shown["refused_by"][0]["repair"]["steps"] and shown["refused_by"][0]["list"] == "court_dishonest_debtors"
    asked = [] if not rule.needs_standing else [("credit_checked", "platform", ITEM, verdict)]
    assert log_events(client, citizen) == asked
    assert credit_sandbox.script.operations() == (["standing"] if rule.needs_standing else [])


def test_with_the_platform_down_the_standing_is_unknown_and_every_material_is_due(app, client, demo, credit_sandbox):
    """A commitment needs a known standing: unknown falls back to the full materials, and is logged so."""
    citizen = demo(0)
    credit_sandbox.script.set(fault="5xx")
    with app.app_context():
        outcome = credit_standing_for(account_of(citizen), COMMITMENT, svc=app.extensions["zwt"], impl_code=ITEM)
        session().commit()
    assert (outcome.verdict.value, outcome.standing.value, outcome.full_materials) == ("unknown", "unknown", True)
    assert log_events(client, citizen) == [("credit_checked", "platform", ITEM, "unknown")]


def test_a_broken_commitment_reaches_the_citizens_record(app, client, demo, credit_sandbox):
    """Reported through the adapter, it shows in the citizen's record and their access log."""
    citizen = demo(0)
    broken = BrokenCommitment("cmt-app-1", ITEM, "居住证签注", ("社保缴费证明",), dt.date(2026, 12, 1), "青岛市公安局")
    with app.app_context():
        number = record_broken_commitment(account_of(citizen), broken, svc=app.extensions["zwt"])
        session().commit()
    (shown,) = credit(client, citizen).json["broken_commitments"]
    assert (shown["reference"], shown["status"], shown["date"]) == (number, "recorded", "2026-12-01")
    assert log_events(client, citizen)[0] == ("commitment_broken", "platform", ITEM, "recorded")


def test_a_broken_commitment_the_platform_cannot_take_is_an_error_for_the_caller_to_retry(app, demo, credit_sandbox):
    """Nothing is logged as recorded when the platform is down; the caller keeps the duty to report it."""
    citizen = demo(0)
    credit_sandbox.script.set(fault="5xx")
    broken = BrokenCommitment("cmt-app-2", ITEM, "居住证签注", ("社保缴费证明",), dt.date(2026, 12, 1), "青岛市公安局")
    with app.app_context(), pytest.raises(CreditUnavailable):
        record_broken_commitment(account_of(citizen), broken, svc=app.extensions["zwt"])


def test_a_configured_platform_is_reached_over_http_behind_the_fence(make_app, auth_for):
    """``ZWT_CREDIT_PLATFORM`` builds the HTTP adapter; a platform nobody listens at is the 503, not a 500."""
    app = make_app({"ZWT_CREDIT_PLATFORM": "http://127.0.0.1:9"}, departments=fake_departments())
    assert isinstance(app.extensions["zwt"].credit, CreditPlatformAdapter)
    client, auth = auth_for(app)
    person = DEMO_CITIZENS[0]
    citizen = auth.register(name=person.citizen.name, id_number=person.citizen.id_number, phone=person.phone)
    answer = credit(client, citizen)
    assert answer.status_code == 503 and answer.json["reason"] == "unavailable"


def test_a_platform_address_that_is_not_http_stops_the_start():
    """The setting is checked like every other, naming the variable."""
    with pytest.raises(ConfigError, match="ZWT_CREDIT_PLATFORM"):
        Config.from_env({}, overrides={"ZWT_CREDIT_PLATFORM": "ftp://credit.example"})
