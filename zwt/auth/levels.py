"""Identity-proofing levels (实名等级): what each level needs, and what it unlocks. The one place for both.

- L1 ``police``: the police confirmed the name and ID number;
- L2 ``phone``: L1, the phone answered an SMS code, and the carrier registered that phone to that name and
  ID number (运营商三要素);
- L3 ``face``: a face / liveness check against the ID photo passed (it implies the police know the person).

An account's level is recomputed from those dated facts, never set by hand, so a fact withdrawn (a new
phone not yet proven) lowers it at once.
"""

from __future__ import annotations

from ..config import Config
from ..errors import Forbidden
from ..models import Account

__all__ = ["POLICE", "PHONE", "FACE", "LEVEL_NAMES", "level_from_facts", "recompute_level", "licenses_released",
           "require_licenses_released"]

POLICE, PHONE, FACE = 1, 2, 3
LEVEL_NAMES = {0: "none", POLICE: "police", PHONE: "phone", FACE: "face"}


def level_from_facts(account: Account) -> int:
    """The level the account's proven facts give it."""
    if account.liveness_verified_at is not None:
        return FACE
    if account.identity_verified_at is None:
        return 0
    if account.phone_verified_at is not None and account.carrier_verified_at is not None:
        return PHONE
    return POLICE


def recompute_level(account: Account) -> int:
    """Store and return the level of the account's facts."""
    account.proofing_level = level_from_facts(account)
    return account.proofing_level


def licenses_released(account: Account, cfg: Config) -> bool:
    """Whether the account may hold, refresh and show licenses."""
    return account.status == "active" and account.proofing_level >= cfg.license_release_level


def require_licenses_released(account: Account, cfg: Config) -> None:
    """403 ``proofing_level_too_low`` (with the level needed and the level held) unless licenses are released."""
    if not licenses_released(account, cfg):
        raise Forbidden("proofing_level_too_low",
                        params={"required": cfg.license_release_level, "level": account.proofing_level})
