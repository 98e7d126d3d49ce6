"""HTTP face of the citizen's wallet: licenses, presentations, devices, lock, access log."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from wallet.qr import render_png, render_svg

from ..auth.guards import current_claims, me, my_subject, require_roles, require_step_up
from ..auth.levels import licenses_released
from ..container import Services, services
from ..db import session
from ..http import json_object, schema
from ..idempotency import idempotent
from ..models import Account, WalletLicense
from . import access_log, devices, licenses, presentations
from .runtime import runtime
from .schemas import AccessLogQuery, DeviceIn, LicenseQuery, PresentationIn
from .schemas_out import (AccessLogOut, DeviceOut, LicenseListOut, LicenseOut, LockOut, NonceOut,
                          PresentationOut, RefreshOut)

__all__ = ["bp"]

bp = Blueprint("wallet", __name__, url_prefix="/api/v1")


@bp.get("/me/licenses")
@require_roles("citizen")
def list_licenses() -> Response:
    """The citizen's licenses on record, numbers masked."""
    svc, account = services(), me()
    items = [licenses.license_view(row, svc=svc) for row in licenses.licenses_of(account)]
    return jsonify(schema(LicenseListOut).dump({"items": items} | _levels(account, svc)))


def _levels(account: Account, svc: Services) -> dict[str, object]:
    return {"identity_verified": account.identity_verified_at is not None,
            "proofing_level": account.proofing_level, "licenses_released": licenses_released(account, svc.config)}


@bp.post("/me/licenses/refresh")
@require_roles("citizen")
def refresh_licenses() -> Response:
    """Fetch the citizen's licenses from every department again."""
    svc, account = services(), me()
    sources = licenses.refresh_licenses(account, svc=svc)
    items = [licenses.license_view(row, svc=svc) for row in licenses.licenses_of(account)]
    return jsonify(schema(RefreshOut).dump({"items": items, "sources": sources} | _levels(account, svc)))


@bp.get("/me/licenses/<license_id>")
@require_roles("citizen")
def get_license(license_id: str) -> Response:
    """One license; ``reveal=true`` shows full numbers and needs a step-up (fresh login + SMS code or face)."""
    query = schema(LicenseQuery).load(request.args)
    svc, account = services(), me()
    row = licenses.find_own(account, license_id, svc=svc)
    if query["reveal"]:
        require_step_up()
        access_log.record(session(), at=svc.clock.now(), event="revealed", source="app", license=row, actor=account,
                          hall_code=None, counter_code=None)
        session().commit()
    return jsonify(schema(LicenseOut).dump(licenses.license_view(row, svc=svc, reveal=query["reveal"])))


@bp.post("/me/licenses/<license_id>/presentations")
@require_roles("citizen")
@idempotent("presentation", owner=my_subject)
def create_presentation(license_id: str) -> tuple[Response, int]:
    """Sign a presentation of the license for a profile or a service item."""
    data = schema(PresentationIn).load(json_object())
    svc, account = services(), me()
    made = presentations.create_presentation(account, license_id, data, svc=svc, rt=runtime())
    view = presentations.presentation_view(made, license_id, svc.config.public_base_url.rstrip("/"))
    return jsonify(schema(PresentationOut).dump(view)), 201


def _render(presentation_id: str, kind: str) -> Response:
    """Serve one rendering with a strong ETag; an unchanged one answers 304."""
    found = presentations.find_presentation(me(), presentation_id)
    etag = presentations.etag_of(found, kind)
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300"}
    if etag in request.if_none_match or request.if_none_match.contains_weak(etag.strip('"')):
        return Response(status=304, headers=headers)
    cache = runtime().images
    body = cache.get(etag)
    if body is None:
        text = presentations.presentation_text(found, services())
        body = render_png(text) if kind == "png" else render_svg(text).encode()
        cache.put(etag, body)
    return Response(body, mimetype="image/png" if kind == "png" else "image/svg+xml", headers=headers)


@bp.get("/me/presentations/<presentation_id>/qr.png")
@require_roles("citizen")
def presentation_png(presentation_id: str) -> Response:
    """The presentation's QR code as PNG."""
    return _render(presentation_id, "png")


@bp.get("/me/presentations/<presentation_id>/qr.svg")
@require_roles("citizen")
def presentation_svg(presentation_id: str) -> Response:
    """The presentation's QR code as SVG."""
    return _render(presentation_id, "svg")


@bp.post("/nonces")
@require_roles("citizen", "clerk")
def new_nonce() -> tuple[Response, int]:
    """A single-use nonce a device signs to prove it holds its key."""
    return jsonify(schema(NonceOut).dump(devices.issue_nonce(me(), svc=services()))), 201


@bp.post("/me/devices")
@require_roles("citizen", step_up=True)
@idempotent("device", owner=my_subject)
def register_device() -> tuple[Response, int]:
    """Register the app's device key (proof of possession over a nonce); needs a step-up; the phone is told."""
    data = schema(DeviceIn).load(json_object())
    device = devices.register_device(me(), data, svc=services())
    return jsonify(schema(DeviceOut).dump(devices.device_view(device))), 201


@bp.get("/me/devices")
@require_roles("citizen")
def list_devices() -> Response:
    """The citizen's registered devices."""
    return jsonify({"items": DeviceOut(many=True).dump([devices.device_view(d) for d in devices.devices_of(me())])})


@bp.delete("/me/devices/<device_id>")
@require_roles("citizen")
def remove_device(device_id: str) -> tuple[str, int]:
    """Remove a device; credentials bound to it stop verifying at the next bundle sync."""
    devices.remove_device(me(), device_id, svc=services())
    return "", 204


@bp.post("/me/wallet/lock")
@require_roles("citizen")
def lock_wallet() -> Response:
    """Lock the wallet (lost phone): every other sign-in ends too, so the lost phone's tokens stop working."""
    return jsonify(schema(LockOut).dump(devices.lock_wallet(me(), svc=services(),
                                                            keep_session=current_claims().get("fam"))))


@bp.delete("/me/wallet/lock")
@require_roles("citizen", fresh=True)
def unlock_wallet() -> tuple[str, int]:
    """Unlock the wallet (needs a fresh login: whoever holds the lost phone's token cannot undo the lock)."""
    devices.unlock_wallet(me(), svc=services())
    return "", 204


@bp.get("/me/access-log")
@require_roles("citizen")
def access_log_page() -> Response:
    """Every look at the citizen's licenses, newest first."""
    query = schema(AccessLogQuery).load(request.args)
    account = me()
    rows = access_log.entries_for(session(), account.id, limit=query["limit"], before_id=query["before"])
    ids = {row.license_id for row in rows if row.license_id}
    public = dict(session().execute(select(WalletLicense.id, WalletLicense.public_id)
                                    .where(WalletLicense.id.in_(ids))).all()) if ids else {}
    items = [access_log.entry_view(row, public) for row in rows]
    next_before = rows[-1].id if len(rows) == query["limit"] else None
    return jsonify(schema(AccessLogOut).dump({"items": items, "next_before": next_before}))
