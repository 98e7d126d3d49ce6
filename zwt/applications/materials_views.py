"""HTTP face of materials without paper (免证办, 数据共享): the citizen's pre-check of an item's materials."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..auth.guards import me, require_roles
from ..container import services
from ..http import json_object, schema
from . import handling, precheck
from .schemas import PreCheckIn

__all__ = ["bp"]

bp = Blueprint("applications_materials", __name__, url_prefix="/api/v1/me")


@bp.post("/applications/pre-check")
@require_roles("citizen")
def pre_check() -> Response:
    """Material by material, what already satisfies it (a license, shared data, a library file) and what is left;
    a department too slow for the deadline leaves its material ``pending``."""
    data = schema(PreCheckIn).load(json_object())
    found = precheck.pre_check(me(), handling.online_item(data["impl_code"]), data["uploads"], svc=services())
    return jsonify(found)
