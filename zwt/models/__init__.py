"""SQLAlchemy 2 typed models; importing this package registers every table on ``Base.metadata``."""

from .accounts import ROLES, Account, AccountSession, RefreshToken, SmsChallenge
from .agent_authorisations import AgentAuthorisationRow
from .application_credit import ApplicationCredit
from .application_materials import ApplicationMaterial
from .applications import ApplicationEventRow, ApplicationRow, MessageRow, OutboxRow
from .base import Base, UTCDateTime
from .catalog import (CatalogState, Department, Favorite, ItemEvent, ItemTag, ServiceItemRow,
                      SyncState)
from .idempotency import IdempotencyKey
from .issuers import IssuedLicense, IssuerFeedState, IssuerKey
from .ratings import RatingRow
from .shared import SharedEntry
from .shared_data import SharedDataRecord
from .uploads import Material, MaterialUse, UploadBlob
from .wallet import (AccessLogEntry, CounterDevice, CounterLogBatch, DeviceCredential, Presentation, StatusListRow,
                     WalletDevice, WalletKey, WalletLicense, WalletLock, WalletState)

__all__ = ["Base", "UTCDateTime", "Account", "AccountSession", "SmsChallenge", "RefreshToken", "ROLES", "SharedEntry",
           "IdempotencyKey", "CatalogState",
           "Department", "Favorite", "ItemEvent", "ItemTag", "ServiceItemRow", "SyncState",
           "AccessLogEntry", "CounterDevice", "CounterLogBatch", "DeviceCredential", "Presentation", "StatusListRow",
           "WalletDevice", "WalletKey", "WalletLicense", "WalletLock", "WalletState",
           "IssuedLicense", "IssuerFeedState", "IssuerKey", "Material", "MaterialUse", "UploadBlob", "SharedDataRecord",
           "ApplicationRow", "ApplicationEventRow", "OutboxRow", "MessageRow", "ApplicationMaterial", "RatingRow",
           "ApplicationCredit", "AgentAuthorisationRow"]
