"""HTTP face of public credit: the signed-in citizen's own credit record."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..auth.guards import me, require_roles
from ..container import services
from .lookups import credit_record_for

__all__ = ["bp"]

bp = Blueprint("credit", __name__, url_prefix="/api/v1")


@bp.get("/me/credit")
@require_roles("citizen")
def my_credit() -> Response:
    """The citizen's penalties, qualifications, awards, broken commitments and restriction lists, live from the
    credit platform (503 ``credit_platform_unavailable`` when it cannot answer); each look-up is logged."""
    return jsonify(credit_record_for(services(), me()))
