"""Hypothesis strategies for wallet tests: valid identifiers, Chinese names and licenses of every type.

Shipped with the library (like ``structlog.testing``) so app developers and our own tests draw the
same realistic data. Hypothesis is an optional dependency (the ``test`` extra): importing ``wallet`` or
any other wallet module never needs it, and importing this one without it says what to install.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by tests/wallet/test_testing.py
    raise ImportError("wallet.testing needs hypothesis, an optional dependency: "
                      "pip install 'zhengwutong[test]' (or pip install hypothesis)") from exc

from wallet.identifiers import resident_id_check_digit, unified_credit_code_check_char
from wallet.license_samples import DISTRICTS, GIVEN_NAME_CHARS, SURNAMES
from wallet.license_types import PROFILES, REGISTRY
from wallet.licenses import License, sample_license

__all__ = [
    "resident_ids",
    "unified_credit_codes",
    "chinese_names",
    "serials",
    "licenses",
    "profiles",
]

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SERIAL_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@st.composite
def resident_ids(
    draw: st.DrawFn,
    min_birth: _dt.date = _dt.date(1930, 1, 1),
    max_birth: _dt.date = _dt.date(2024, 12, 31),
) -> str:
    """Draw a valid GB 11643 resident ID number with a Qingdao region code."""
    region = draw(st.sampled_from(sorted(DISTRICTS.values())))
    birth = draw(st.dates(min_birth, max_birth))
    seq = draw(st.integers(0, 999))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + resident_id_check_digit(body)


@st.composite
def unified_credit_codes(draw: st.DrawFn) -> str:
    """Draw a valid GB 32100 unified social credit code (enterprise, Qingdao region)."""
    head = draw(st.sampled_from(["91", "92", "93", "11", "12", "52"]))
    region = draw(st.sampled_from(sorted(DISTRICTS.values())))
    subject = draw(st.text(_USCC_CHARS, min_size=9, max_size=9))
    body = head + region + subject
    return body + unified_credit_code_check_char(body)


def chinese_names() -> st.SearchStrategy[str]:
    """Draw a common Chinese personal name of two or three characters."""
    return st.builds(
        lambda surname, given: surname + given,
        st.sampled_from(SURNAMES),
        st.text(GIVEN_NAME_CHARS, min_size=1, max_size=2),
    )


def serials() -> st.SearchStrategy[str]:
    """Draw a GB/T 36904 serial: 1-32 upper-case letters or digits, usually a dated counter."""
    return st.one_of(
        st.builds(lambda year, n: f"{year}{n:06d}", st.integers(2015, 2030), st.integers(0, 999_999)),
        st.text(_SERIAL_CHARS, min_size=1, max_size=32),
    )


def profiles() -> st.SearchStrategy[str]:
    """Draw one of the named disclosure profiles."""
    return st.sampled_from(PROFILES)


@st.composite
def licenses(
    draw: st.DrawFn,
    type_codes: Sequence[str] | None = None,
    today: _dt.date | None = None,
) -> License:
    """Draw a realistic license of any registered type (or of ``type_codes``), valid on ``today``."""
    code = draw(st.sampled_from(sorted(type_codes or REGISTRY)))
    day = today or draw(st.dates(_dt.date(2020, 1, 1), _dt.date(2035, 12, 31)))
    holder_code = draw(st.one_of(resident_ids(max_birth=day - _dt.timedelta(days=1)), unified_credit_codes())
                       if REGISTRY[code].holder_kind == "resident_id_or_credit_code"
                       else resident_ids(max_birth=day - _dt.timedelta(days=1)))
    return sample_license(
        code, holder_name=draw(chinese_names()), holder_code=holder_code, serial=draw(serials()), today=day
    )
