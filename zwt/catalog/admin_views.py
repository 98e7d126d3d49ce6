"""HTTP face of department registration under ``/api/v1/admin/services`` (dept_admin, platform_admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from marshmallow import Schema, fields, validate

from services_catalog.codes import STATUSES
from services_catalog.items import item_to_dict
from services_catalog.lifecycle import ACTIONS, allowed_actions

from ..auth.guards import me, my_subject, require_roles
from ..container import services
from ..db import session
from ..http import json_object, query_flag, schema
from ..i18n import violation_message
from ..idempotency import idempotent
from ..models import ItemEvent, ServiceItemRow
from . import admin_import, admin_service, csv_import
from .repository import load_item

__all__ = ["bp"]

bp = Blueprint("services_admin", __name__, url_prefix="/api/v1/admin/services")
ADMINS = ("dept_admin", "platform_admin")
ACTION_PATH = "any(" + ", ".join(ACTIONS) + "):action"


class ListQuery(Schema):
    """Filters and paging of the item list."""

    status = fields.String(validate=validate.OneOf(list(STATUSES)))
    department = fields.String(validate=validate.Length(min=1, max=40))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ActionIn(Schema):
    """An optional note or reason recorded with a lifecycle action."""

    note = fields.String(load_default="", validate=validate.Length(max=admin_service.NOTE_MAX))


class LevelQuery(Schema):
    """Which rules a rule report applies."""

    level = fields.String(load_default="publish", validate=validate.OneOf(["draft", "publish"]))


class ImportQuery(Schema):
    """Whether an import only reports what it would do."""

    dry_run = query_flag(load_default=False)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _item_body(row: ServiceItemRow) -> dict[str, Any]:
    return {"item": item_to_dict(load_item(row)), "allowed_actions": list(allowed_actions(row.status)),
            "source": row.source, "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at),
            "published_at": _iso(row.published_at)}


def _item_response(row: ServiceItemRow, status: int = 200) -> Response:
    response = jsonify(_item_body(row))
    response.status_code = status
    response.headers["ETag"] = admin_service.etag(row)
    return response


def _event_body(event: ItemEvent, actor: admin_service.Actor) -> dict[str, Any]:
    return {"at": _iso(event.at), "actor": event.actor, "actor_name": actor.name, "actor_role": actor.role,
            "action": event.action, "from_status": event.from_status, "to_status": event.to_status,
            "version": event.version, "note": event.note}


def _optional_json() -> dict[str, Any]:
    """The body as a JSON object, or an empty one when the request has no body."""
    if not request.content_length and not request.data:
        return {}
    return json_object()


@bp.post("")
@require_roles(*ADMINS)
@idempotent("service_item", owner=my_subject)
def create_item() -> Response:
    """Register a draft item for the account's department."""
    row = admin_service.create_item(session(), json_object(), me(), services())
    response = _item_response(row, 201)
    response.headers["Location"] = url_for(".get_item", impl_code=row.impl_code)
    return response


@bp.get("")
@require_roles(*ADMINS)
def list_items() -> Response:
    """One page of the department's items, optionally of one status."""
    query = schema(ListQuery).load(request.args.to_dict())
    found = admin_service.list_items(session(), me(), status=query.get("status"),
                                     department=query.get("department"), page=query["page"],
                                     per_page=query["per_page"])
    return jsonify({"items": [{"impl_code": r.impl_code, "name": r.name, "item_type": r.item_type,
                               "department_code": r.department_code, "status": r.status, "version": r.version,
                               "updated_at": _iso(r.updated_at)} for r in found.rows],
                    "total": found.total, "page": found.page, "per_page": found.per_page})


@bp.post("/validate")
@require_roles(*ADMINS)
def validate_item() -> Response:
    """Report every rule a document breaks, saving nothing."""
    level = schema(LevelQuery).load(request.args.to_dict())["level"]
    report = admin_service.validate_document(session(), request.get_json(), me(), level=level)
    return jsonify({"valid": report.valid, "level": report.level,
                    "violations": [{"field": v.field, "rule": v.rule, "message": violation_message(v)}
                                   for v in report.violations]})


@bp.post("/import")
@require_roles(*ADMINS)
def import_items() -> Response:
    """Create or update many items from a JSON array or a CSV file, all or nothing."""
    dry_run = schema(ImportQuery).load(request.args.to_dict())["dry_run"]
    rows = admin_import.rows_from_body(request.mimetype, request.mimetype_params.get("charset"),
                                       request.get_data())
    return jsonify(admin_import.import_rows(session(), rows, me(), services(), dry_run=dry_run))


@bp.get("/import/template")
@require_roles(*ADMINS)
def import_template() -> Response:
    """A CSV file with the import columns and one example line, with the BOM Excel needs to read UTF-8."""
    return Response("\ufeff" + csv_import.TEMPLATE, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="service-items-template.csv"'})


@bp.get("/<impl_code>")
@require_roles(*ADMINS)
def get_item(impl_code: str) -> Response:
    """One item with its ETag and the actions its status allows (304 when the client's copy is current)."""
    row = admin_service.get_item(session(), impl_code, me())
    tag = admin_service.etag(row)
    if request.if_none_match.contains(tag.strip('"')):
        return Response(status=304, headers={"ETag": tag})
    return _item_response(row)


@bp.put("/<impl_code>")
@require_roles(*ADMINS)
def replace_item(impl_code: str) -> Response:
    """Replace an item's document (If-Match required)."""
    row = admin_service.replace_item(session(), impl_code, json_object(), request.if_match, me(), services())
    return _item_response(row)


@bp.patch("/<impl_code>")
@require_roles(*ADMINS)
def patch_item(impl_code: str) -> Response:
    """Change part of an item's document with a JSON merge patch (If-Match required)."""
    row = admin_service.patch_item(session(), impl_code, json_object(), request.if_match, me(), services())
    return _item_response(row)


@bp.post(f"/<impl_code>/<{ACTION_PATH}>")
@require_roles(*ADMINS)
def apply_action(impl_code: str, action: str) -> Response:
    """Submit, withdraw, reject, publish, suspend, resume or cancel an item."""
    note = schema(ActionIn).load(_optional_json())["note"]
    row = admin_service.apply_action(session(), impl_code, action, note, request.if_match, me(), services())
    return _item_response(row)


@bp.get("/<impl_code>/history")
@require_roles(*ADMINS)
def item_history(impl_code: str) -> Response:
    """The item's audit trail, oldest first."""
    events, actors = admin_service.item_history(session(), impl_code, me())
    return jsonify({"impl_code": impl_code, "events": [_event_body(e, actors[e.actor]) for e in events]})
