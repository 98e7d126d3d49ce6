"""Government service items: domain, department adapters, aggregation and search."""

# --- service items, validation, lifecycle and search (items / validation / lifecycle / search) ---
from services_catalog.items import (  # noqa: E402
    Fee,
    Material,
    Output,
    ServiceItem,
    Window,
    content_hash,
    effective_personas,
    item_from_dict,
    item_to_dict,
)
from services_catalog.lifecycle import TransitionNotAllowed, allowed_actions, transition  # noqa: E402
from services_catalog.ranking import highlight, score  # noqa: E402
from services_catalog.search import Query, SearchDoc, analyze_query, index_terms, search_document  # noqa: E402
from services_catalog.search_index import SearchIndex, candidates_from_postings  # noqa: E402
from services_catalog.validation import ItemInvalid, Violation, ensure_valid, validate_for_publish, validate_item  # noqa: E402,E501

__all__ = [
    "Fee", "Material", "Output", "ServiceItem", "Window", "content_hash", "effective_personas", "item_from_dict",
    "item_to_dict", "TransitionNotAllowed", "allowed_actions", "transition", "highlight", "score", "Query",
    "SearchDoc", "analyze_query", "index_terms", "search_document", "SearchIndex", "candidates_from_postings",
    "ItemInvalid", "Violation", "ensure_valid", "validate_for_publish", "validate_item",
]

# --- department ports, adapters, sandboxes and resilient aggregation ---
from services_catalog.aggregator import Aggregator  # noqa: E402
from services_catalog.breaker import BreakerPolicy, BreakerState, CircuitBreaker  # noqa: E402
from services_catalog.cache import CachePolicy, CacheStore, MemoryStore, ResultCache  # noqa: E402
from services_catalog.clock import WaitingClock, RealWaitingClock  # noqa: E402
from services_catalog.departments import Department, Departments  # noqa: E402
from services_catalog.errors import (  # noqa: E402
    CircuitOpen,
    DepartmentBusy,
    DepartmentError,
    DepartmentRejected,
    DepartmentTimeout,
    DepartmentUnavailable,
    MalformedAnswer,
)
from services_catalog.observer import CALL_OUTCOMES, DepartmentObserver, NullObserver  # noqa: E402
from services_catalog.ports import CatalogFeed, CitizenRecords, FeedItem, FeedPage  # noqa: E402
from services_catalog.records import (  # noqa: E402
    Citizen,
    CitizenRecord,
    HousingFundSummary,
    IdentityOutcome,
    LicenseRecord,
    SocialSecuritySummary,
)
from services_catalog.results import Gathered, Overview, SourceResult  # noqa: E402

__all__ += [
    "Aggregator", "BreakerPolicy", "BreakerState", "CircuitBreaker", "CachePolicy", "CacheStore", "MemoryStore",
    "ResultCache", "WaitingClock", "RealWaitingClock", "Department", "Departments", "CircuitOpen", "DepartmentBusy",
    "DepartmentError", "DepartmentRejected", "DepartmentTimeout", "DepartmentUnavailable", "MalformedAnswer",
    "CatalogFeed", "CitizenRecords", "FeedItem", "FeedPage", "Citizen", "CitizenRecord", "HousingFundSummary",
    "IdentityOutcome", "LicenseRecord", "SocialSecuritySummary", "Gathered", "Overview", "SourceResult",
    "CALL_OUTCOMES", "DepartmentObserver", "NullObserver",
]
