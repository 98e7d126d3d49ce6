"""HTTP face of the issuing interface: departments push signed records; platform admins manage their keys."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..auth.guards import require_roles
from ..container import services
from ..errors import NotFound
from ..http import json_object, schema
from ..policy import department_signed
from ..wallet_service.schemas import plausible_id
from . import keys
from .push import push, report_view
from .schemas import IssuerKeyIn, IssuerKeyListOut, IssuerKeyOut
from .signatures import SignedRequest

__all__ = ["bp", "admin_bp"]

bp = Blueprint("issuers", __name__, url_prefix="/api/v1/issuers")
admin_bp = Blueprint("issuers_admin", __name__, url_prefix="/api/v1/admin/issuers")


def _department(code: str) -> str:
    if not plausible_id(code):
        raise NotFound()
    return code


@bp.post("/<department>/licenses")
@department_signed
def push_licenses(department: str) -> Response:
    """A department pushes one record (application/json) or many (application/jsonl), signed (RFC 9421)."""
    svc = services()
    request.max_content_length = svc.config.issuer_max_body_bytes
    body = request.get_data(cache=True)
    message = SignedRequest(request.method, request.url, request.headers)
    report = push(_department(department), message, request.mimetype, body, svc=svc)
    return jsonify(report_view(report))


@admin_bp.get("/<department>/keys")
@require_roles("platform_admin")
def list_keys(department: str) -> Response:
    """The department's request-signing keys."""
    rows = keys.keys_of(_department(department), services())
    return jsonify(schema(IssuerKeyListOut).dump({"items": [keys.key_view(row) for row in rows]}))


@admin_bp.post("/<department>/keys")
@require_roles("platform_admin")
def register_key(department: str) -> tuple[Response, int]:
    """Register a department's P-256 public key with the license types it may push."""
    data = schema(IssuerKeyIn).load(json_object())
    row = keys.register_key(_department(department), data, svc=services())
    return jsonify(schema(IssuerKeyOut).dump(keys.key_view(row))), 201


@admin_bp.post("/<department>/keys/<key_id>/revoke")
@require_roles("platform_admin")
def revoke_key(department: str, key_id: str) -> Response:
    """Revoke a key: no push signed with it verifies any more."""
    row = keys.revoke_key(_department(department), key_id, svc=services())
    return jsonify(schema(IssuerKeyOut).dump(keys.key_view(row)))
