"""HTTP face of the materials library: ``/api/v1/me/materials`` (multipart upload, list, download, delete)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, send_file, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from applications.files import KEPT, KINDS

from ..auth.guards import me, require_roles
from ..container import services
from ..errors import ValidationFailed
from ..http import schema
from . import library
from .schemas import MaterialListOut, UploadedOut

__all__ = ["bp"]

bp = Blueprint("materials", __name__, url_prefix="/api/v1")

#: room for the multipart framing and a name field around the file itself
_MULTIPART_SLACK = 64 * 1024


def uploaded_file(limit: int) -> FileStorage:
    """The one file of a multipart body, under this route's own size limit instead of ZWT_MAX_CONTENT_LENGTH;
    werkzeug spools it to a temporary file as it reads. Too large: 413 naming ``file``."""
    request.max_content_length = limit + _MULTIPART_SLACK
    try:
        files = request.files.getlist(library.FIELD)
    except RequestEntityTooLarge:
        raise library.refusal("too_large", limit) from None
    if len(files) != 1:
        raise ValidationFailed.field(library.FIELD, "required" if not files else "invalid")
    return files[0]


@bp.post("/me/materials")
@require_roles("citizen")
def upload_material() -> tuple[Response, int]:
    """Add a PDF, JPEG or PNG to the citizen's library (multipart field ``file``); the same bytes again: 200."""
    svc, account = services(), me()
    file = uploaded_file(svc.config.upload_max_bytes)
    row, created = library.upload(account, file.stream, name=file.filename, media_type=file.mimetype, svc=svc)
    body = library.material_view(row, []) | {"kept": list(KEPT.get(row.kind, ("original",)))}
    response = jsonify(schema(UploadedOut).dump(body))
    response.headers["Location"] = url_for(".download_material", material_id=row.public_id)
    return response, 201 if created else 200


@bp.get("/me/materials")
@require_roles("citizen")
def list_materials() -> Response:
    """The citizen's library: name, type, size, digest prefix, created, where it was used."""
    return jsonify(schema(MaterialListOut).dump({"items": library.materials_of(me())}))


@bp.get("/me/materials/<material_id>")
@require_roles("citizen")
def download_material(material_id: str) -> Response:
    """The file, to its owner only (someone else's answers like a missing one)."""
    svc = services()
    row = library.find_own(me(), material_id, svc=svc)
    response = send_file(library.open_blob(row.digest, svc), mimetype=KINDS[row.kind].media_type,
                         as_attachment=True, download_name=row.name, etag=row.digest, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.delete("/me/materials/<material_id>")
@require_roles("citizen")
def delete_material(material_id: str) -> tuple[str, int]:
    """Remove the entry from the library; the stored file goes when nothing else names it."""
    library.remove(me(), material_id, svc=services())
    return "", 204
