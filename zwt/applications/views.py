"""HTTP face of online applications: the citizen's applications and messages, the departments' back office
and signed callback, and the platform admin's dead-letter list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, request

from applications import Actor

from ..auth.guards import me, my_subject, require_roles
from ..container import services
from ..db import session
from ..errors import NotFound
from ..http import json_object, schema
from ..idempotency import idempotent
from ..issuers.signatures import SignedRequest, verify_request
from ..models import Account
from ..policy import department_signed
from ..wallet_service.schemas import plausible_id
from . import backoffice, handling, messages, outbox
from .schemas import ApplicationIn, CorrectionIn, MessageArgs, MineArgs, MoveIn, QueueArgs

__all__ = ["bp", "admin_bp", "callback_bp"]

bp = Blueprint("applications", __name__, url_prefix="/api/v1/me")
admin_bp = Blueprint("applications_admin", __name__, url_prefix="/api/v1/admin")
callback_bp = Blueprint("applications_callback", __name__, url_prefix="/api/v1/issuers")


def _json(value: Any) -> Any:
    """Dates and times as ISO 8601, all the way down."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _id(value: str) -> str:
    if not plausible_id(value):
        raise NotFound()
    return value


def _number(value: str) -> int:
    """A numeric path id (checked after the guard, so every caller meets the guard first).

    The keys are 32-bit integers on PostgreSQL, so a larger number names no row: a 404, not a
    database error.
    """
    if not value.isascii() or not value.isdigit() or len(value) > 10 or int(value) > _MAX_ROW_ID:
        raise NotFound()
    return int(value)


_MAX_ROW_ID = 2**31 - 1


def _mine(row: Any, *, full: bool = True) -> Response:
    return jsonify(_json(handling.application_view(row, services(), subject=me().subject, full=full)))


@bp.post("/applications")
@require_roles("citizen")
@idempotent("application", owner=my_subject)
def apply() -> tuple[Response, int]:
    """Apply online for a published item (needs the proofing level of ZWT_APPLICATION_LEVEL)."""
    data = schema(ApplicationIn).load(json_object())
    made = handling.submit(me(), data["impl_code"], data["form"], svc=services(), materials=data["materials"],
                           commitment=data["commitment"], on_behalf_of=data["on_behalf_of"])
    row = made.row
    response = jsonify(_json(handling.application_view(row, services(), subject=me().subject, full=True, known=made)))
    session().commit()
    response.headers["Location"] = f"/api/v1/me/applications/{row.public_id}"
    return response, 201


@bp.get("/applications")
@require_roles("citizen")
def my_applications() -> Response:
    """The citizen's applications, newest first, with their time limits and what is due."""
    args = schema(MineArgs).load(request.args)
    svc, account = services(), me()
    return jsonify({"items": [_json(handling.application_view(row, svc, subject=account.subject, full=False))
                              for row in handling.mine(account, state=args["state"])]})


@bp.get("/applications/<application_id>")
@require_roles("citizen")
def my_application(application_id: str) -> Response:
    """One application: its timeline of every step, the department's messages, its time limit, what is due."""
    return _mine(handling.detail_for(me(), _id(application_id), svc=services()))


@bp.post("/applications/<application_id>/withdraw")
@require_roles("citizen")
def withdraw(application_id: str) -> Response:
    """Withdraw an application not yet decided."""
    return _mine(handling.citizen_move(me(), _id(application_id), "withdraw", svc=services()))


@bp.post("/applications/<application_id>/correction")
@require_roles("citizen")
def supply_correction(application_id: str) -> Response:
    """Supply the correction the department asked for (the changed form fields)."""
    data = schema(CorrectionIn).load(json_object())
    return _mine(handling.citizen_move(me(), _id(application_id), "supply_correction", svc=services(),
                                       form=data["form"]))


