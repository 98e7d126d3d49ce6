"""HTTP face of shared data (数据共享): the citizen sees and refreshes the records departments share."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from services_catalog.shared_records import SHARED_SOURCES

from ..auth.guards import me, require_roles
from ..container import services
from ..http import schema
from . import service
from .schemas import SharedDataOut, SharedRefreshOut

__all__ = ["bp"]

bp = Blueprint("shared_data", __name__, url_prefix="/api/v1")


@bp.get("/me/shared-data")
@require_roles("citizen")
def list_shared_data() -> Response:
    """Every shared-data source with the citizen's newest stored record, personal numbers masked."""
    return jsonify(schema(SharedDataOut).dump(service.shared_data_of(me(), svc=services())))


@bp.post("/me/shared-data/refresh")
@require_roles("citizen")
def refresh_all() -> Response:
    """Fetch every source again, in parallel under the deadline; a slow department is ``pending``."""
    outcome = service.refresh(me(), SHARED_SOURCES, svc=services())
    return jsonify(schema(SharedRefreshOut).dump(outcome))


@bp.post("/me/shared-data/<source>/refresh")
@require_roles("citizen")
def refresh_one(source: str) -> Response:
    """Fetch one source again and tell whether the record changed."""
    outcome = service.refresh(me(), [service.require_source(source)], svc=services())
    return jsonify(schema(SharedRefreshOut).dump(outcome))
