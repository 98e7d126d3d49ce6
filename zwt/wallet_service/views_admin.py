"""HTTP face of license administration: a department admin reads and changes its licenses' status."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..auth.guards import me, require_roles
from ..container import services
from ..http import json_object, schema
from . import revocation
from .schemas import StatusChangeIn
from .schemas_out import AdminLicenseOut

__all__ = ["bp"]

bp = Blueprint("licenses_admin", __name__, url_prefix="/api/v1/admin/licenses")


@bp.get("/<identifier>")
@require_roles("dept_admin")
def get_license(identifier: str) -> Response:
    """A license of the admin's department by its GB/T 36904 identifier."""
    row = revocation.find_for_department(me(), identifier)
    return jsonify(schema(AdminLicenseOut).dump(revocation.admin_view(row)))


@bp.post("/<identifier>/status")
@require_roles("dept_admin")
def change_status(identifier: str) -> Response:
    """Revoke, suspend or reinstate a license of the admin's department (audited)."""
    data = schema(StatusChangeIn).load(json_object())
    row = revocation.set_status(me(), identifier, data["action"], data["reason"], svc=services())
    return jsonify(schema(AdminLicenseOut).dump(revocation.admin_view(row)))
