"""Disclosure profiles audited for re-identification (issue 12, finding 2): no named profile short of ``full``
leaves fewer than 10,000 full resident ID numbers consistent with what it shows."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from wallet.identifiers import resident_id_check_digit
from wallet.license_types import PROFILES, REGISTRY
from wallet.reidentification import (
    AREA_CODES,
    THRESHOLD,
    Known,
    candidates,
    disclosure_candidates,
    profile_candidates,
)

TODAY = dt.date(2026, 11, 30)
CASES = [(code, profile) for code in REGISTRY for profile in PROFILES]


@pytest.mark.parametrize(("type_code", "profile"), CASES, ids=[f"{c}-{p}" for c, p in CASES])
def test_no_profile_short_of_full_narrows_the_id_number_below_the_threshold(type_code: str, profile: str) -> None:
    """Every named profile but ``full`` leaves at least 10,000 candidate ID numbers, worst case."""
    count = profile_candidates(REGISTRY[type_code], profile, today=TODAY)
    if profile != "full":
        assert count >= THRESHOLD, f"{type_code} profile {profile} leaves only {count} candidate ID numbers"


def test_the_issue_attack_on_the_old_id_card_standard_profile_leaves_one_number() -> None:
    """Masked number + birth date + issuing authority (the old default) pins the number; each alone is too much."""
    id_card = REGISTRY["id_card"]
    old = ("holder_name", "holder_code_masked", "valid_from", "valid_until", "gender", "ethnicity", "birth_date",
           "issuing_authority")
    assert disclosure_candidates(id_card, old, today=TODAY) == 1
    assert disclosure_candidates(id_card, ("holder_code_masked", "birth_date"), today=TODAY) < 10
    assert disclosure_candidates(id_card, ("holder_code_masked", "issuing_authority"), today=TODAY) < THRESHOLD
    assert disclosure_candidates(id_card, ("holder_code",), today=TODAY) == 1


def test_ten_person_standard_profiles_no_longer_show_the_birth_date() -> None:
    """The birth date left the standard profile of every type carrying it beside the masked number."""
    carrying = [t.code for t in REGISTRY.values() if "birth_date" in t.field_names]
    assert len(carrying) == 10
    assert not [code for code in carrying if "birth_date" in REGISTRY[code].profiles["standard"]]
    assert all("birth_date" in REGISTRY[code].profiles["full"] for code in carrying)


def test_fields_naming_a_district_are_recognised() -> None:
    """Authorities and registry numbers written with a district count; city- or national-level ones do not."""
    named = {(t.code, f.name) for t in REGISTRY.values() for f in t.fields if f.names_district}
    assert {("id_card", "issuing_authority"), ("marriage_certificate", "registration_authority"),
            ("marriage_certificate", "certificate_number"), ("teacher_qualification", "certificate_number"),
            ("senior_citizen_card", "district"), ("residence_permit", "issuing_authority")} <= named
    assert not {("exit_entry_permit", "issuing_authority"), ("physician_practice_certificate", "issuing_authority"),
                ("veteran_preferential_card", "card_number"), ("household_register", "birthplace")} & named


def _brute_force(known: Known, born: list[dt.date]) -> int:
    """Fewest numbers consistent with ``known``, by listing every real number and every candidate."""
    checks, seqs = set(), []
    for n in range(1000):  # sequence numbers covering every shift of the check digit the sequence adds
        seq = f"{n:03d}"
        check = resident_id_check_digit("0" * 14 + seq)
        if check not in checks:
            checks.add(check)
            seqs.append(seq)
    fewest = None
    for seq in seqs:
        numbers = {(a, d): resident_id_check_digit(a + d.strftime("%Y%m%d") + seq)
                   for a, d in itertools.product(AREA_CODES, born)}
        for (area, day), check in numbers.items():  # the real number; the attacker sees seq and check
            count = sum(1 for (a, d), c in numbers.items() if c == check
                        and (not known.district or a == area) and (not known.birth_date or d == day))
            fewest = count if fewest is None else min(fewest, count)
    assert fewest is not None
    return fewest


@pytest.mark.parametrize("known", [Known(masked=True), Known(masked=True, district=True),
                                   Known(masked=True, birth_date=True)], ids=["masked", "district", "birth"])
def test_the_closed_form_count_matches_listing_every_number(known: Known) -> None:
    """On a 40-day birth range, the histogram convolution gives the same worst case as listing all numbers."""
    born_from, born_until = dt.date(1999, 12, 10), dt.date(2000, 1, 18)
    born = [born_from + dt.timedelta(days=i) for i in range((born_until - born_from).days + 1)]
    assert candidates(known, born_from=born_from, born_until=born_until) == _brute_force(known, born)


def test_without_the_masked_number_the_count_is_a_product() -> None:
    """No check digit shown: every area, day and sequence (half of them once the sex is known) fits."""
    days = (TODAY - dt.date(1900, 1, 1)).days + 1
    assert candidates(Known(), born_from=dt.date(1900, 1, 1), born_until=TODAY) == 10 * days * 1000
    assert candidates(Known(sex=True, district=True), born_from=dt.date(1900, 1, 1), born_until=TODAY) == days * 500
