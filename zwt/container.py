"""The services one app instance was composed with, reachable from views and CLI commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping

from flask import current_app

from .clock import Clock
from .config import Config
from .db import Database
from .pii import PiiCipher
from .shared_state import SharedState

if TYPE_CHECKING:  # annotations only: the runtimes' modules import this one, never the reverse at run time
    from redis import Redis

    from applications.files import BlobStore
    from services_catalog.departments import Departments
    from services_catalog.ports import CreditPlatform, LicenseFeed
    from services_catalog.proofing import Proofing

    from .applications.runtime import ApplicationsRuntime
    from .auth.tokens import TokenGate
    from .catalog.runtime import CatalogRuntime
    from .metrics import Metrics
    from .models import Account
    from .wallet_service.runtime import WalletRuntime

__all__ = ["Services", "AccountHooks", "services"]


@dataclass
class AccountHooks:
    """What other parts of the service do when an account changes; ``create_app`` wires them.

    Accounts know nothing of the wallet; the wallet subscribes here (to release licenses once a level is
    reached, and to hand a squatter's licenses to the person who proved the ID number is theirs).
    """

    #: called with (account, services) after a commit raised the account's proofing level
    level_raised: list[Callable[[Account, Services], None]] = field(default_factory=list)
    #: called with (account, services) after a refresh stored the departments' licenses (adapters), so licenses
    #: issued through the standard interface (``zwt.issuers``) join the wallet at the same moment
    licenses_refreshed: list[Callable[[Account, Services], None]] = field(default_factory=list)
    #: called with (frozen account, newcomer, services) inside the transaction that froze the old account
    superseded: list[Callable[[Account, Account, Services], None]] = field(default_factory=list)


@dataclass
class Services:
    """Concrete collaborators chosen by ``create_app`` (the composition root) and nowhere else.

    Every field is typed and built once from ``create_app``'s arguments; the per-process caches of the
    catalog and the wallet are the ``catalog`` and ``wallet`` runtimes.
    """

    config: Config
    db: Database
    clock: Clock
    pii: PiiCipher
    shared: SharedState
    departments: Departments
    proofing: Proofing
    tokens: TokenGate
    catalog: CatalogRuntime
    wallet: WalletRuntime
    #: where uploaded files are kept by their SHA-256 (``ZWT_UPLOAD_STORE``: a directory or S3-compatible storage)
    files: BlobStore
    #: the public credit platform (``ZWT_CREDIT_PLATFORM``, else the in-process sandbox), called through the
    #: catalog's aggregator for its deadline, retry, breaker and bulkhead (``zwt.credit.lookups``)
    credit: CreditPlatform
    metrics: Metrics
    applications: ApplicationsRuntime
    redis: Redis | None = None
    hooks: AccountHooks = field(default_factory=AccountHooks)
    #: departments' license change feeds by department code (``zwt.issuers.pull.LicenseFeed``), besides any
    #: department adapter that serves one: ``ZWT_LICENSE_FEEDS``, else in-process sandboxes
    license_feeds: Mapping[str, LicenseFeed] = field(default_factory=dict)


def services() -> Services:
    """The current app's services."""
    found: Services = current_app.extensions["zwt"]
    return found
