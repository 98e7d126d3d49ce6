"""The ports departments are reached through: one small ``Protocol`` per capability."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

from .credit import BrokenCommitment, CreditRecord, Standing
from .errors import (
    CircuitOpen,
    DepartmentBusy,
    DepartmentError,
    DepartmentRejected,
    DepartmentTimeout,
    DepartmentUnavailable,
    MalformedAnswer,
)
from .items import ServiceItem
from .records import Citizen, CitizenRecord, IdentityOutcome

__all__ = [
    "FeedItem",
    "FeedPage",
    "CatalogFeed",
    "CitizenRecords",
    "DepartmentAdapter",
    "LicenseFeedPage",
    "LicenseFeed",
    "CreditPlatform",
    "ApplicationSubmission",
    "IntakeReceipt",
    "ApplicationIntake",
    "CASE_STATES",
    "CaseStatus",
    "ApplicationStatus",
    # re-exported so callers need one import for ports and their failures
    "DepartmentError",
    "DepartmentTimeout",
    "DepartmentUnavailable",
    "MalformedAnswer",
    "DepartmentRejected",
    "CircuitOpen",
    "DepartmentBusy",
]


@dataclass(frozen=True)
class FeedItem:
    """One service item from a department's feed, shape-checked and mapped to the domain.

    Business rules are not applied here: the catalog sync validates and upserts by ``impl_code``.
    ``updated_at`` is when the department last changed it, timezone-aware.
    """

    item: ServiceItem
    updated_at: dt.datetime

    @property
    def impl_code(self) -> str:
        """The item's public id, the key of the idempotent upsert."""
        return self.item.impl_code


@dataclass(frozen=True)
class FeedPage:
    """A page of a department's feed and the opaque cursor to continue (or to resume later) from."""

    items: tuple[FeedItem, ...]
    cursor: str
    has_more: bool


@runtime_checkable
class CatalogFeed(Protocol):
    """A department's catalog, pulled incrementally page by page."""

    def fetch_items(self, since: str | None, *, timeout: float) -> FeedPage:
        """Return the page after cursor ``since`` (None: from the beginning).

        Keep the returned cursor: while ``has_more`` ask again with it; once the feed is drained it
        is the watermark the next incremental sync starts from (items may repeat, never go missing).
        """
        ...


@runtime_checkable
class CitizenRecords(Protocol):
    """What a department holds about one citizen, looked up by resident ID number plus name."""

    def check_identity(self, citizen: Citizen, *, timeout: float) -> IdentityOutcome:
        """Check that name and ID number belong together (实名认证)."""
        ...

    def records(self, citizen: Citizen, *, timeout: float) -> CitizenRecord:
        """Return the citizen's licenses and summaries; empty when the department does not know them."""
        ...


class DepartmentAdapter(CatalogFeed, CitizenRecords, Protocol):
    """An adapter implementing the ports every department in the registry offers."""

    department_code: str


@dataclass(frozen=True)
class LicenseFeedPage:
    """A page of a department's license change feed (standard issuing contract, #21).

    ``records`` are contract records as the department sent them (JSON objects, shape-checked only: the
    platform validates and applies them, idempotently by serial and version).
    """

    records: tuple[dict[str, Any], ...]
    cursor: str
    has_more: bool


@runtime_checkable
class LicenseFeed(Protocol):
    """A department's issued licenses, pulled as a change feed page by page."""

    def fetch_licenses(self, since: str | None, *, limit: int, timeout: float) -> LicenseFeedPage:
        """Return up to ``limit`` records after cursor ``since`` (None: from the beginning).

        While ``has_more`` ask again with the returned cursor; once drained it is the watermark the next
        pull starts from (records may repeat, never go missing).
        """
        ...


@runtime_checkable
class CreditPlatform(Protocol):
    """The city's public credit platform (公共信用平台), asked about one natural person by ID number plus name."""

    def credit_record(self, subject: Citizen, *, timeout: float) -> CreditRecord:
        """Return the subject's penalties, qualifications, awards and broken commitments (empty if none)."""
        ...

    def standing(self, subject: Citizen, lists: Sequence[str], *, timeout: float) -> Standing:
        """Return the subject's places on the named restriction lists (empty ``lists``: on any list)."""
        ...

    def record_broken_commitment(self, subject: Citizen, commitment: BrokenCommitment, *, timeout: float) -> str:
        """Record a commitment not honoured on the subject's record; return the platform's entry number.

        Idempotent by ``commitment.commitment_id``: a repeated report returns the same number.
        """
        ...


@dataclass(frozen=True)
class ApplicationSubmission:
    """An online application (办件) handed to the department system that handles its item.

    ``application_id`` is the platform's id and the idempotency key at the department: the same id handed
    over twice is one case there. ``applicant_id_number`` is the applicant's resident ID number, which the
    department needs to open the case; it travels to the department only.
    """

    application_id: str
    item_code: str
    applicant_name: str
    applicant_id_number: str
    form: Mapping[str, Any]
    submitted_at: dt.datetime


@dataclass(frozen=True)
class IntakeReceipt:
    """The department's answer: its own case reference, and whether it already had the application."""

    reference: str
    duplicate: bool = False


@runtime_checkable
class ApplicationIntake(Protocol):
    """A department system that takes online applications for its items."""

    def submit_application(self, submission: ApplicationSubmission, *, timeout: float) -> IntakeReceipt:
        """Hand the application over; the same ``application_id`` again returns the first receipt."""
        ...


#: where a case can stand at the department, in the platform's words (its application states past delivery)
CASE_STATES = ("pre_check", "accepted", "not_accepted", "correction_requested", "under_review", "decided",
               "concluded")


@dataclass(frozen=True)
class CaseStatus:
    """Where a department's case stands, as its system reports it when asked.

    ``state`` is one of ``CASE_STATES``; ``message`` is the department's note (the reason of a refusal, what
    a correction needs); a decision carries ``outcome`` (approved / denied), ``reason`` and ``legal_basis``; a
    concluded case its ``delivery`` method; ``license_fields`` what a result license needs from the department.
    """

    application_id: str
    state: str
    message: str = ""
    outcome: str | None = None
    reason: str = ""
    legal_basis: str = ""
    delivery: str | None = None
    license_fields: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class ApplicationStatus(Protocol):
    """A department system that answers where the applications it took stand (status by polling)."""

    def application_statuses(self, application_ids: Sequence[str], *, timeout: float) -> Sequence[CaseStatus]:
        """The status of each of ``application_ids`` it has a case for, in one call (unknown ids are left out)."""
        ...
