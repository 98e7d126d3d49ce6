"""HTTP face of materials without paper (免证办, 数据共享): the citizen's pre-check of an item's materials, and
the department's view of an application's materials and of the files among them."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, send_file

from applications import Actor
from applications.files import KINDS

from ..auth.guards import me, require_roles
from ..container import services
from ..errors import NotFound
from ..http import json_object, schema

from . import commitments, handling, precheck, staff_materials
from .views import _id
from .schemas import PreCheckIn

__all__ = ["bp", "admin_bp"]

bp = Blueprint("applications_materials", __name__, url_prefix="/api/v1/me")
admin_bp = Blueprint("applications_materials_admin", __name__, url_prefix="/api/v1/admin")


@bp.post("/applications/pre-check")
@require_roles("citizen")
def pre_check() -> Response:
    """Material by material, what already satisfies it (a license, shared data, a library file) and what is left;
    a department too slow for the deadline leaves its material ``pending``; ``credit``: the item's credit rule
    applied to the citizen's standing."""
    data = schema(PreCheckIn).load(json_object())
    item = handling.online_item(data["impl_code"])
    found = precheck.pre_check(me(), item, data["uploads"], svc=services())
    found["credit"] = commitments.pre_check_view(me(), item, svc=services())
    return jsonify(found)


@admin_bp.get("/applications/<application_id>/materials")
@require_roles("dept_admin")
def department_materials(application_id: str) -> Response:
    """Each material of one of the department's applications: only the fields and file it needs, the look logged
    in the citizen's access log."""
    staff = me()
    row = handling.department_row(_id(application_id), Actor("staff", staff.subject, staff.department_code or ""),
                                  staff)
    return jsonify({"id": row.public_id, "materials": staff_materials.materials_for_staff(row, staff, svc=services())})


#: the longest material name a path names (the catalog's names are far shorter)
_NAME_MAX = 200


@admin_bp.get("/applications/<application_id>/materials/<material>/file")
@require_roles("dept_admin")
def department_material_file(application_id: str, material: str) -> Response:
    """The file the citizen gave one of the department's applications for ``material``, as an attachment that is
    never cached or sniffed; the look logged in the citizen's access log."""
    staff = me()
    row = handling.department_row(_id(application_id), Actor("staff", staff.subject, staff.department_code or ""),
                                  staff)
    if not material or len(material) > _NAME_MAX:
        raise NotFound()
    use, stream = staff_materials.file_for_staff(row, material, staff, svc=services())
    response = send_file(stream, mimetype=KINDS[use.kind].media_type, as_attachment=True, download_name=use.name,
                         conditional=False, etag=False)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
