"""HTTP face of credit commitments (信用承诺): the citizen delivers materials owed under one."""

from __future__ import annotations

from flask import Blueprint, Response

from ..auth.guards import me, require_roles
from ..container import services
from ..http import json_object, schema
from . import commitments, handling
from .schemas import OwedMaterialsIn
from .views import _id, _mine

__all__ = ["bp"]

bp = Blueprint("applications_commitments", __name__, url_prefix="/api/v1/me")


@bp.post("/applications/<application_id>/owed-materials")
@require_roles("citizen")
def deliver_owed(application_id: str) -> Response:
    """Deliver materials owed under a credit commitment (a license, shared data or a library file, as at
    submission); the commitment is fulfilled when nothing is left owed."""
    data = schema(OwedMaterialsIn).load(json_object())
    account = me()
    row = handling.detail_for(account, _id(application_id))
    commitments.deliver(account, row, data, svc=services())
    return _mine(row)