@bp.get("/messages")
@require_roles("citizen")
def my_messages() -> Response:
    """The message centre: unread count and messages, newest first; ETag for cheap polling (304)."""
    args = schema(MessageArgs).load(request.args)
    sess, account = session(), me()
    tag = messages.etag_of(sess, account)
    if request.if_none_match.contains(tag.strip('"')):
        response = Response(status=304)
        response.set_etag(tag.strip('"'))
        return response
    items = messages.messages_of(sess, account, unread_only=args["unread"], limit=200)
    ids = _public_ids(sess, {m.application_id for m in items if m.application_id is not None})
    response = jsonify({"unread": messages.unread_count(sess, account),
                        "items": [_json(messages.message_view(m, ids.get(m.application_id or 0))) for m in items]})
    response.set_etag(tag.strip('"'))
    return response


def _public_ids(sess: Any, ids: set[int]) -> dict[int, str]:
    from sqlalchemy import select

    from ..models import ApplicationRow

    if not ids:
        return {}
    return {row_id: public_id for row_id, public_id in sess.execute(
        select(ApplicationRow.id, ApplicationRow.public_id).where(ApplicationRow.id.in_(ids)))}


@bp.post("/messages/<message_id>/read")
@require_roles("citizen")
def read_message(message_id: str) -> tuple[str, int]:
    """Mark a message read."""
    messages.mark_read(session(), me(), _number(message_id), services())
    session().commit()
    return "", 204


def _staff() -> tuple[Account, Actor]:
    staff = me()
    return staff, Actor("staff", staff.subject, staff.department_code or "")


@admin_bp.get("/applications")
@require_roles("dept_admin")
def department_queue() -> Response:
    """The department's queue: filter by state, item and due date, soonest due first."""
    args = schema(QueueArgs).load(request.args)
    svc, (staff, _) = services(), _staff()
    rows = backoffice.queue(staff, svc, **args)
    return jsonify({"items": [_json(handling.application_view(row, svc, subject="", full=False)) for row in rows]})


@admin_bp.get("/applications/<application_id>")
@require_roles("dept_admin")
def department_application(application_id: str) -> Response:
    """One of the department's applications with its form and timeline."""
    svc, (staff, actor) = services(), _staff()
    row = handling.department_row(_id(application_id), actor, staff)
    return jsonify(_json(handling.application_view(row, svc, subject="", full=True)))


@admin_bp.post("/applications/<application_id>/moves")
@require_roles("dept_admin")
def department_step(application_id: str) -> Response:
    """Accept, refuse, ask for a correction, review, decide or conclude one of the department's applications."""
    data = schema(MoveIn).load(json_object())
    svc, (staff, actor) = services(), _staff()
    row = handling.department_move(_id(application_id), actor, data.pop("move"), svc=svc, staff=staff, **data)
    return jsonify(_json(handling.application_view(row, svc, subject="", full=True)))


@callback_bp.post("/<department>/applications/<application_id>/moves")
@department_signed
def department_callback(department: str, application_id: str) -> Response:
    """A department's own system reports a step (signed like a license push: RFC 9421 with its registered key)."""
    svc = services()
    body = request.get_data(cache=True)
    verify_request(session(), _id(department), SignedRequest(request.method, request.url, request.headers), body,
                   now=svc.clock.timestamp(), skew=svc.config.issuer_signature_skew_seconds,
                   cache=svc.wallet.issuer_keys)
    data = schema(MoveIn).load(json_object())
    row = handling.department_move(_id(application_id), Actor("department", department, department),
                                   data.pop("move"), svc=svc, **data)
    return jsonify({"id": row.public_id, "state": row.state})


@admin_bp.get("/outbox/dead-letters")
@require_roles("platform_admin")
def dead_letters() -> Response:
    """Applications whose delivery to their department kept failing."""
    return jsonify({"items": _json(outbox.dead_letters(session())), "depth": outbox.depth(session())})


@admin_bp.post("/outbox/dead-letters/<outbox_id>/replay")
@require_roles("platform_admin")
def replay(outbox_id: str) -> Response:
    """Queue a dead letter again; the worker delivers it on its next round."""
    sess = session()
    row = outbox.replay(sess, _number(outbox_id), services())
    sess.commit()
    return jsonify({"id": row.id, "status": row.status})
