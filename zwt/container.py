"""The services one app instance was composed with, reachable from views and CLI commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import current_app

from .clock import Clock
from .config import Config
from .db import Database
from .pii import PiiCipher
from .shared_state import SharedState

if TYPE_CHECKING:
    from redis import Redis

    from services_catalog.departments import Departments

__all__ = ["Services", "services"]


@dataclass
class Services:
    """Concrete collaborators chosen by ``create_app`` (the composition root) and nowhere else."""

    config: Config
    db: Database
    clock: Clock
    pii: PiiCipher
    shared: SharedState
    redis: "Redis[bytes] | None" = None
    departments: "Departments | None" = None
    extras: dict[str, Any] = field(default_factory=dict)


def services() -> Services:
    """The current app's services."""
    found: Services = current_app.extensions["zwt"]
    return found
