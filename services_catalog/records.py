"""What departments know about one citizen: identity, licenses on record and home-screen summaries."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = [
    "Citizen",
    "IdentityOutcome",
    "LICENSE_TYPES",
    "LicenseRecord",
    "SocialSecuritySummary",
    "HousingFundSummary",
    "CitizenRecord",
    "record_to_dict",
    "record_from_dict",
]

#: license types departments report, keyed like the wallet's license-type registry
LICENSE_TYPES = (
    "id_card",
    "driving_license",
    "vehicle_license",
    "social_security_card",
    "housing_fund_certificate",
)


@dataclass(frozen=True)
class Citizen:
    """A citizen as departments look them up: resident ID number plus real name."""

    id_number: str
    name: str

    def __repr__(self) -> str:
        # Keep ID numbers out of logs and tracebacks.
        masked = f"{self.id_number[:6]}********{self.id_number[-4:]}"
        return f"Citizen(id_number='{masked}', name='{self.name[:1]}*')"


class IdentityOutcome(str, enum.Enum):
    """The result of a real-name check (实名认证) of name + ID number."""

    MATCH = "match"
    MISMATCH = "mismatch"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class LicenseRecord:
    """One license a department holds on record for a citizen; ``fields`` holds the per-type fields."""

    license_type: str
    serial: str
    holder_name: str
    holder_id_number: str
    issuer_code: str
    issuer_name: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date | None  # None = 长期 (no expiry)
    fields: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict, dates as ISO strings."""
        return {
            "license_type": self.license_type,
            "serial": self.serial,
            "holder_name": self.holder_name,
            "holder_id_number": self.holder_id_number,
            "issuer_code": self.issuer_code,
            "issuer_name": self.issuer_name,
            "issued_on": self.issued_on.isoformat(),
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "fields": dict(self.fields),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LicenseRecord:
        """Rebuild a record from :meth:`to_dict` output."""
        until = data["valid_until"]
        return cls(
            license_type=data["license_type"],
            serial=data["serial"],
            holder_name=data["holder_name"],
            holder_id_number=data["holder_id_number"],
            issuer_code=data["issuer_code"],
            issuer_name=data["issuer_name"],
            issued_on=dt.date.fromisoformat(data["issued_on"]),
            valid_from=dt.date.fromisoformat(data["valid_from"]),
            valid_until=dt.date.fromisoformat(until) if until else None,
            fields=dict(data["fields"]),
        )


@dataclass(frozen=True)
class SocialSecuritySummary:
    """The social-security figures the home screen shows; amounts in fen so they stay exact."""

    insured: bool
    status: str  # active | suspended | terminated
    employer: str
    contribution_months: int
    last_payment_month: str  # YYYY-MM
    last_payment_fen: int
    personal_account_balance_fen: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SocialSecuritySummary:
        """Rebuild a summary from :meth:`to_dict` output."""
        return cls(**data)


@dataclass(frozen=True)
class HousingFundSummary:
    """The housing-fund figures the home screen shows; amounts in fen so they stay exact."""

    account_number: str
    account_status: str  # normal | sealed | closed  (正常 / 封存 / 销户)
    employer: str
    balance_fen: int
    monthly_deposit_fen: int
    last_deposit_on: dt.date

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict, dates as ISO strings."""
        return {**self.__dict__, "last_deposit_on": self.last_deposit_on.isoformat()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HousingFundSummary:
        """Rebuild a summary from :meth:`to_dict` output."""
        return cls(**{**data, "last_deposit_on": dt.date.fromisoformat(data["last_deposit_on"])})


@dataclass(frozen=True)
class CitizenRecord:
    """Everything one department holds for one citizen; empty when it does not know them."""

    department_code: str
    licenses: tuple[LicenseRecord, ...] = ()
    social_security: SocialSecuritySummary | None = None
    housing_fund: HousingFundSummary | None = None


def record_to_dict(record: CitizenRecord) -> dict[str, Any]:
    """Return a JSON-ready dict of a citizen record (also the cache's serialised form)."""
    return {
        "department_code": record.department_code,
        "licenses": [lic.to_dict() for lic in record.licenses],
        "social_security": record.social_security.to_dict() if record.social_security else None,
        "housing_fund": record.housing_fund.to_dict() if record.housing_fund else None,
    }


def record_from_dict(data: Mapping[str, Any]) -> CitizenRecord:
    """Rebuild a citizen record from :func:`record_to_dict` output."""
    ss, hf = data["social_security"], data["housing_fund"]
    return CitizenRecord(
        department_code=data["department_code"],
        licenses=tuple(LicenseRecord.from_dict(lic) for lic in data["licenses"]),
        social_security=SocialSecuritySummary.from_dict(ss) if ss else None,
        housing_fund=HousingFundSummary.from_dict(hf) if hf else None,
    )
