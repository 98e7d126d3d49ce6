"""The credit platform's adapter against its sandbox: the demo records, standings, broken commitments, faults."""

from __future__ import annotations

import datetime as dt

import pytest

from services_catalog.credit import BrokenCommitment, CreditCategory
from services_catalog.errors import DepartmentRejected, DepartmentUnavailable, MalformedAnswer
from services_catalog.ports import CreditPlatform
from services_catalog.records import Citizen
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from services_catalog.sandbox.credit import CreditSandbox, sandbox_credit_platform
from services_catalog.sandbox.registry import PeopleRegistry
from services_catalog.sandbox.script import MALFORMED_KINDS
from wallet.identifiers import resident_id_check_digit

ZHANG, WANG, LI, LIU, CHEN, ZHAO = (person.citizen for person in DEMO_CITIZENS)
COMMITMENT = BrokenCommitment("cmt-0001", "11370200MB0000001X4370200001", "居住证签注", ("社保缴费证明",),
                              dt.date(2026, 12, 1), "青岛市公安局")


@pytest.fixture
def sandbox():
    """The sandbox over the demo people."""
    return CreditSandbox()


@pytest.fixture
def platform(sandbox):
    """The production adapter talking to the sandbox in-process."""
    return sandbox_credit_platform(sandbox)


def test_the_adapter_is_the_port(platform):
    """The adapter offers what the port names."""
    assert isinstance(platform, CreditPlatform)


@pytest.mark.parametrize("person, categories", [
    (ZHANG, [CreditCategory.AWARD]), (WANG, [CreditCategory.QUALIFICATION]), (LI, [CreditCategory.QUALIFICATION]),
    (LIU, [CreditCategory.PENALTY]), (CHEN, [CreditCategory.AWARD, CreditCategory.QUALIFICATION]), (ZHAO, []),
])
def test_every_demo_person_has_a_record(platform, person, categories):
    """Each demo person's record reads back with its categories, sources, dates and statuses."""
    record = platform.credit_record(person, timeout=1)
    assert [entry.category for entry in record.entries] == categories
    assert all(entry.source and entry.reference and entry.date < dt.date(2026, 1, 1) for entry in record.entries)


def test_the_penalty_is_in_force_with_its_authority_and_decision_number(platform):
    """刘洋's penalty, as the market regulator decided it."""
    (penalty,) = platform.credit_record(LIU, timeout=1).of(CreditCategory.PENALTY)
    assert (penalty.status, penalty.source, penalty.date) == ("in_force", "青岛市崂山区市场监督管理局",
                                                              dt.date(2025, 9, 18))
    assert penalty.reference == "青崂市监罚〔2025〕0312号"


def test_one_demo_person_is_on_a_restriction_list_with_a_repair_route(platform):
    """赵磊 is a dishonest judgment debtor; asked about another list only, he is not on it; the others are clean."""
    (listing,) = platform.standing(ZHAO, (), timeout=1).listings
    assert (listing.list_code, listing.list_name, listing.since) == ("court_dishonest_debtors", "失信被执行人名单",
                                                                     dt.date(2025, 6, 18))
    assert "信用修复" in listing.repair.steps + listing.repair.apply_at and listing.reason
    assert platform.standing(ZHAO, ("court_dishonest_debtors",), timeout=1).restricted
    assert not platform.standing(ZHAO, ("tax_major_violations",), timeout=1).restricted
    assert not platform.standing(ZHAO, ("a_list_nobody_keeps",), timeout=1).restricted
    assert not any(platform.standing(p, (), timeout=1).restricted for p in (ZHANG, WANG, LI, LIU, CHEN))


def test_a_newcomer_has_an_empty_record(platform, tmp_path):
    """Someone the registry added has a record with nothing in it, and is in good standing."""
    registry = PeopleRegistry(tmp_path / "people.json")
    first17 = "37020219900101001"
    person = registry.add(name="王小明", id_number=first17 + resident_id_check_digit(first17), phone="13912345678")
    newcomer = sandbox_credit_platform(CreditSandbox(registry=registry))
    assert newcomer.credit_record(person.citizen, timeout=1).entries == ()
    assert not newcomer.standing(person.citizen, (), timeout=1).restricted


def test_a_broken_commitment_reaches_the_record_once(platform, sandbox):
    """Reported twice, it is recorded once, newest entry of the subject's record; nobody else's record changes."""
    first = platform.record_broken_commitment(ZHANG, COMMITMENT, timeout=1)
    assert platform.record_broken_commitment(ZHANG, COMMITMENT, timeout=1) == first
    (broken,) = platform.credit_record(ZHANG, timeout=1).of(CreditCategory.BROKEN_COMMITMENT)
    expected = (first, "recorded", "青岛市公安局", dt.date(2026, 12, 1))
    assert (broken.reference, broken.status, broken.source, broken.date) == expected
    assert "社保缴费证明" in broken.title and "居住证签注" in broken.title
    assert platform.credit_record(ZHANG, timeout=1).entries[0] == broken
    assert platform.credit_record(WANG, timeout=1).of(CreditCategory.BROKEN_COMMITMENT) == ()
    with pytest.raises(DepartmentRejected):  # the same commitment number for someone else
        platform.record_broken_commitment(WANG, COMMITMENT, timeout=1)
    assert sandbox.script.operations().count("record_broken_commitment") == 3


def test_a_name_that_does_not_match_the_number_is_refused(platform):
    """The platform checks the pair: the caller's fault, which breakers ignore."""
    with pytest.raises(DepartmentRejected):
        platform.credit_record(Citizen(ZHANG.id_number, "王芳"), timeout=1)


@pytest.mark.parametrize("fault, error", [("5xx", DepartmentUnavailable), ("refuse", DepartmentUnavailable),
                                          ("4xx", DepartmentRejected)])
def test_faults_map_to_the_department_error_family(platform, sandbox, fault, error):
    """A scripted outage, refusal or client error is the matching department error, on every operation."""
    sandbox.script.set(fault=fault, status=400 if fault == "4xx" else 503)
    for call in (lambda: platform.credit_record(LIU, timeout=1), lambda: platform.standing(ZHAO, (), timeout=1),
                 lambda: platform.record_broken_commitment(ZHANG, COMMITMENT, timeout=1)):
        with pytest.raises(error):
            call()


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_a_malformed_answer_is_malformed(platform, sandbox, kind):
    """A missing field, a wrong type, an impossible date or a cut body is MalformedAnswer, never another error."""
    sandbox.script.set(fault="malformed", malformed=kind)
    with pytest.raises(MalformedAnswer):
        platform.credit_record(CHEN, timeout=1)
    with pytest.raises(MalformedAnswer):
        platform.standing(ZHAO, (), timeout=1)
