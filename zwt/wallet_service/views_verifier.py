"""HTTP face of counters: the trust bundle and root key, device registration, online verify, log upload."""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify, request

from ..auth.guards import me, my_subject, require_roles
from ..catalog.browse import catalog_generation
from ..container import services
from ..http import json_object, schema
from ..idempotency import idempotent
from ..policy import public
from . import verifier
from .bundle import current_bundle, root_key_pem
from .requirements import items_taking_licenses
from .runtime import runtime
from .schemas import DeviceIn, LogUploadIn, VerifyIn
from .schemas_out import CounterDeviceOut, CounterItemOut, UploadOut, VerdictOut

__all__ = ["bp", "BUNDLE_MEDIA_TYPE"]

bp = Blueprint("verifier", __name__, url_prefix="/api/v1/verifier")
BUNDLE_MEDIA_TYPE = "application/vnd.qd1.trust+cbor"


@bp.get("/bundle")
@public
def bundle() -> Response:
    """The signed trust bundle; 304 when the counter already holds it (If-None-Match)."""
    built = current_bundle(services(), runtime())
    headers = {"ETag": built.etag, "Cache-Control": "no-cache", "X-Bundle-Seq": str(built.generation)}
    if request.if_none_match.contains_weak(built.etag[3:-1]):
        return Response(status=304, headers=headers)
    return Response(built.data, mimetype=BUNDLE_MEDIA_TYPE, headers=headers)


@bp.get("/root-key")
@public
def root_key() -> Response:
    """The platform root public key (PEM) counters check bundles with."""
    return Response(root_key_pem(services(), runtime()), mimetype="application/x-pem-file",
                    headers={"Cache-Control": "public, max-age=3600"})


@bp.post("/devices")
@require_roles("clerk")
@idempotent("counter_device", owner=my_subject)
def register_counter_device() -> tuple[Response, int]:
    """Register the clerk's counter device to their hall and counter."""
    data = schema(DeviceIn).load(json_object())
    device = verifier.register_counter_device(me(), data, svc=services())
    return jsonify(schema(CounterDeviceOut).dump(verifier.counter_device_view(device))), 201


@bp.post("/verify")
@require_roles("clerk")
def verify() -> Response:
    """Verify a scanned code online and log it for the license holder."""
    data = schema(VerifyIn).load(json_object())
    verdict = verifier.verify_online(me(), data["qd1"], data.get("impl_code"), svc=services(), rt=runtime())
    return jsonify(schema(VerdictOut).dump(verifier.verdict_view(verdict)))


@bp.post("/logs")
@require_roles("clerk")
@idempotent("counter_logs", owner=my_subject)
def upload_logs() -> tuple[Response, int]:
    """Upload a counter-signed batch of offline verifications (the same batch twice stores once)."""
    data = schema(LogUploadIn).load(json_object())
    result = verifier.upload_logs(me(), data["payload"], data["signature"], svc=services())
    return jsonify(schema(UploadOut).dump(result)), 200 if result["duplicate"] else 201


@bp.get("/items")
@require_roles("clerk", "citizen")
def items() -> Response:
    """The service items a wallet license stands in for, each with the fields it needs per license type.

    A counter caches this list offline to pick the item it handles; the web wallet offers the items a license
    can be shown for; the ETag is the catalog generation, so a
    counter polling an unchanged catalog gets 304 without the list being built.
    """
    etag = f"items-{catalog_generation(services())}"
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    body = {"items": schema(CounterItemOut).dump(
        [{"impl_code": row.impl_code, "name": row.name, "department_name": row.department_name,
          "needs": {ltype: list(fields) for ltype, fields in needs.by_type.items()}}
         for row, needs in items_taking_licenses()], many=True)}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json", headers=headers)
