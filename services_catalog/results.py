"""Partial results of a fan-out: every source named with its state, latency and data age."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Mapping, TypeVar

from .records import CitizenRecord, HousingFundSummary, LicenseRecord, SocialSecuritySummary

__all__ = ["SOURCE_STATES", "SourceResult", "Gathered", "Overview"]

T = TypeVar("T")
#: ok: live or fresh from cache; stale: older data served (reason says why); the rest carry no data
SOURCE_STATES = ("ok", "timeout", "error", "circuit_open", "stale")


@dataclass(frozen=True)
class SourceResult(Generic[T]):
    """One source's outcome: ``value`` is set for ok and stale, ``reason`` for everything but a live ok."""

    state: str
    value: T | None = None
    latency_ms: int = 0
    age_s: float | None = None
    reason: str | None = None
    attempts: int = 0

    @property
    def has_data(self) -> bool:
        """Whether the result carries data (ok or stale)."""
        return self.state in ("ok", "stale")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready status of this source (without its data)."""
        return {"state": self.state, "latency_ms": self.latency_ms,
                "age_s": None if self.age_s is None else round(self.age_s, 3),
                "reason": self.reason, "attempts": self.attempts}


@dataclass(frozen=True)
class Gathered(Generic[T]):
    """The outcome of one fan-out: every source by name, and how long the whole took."""

    sources: Mapping[str, SourceResult[T]]
    elapsed_ms: int

    @property
    def complete(self) -> bool:
        """Whether every source answered live or fresh from cache."""
        return all(r.state == "ok" for r in self.sources.values())

    def values(self) -> dict[str, T]:
        """Return the data of every source that has some (ok or stale)."""
        return {name: r.value for name, r in self.sources.items() if r.has_data and r.value is not None}


@dataclass(frozen=True)
class Overview:
    """A citizen's home screen aggregated from every department, with per-source status."""

    gathered: Gathered[CitizenRecord]

    @property
    def sources(self) -> Mapping[str, SourceResult[CitizenRecord]]:
        """Every department's result by department code."""
        return self.gathered.sources

    @property
    def licenses(self) -> tuple[LicenseRecord, ...]:
        """Licenses on record across departments that answered (or served stale data)."""
        return tuple(lic for record in self.gathered.values().values() for lic in record.licenses)

    @property
    def social_security(self) -> SocialSecuritySummary | None:
        """The social-security summary, if a department provided one."""
        return next((r.social_security for r in self.gathered.values().values() if r.social_security), None)

    @property
    def housing_fund(self) -> HousingFundSummary | None:
        """The housing-fund summary, if a department provided one."""
        return next((r.housing_fund for r in self.gathered.values().values() if r.housing_fund), None)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready overview (ID numbers unmasked: the web edge masks them)."""
        return {
            "complete": self.gathered.complete,
            "elapsed_ms": self.gathered.elapsed_ms,
            "sources": {code: r.to_dict() for code, r in self.sources.items()},
            "licenses": [lic.to_dict() for lic in self.licenses],
            "social_security": self.social_security.to_dict() if self.social_security else None,
            "housing_fund": self.housing_fund.to_dict() if self.housing_fund else None,
        }
