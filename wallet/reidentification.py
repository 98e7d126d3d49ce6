"""Re-identification audit of disclosures: how many full resident ID numbers fit what a QR code shows.

A GB 11643 resident ID number is ``AAAAAA YYYYMMDD SSS C``: the area code of first registration, the
birth date, a sequence number whose parity is the sex (odd: male) and a check digit, ``C`` =
``"10X98765432"[sum(w_i * d_i) mod 11]`` with ``w_i = 2^(17-i) mod 11``. The masked number
(``wallet.licenses.mask_code``) shows the first 4 digits (``3702``, the city) and the last 4 (the whole
sequence and the check digit) and hides the district and the birth date.

Attacker model (issue 12): the attacker knows

- the city: the number is one of the ten Qingdao area codes of ``wallet.license_samples.DISTRICTS``;
- the usual mapping from an authority, a place or a registry number to its district: any field whose
  value names a district (``FieldSpec.names_district``) gives the area code away;
- every field the disclosure shows: the masked number (district prefix, sequence, check digit), the
  full number, the birth date, the sex, the district-naming fields;
- that birth dates run from 1900-01-01 to ``today``, or to ``today`` less the age a type requires of its
  holder (``MIN_AGE``).

Other disclosed dates (issue, registration, validity) only bound the birth date from above. The count of
a profile takes the bound at its least informative value, ``today``; for the masked number alone the
count stays above 10,000 for any bound after 1930 (11,000 days x 10 areas / 11 check residues).
The statutory link between an ID card's validity length and the holder's age at issue (5, 10, 20 years
or 长期 for under 16, 16-25, 26-45, 46 and over) is outside this model.

Counting is exact, not sampled. When the check digit is visible, the candidates are the (area, birth
date) pairs whose weighted digit sum falls in the one residue mod 11 the check digit and the sequence
fix; the histogram of those residues over all pairs is the cyclic convolution of the areas' and the
dates' histograms, so a count is exact after one pass over the ~46,000 days. The count returned is the
worst case over every value the hidden parts could take (the fewest candidates any real holder gets).
Without a visible check digit every area x date x sequence combination is a candidate: a product.

Who is counted: the holder, when the type's holder code is (or may be) a resident ID number, and every
other person whose number a field carries (a spouse's, a parent's). Holder codes that are not resident
ID numbers (unified social credit codes, certificate and passport-like numbers) are outside the model:
such a holder is not counted, and a type with nobody to count reports the unconstrained number of ID
numbers, since it discloses nothing about any.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from wallet.identifiers import RESIDENT_ID_WEIGHTS
from wallet.license_samples import DISTRICTS
from wallet.license_types import BIRTH_DATE, EITHER, PERSON, LicenseType

__all__ = [
    "THRESHOLD",
    "EARLIEST_BIRTH",
    "MIN_AGE",
    "AREA_CODES",
    "Known",
    "candidates",
    "disclosure_candidates",
    "profile_candidates",
]

#: Fewest candidate ID numbers a disclosure short of ``full`` may leave.
THRESHOLD = 10_000
EARLIEST_BIRTH = _dt.date(1900, 1, 1)
#: Age a holder of the type has at least (driving licence C1 from 18; 老年人优待证 from 60).
MIN_AGE: Mapping[str, int] = MappingProxyType({"driving_license": 18, "senior_citizen_card": 60})
AREA_CODES: tuple[str, ...] = tuple(sorted(DISTRICTS.values()))
_SEQUENCES = 1000  # three digits; the parity is the sex


@dataclass(frozen=True)
class Known:
    """What a disclosure tells the attacker about one person's resident ID number."""

    full: bool = False  # the whole number
    masked: bool = False  # the sequence (so the sex) and the check digit
    sex: bool = False
    birth_date: bool = False
    district: bool = False


def _residue(digits: str, weights: Sequence[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11


def _histogram(residues: Iterable[int]) -> list[int]:
    bins = [0] * 11
    for r in residues:
        bins[r] += 1
    return bins


@lru_cache(maxsize=64)
def _birth_histogram(born_from: _dt.date, born_until: _dt.date) -> tuple[int, ...]:
    """Residues mod 11 of the weighted YYYYMMDD digits, counted over every day of the range."""
    weights = RESIDENT_ID_WEIGHTS[6:14]
    bins = [0] * 11
    for ordinal in range(born_from.toordinal(), born_until.toordinal() + 1):
        day = _dt.date.fromordinal(ordinal)
        bins[(_residue(f"{day.year:04d}", weights[:4]) + _residue(f"{day.month:02d}{day.day:02d}", weights[4:]))
             % 11] += 1
    return tuple(bins)


def candidates(known: Known, *, born_from: _dt.date, born_until: _dt.date,
               areas: Sequence[str] = AREA_CODES) -> int:
    """Fewest full ID numbers any holder leaves consistent with ``known``, births in the given range."""
    if known.full:
        return 1
    days = max(0, (born_until - born_from).days + 1)
    area_groups = [[a] for a in areas] if known.district else [list(areas)]
    if not known.masked:
        return min(len(g) for g in area_groups) * (1 if known.birth_date else days) * (
            _SEQUENCES // 2 if known.sex else _SEQUENCES)
    birth = _birth_histogram(born_from, born_until)
    worst = None
    for group in area_groups:
        area = _histogram(_residue(code, RESIDENT_ID_WEIGHTS[:6]) for code in group)
        if known.birth_date:  # one date shifts the areas' residues: the same bins, rotated
            bins = area
        else:
            bins = [sum(area[i] * birth[(k - i) % 11] for i in range(11)) for k in range(11)]
        fewest = min(b for b in bins if b)
        worst = fewest if worst is None else min(worst, fewest)
    return worst or 0


def _latest_birth(type_code: str, today: _dt.date) -> _dt.date:
    years = MIN_AGE.get(type_code, 0)
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def disclosure_candidates(ltype: LicenseType, fields: Iterable[str], *, today: _dt.date) -> int:
    """Fewest full ID numbers of any person on a license of ``ltype`` consistent with showing ``fields``."""
    shown = set(fields)
    latest = _latest_birth(ltype.code, today)
    counts = []
    if ltype.holder_kind in (PERSON, EITHER):
        known = Known(
            full="holder_code" in shown,
            masked="holder_code_masked" in shown,
            sex="gender" in shown,
            birth_date=BIRTH_DATE in shown,
            district=any(ltype.field(name).names_district for name in shown if name in ltype.field_names),
        )
        counts.append(candidates(known, born_from=EARLIEST_BIRTH, born_until=latest))
    for spec in ltype.fields:  # another person's number (spouse, parents): shown whole or not at all
        if spec.holds_resident_id:
            counts.append(candidates(Known(full=spec.name in shown), born_from=EARLIEST_BIRTH, born_until=today))
    if not counts:
        return candidates(Known(), born_from=EARLIEST_BIRTH, born_until=today)
    return min(counts)


def profile_candidates(ltype: LicenseType, profile: str, *, today: _dt.date) -> int:
    """Fewest full ID numbers consistent with the named ``profile`` of ``ltype``."""
    return disclosure_candidates(ltype, ltype.profiles[profile], today=today)
