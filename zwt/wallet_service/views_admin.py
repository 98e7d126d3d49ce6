"""HTTP face of license administration: a department admin reads and changes its licenses' status."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..auth.guards import me, require_roles
from ..container import services
from ..http import json_object, schema
from . import revocation
from .schemas import LicenseLookupQuery, StatusChangeIn
from .schemas_out import AdminLicenseListOut, AdminLicenseOut

__all__ = ["bp"]

bp = Blueprint("licenses_admin", __name__, url_prefix="/api/v1/admin/licenses")


@bp.get("")
@require_roles("dept_admin")
def lookup_licenses() -> Response:
    """Licenses of the admin's department by the department's own serial (logged for their holders)."""
    query = schema(LicenseLookupQuery).load(request.args)
    rows = revocation.lookup_by_serial(me(), query["license_type"], query["serial"], svc=services())
    return jsonify(schema(AdminLicenseListOut).dump({"items": [revocation.admin_view(row) for row in rows]}))


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
