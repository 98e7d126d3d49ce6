"""The ports departments are reached through: one small ``Protocol`` per capability."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, Protocol, runtime_checkable

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
    "Application",
    "SubmissionReceipt",
    "ApplicationSubmission",
    "DepartmentAdapter",
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


@dataclass(frozen=True)
class Application:
    """An application for a service item, to be filed with the implementing department."""

    impl_code: str
    citizen: Citizen
    idempotency_key: str
    form: Mapping[str, str] = field(default_factory=dict)
    #: material code -> e-license identifier shown instead of paper (免证办)
    licenses: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SubmissionReceipt:
    """The department's acknowledgement of an application (受理回执)."""

    department_code: str
    receipt_number: str
    accepted_at: dt.datetime


class ApplicationSubmission(Protocol):
    """Filing applications with a department (declared now, implemented when a department offers it)."""

    def submit(self, application: Application, *, timeout: float) -> SubmissionReceipt:
        """File the application; the same idempotency key twice files it once."""
        ...


class DepartmentAdapter(CatalogFeed, CitizenRecords, Protocol):
    """An adapter implementing the ports every department in the registry offers."""

    department_code: str
