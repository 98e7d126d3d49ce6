"""What an issuing department runs: turn a ``License`` into a signed QD1 credential text for one profile."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from . import cose, cwt
from .codec import DEFAULT_PREFIX, encode_text
from .cti import compact_license_id
from .keys import PrivateKey, PublicKey
from .licenses import License

__all__ = ["CHINA_TZ", "issue", "day_start", "china_day", "expiry"]

#: Validity dates on Chinese licenses are calendar days in China Standard Time (UTC+8, no DST).
CHINA_TZ = _dt.timezone(_dt.timedelta(hours=8), "CST")


def day_start(day: _dt.date) -> int:
    """Return the epoch second at which ``day`` begins in China Standard Time."""
    return int(_dt.datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ).timestamp())


def china_day(now: _dt.datetime) -> _dt.date:
    """Return the China Standard Time calendar day of an aware instant, the day validity dates count in."""
    return now.astimezone(CHINA_TZ).date()


def expiry(license: License, *, now: int, validity: int | None) -> int | None:
    """Return a credential's ``exp`` (epoch seconds): the end of the license's last day, or sooner by ``validity``."""
    exp = None if license.valid_until is None else day_start(license.valid_until + _dt.timedelta(days=1))
    if validity is not None:
        exp = now + validity if exp is None else min(exp, now + validity)
    return exp


def issue(
    license: License,
    profile: str | Iterable[str],
    signing_key: PrivateKey,
    *,
    now: int,
    status: tuple[str, int],
    device_key: PublicKey | None = None,
    validity: int | None = None,
    kid: bytes | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> str:
    """Sign the ``profile`` disclosure of ``license`` at ``now`` (epoch seconds) and return its QD1 text.

    ``status`` is the (status list URI, index) of the license; ``device_key`` binds it to the holder's
    phone (``cnf``); ``validity`` (seconds) shortens the credential below the license's own end date.
    """
    exp = expiry(license, now=now, validity=validity)
    uri, idx = status
    claims = cwt.Claims(
        iss=license.issuer_code,
        iat=now,
        nbf=day_start(license.valid_from),
        exp=exp,
        cti=compact_license_id(license.identifier),
        cnf=device_key,
        status=cwt.StatusRef(uri=uri, idx=idx),
        license=license.disclose(profile),
    )
    return encode_text(cose.sign1(cwt.encode_claims(claims), signing_key, kid=kid), prefix=prefix)
