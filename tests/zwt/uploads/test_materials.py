"""The materials library over HTTP: upload (multipart), list, download, delete; sizes, types, sharing, privacy."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from zwt.models import Material, UploadBlob

from ...applications.files.samples import GPS_MARKER, PDF, jpeg_with_exif, png_with_text

URL = "/api/v1/me/materials"


def send(client, citizen, data: bytes, name: str = "scan.pdf", media_type: str = "application/pdf", **extra):
    """POST one file as multipart field ``file``."""
    return client.post(URL, headers=citizen.headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name, media_type), **extra})


def stored_files(app) -> list[Path]:
    """Every blob file in the filesystem store of ``app``."""
    root = Path(app.extensions["zwt"].config.upload_store)
    return [p for p in root.rglob("*") if p.is_file()]


def counts(app) -> tuple[int, int]:
    """(library entries, blob rows)."""
    with app.extensions["zwt"].db.engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(Material)),
                conn.scalar(select(func.count()).select_from(UploadBlob)))


@pytest.mark.parametrize("data, name, media_type, kind", [
    (PDF, "户口本.pdf", "application/pdf", "pdf"),
    (jpeg_with_exif(), "身份证正面.jpg", "image/jpeg", "jpeg"),
    (png_with_text(), "社保卡.png", "image/png", "png"),
])
def test_pdf_jpeg_and_png_are_accepted_listed_and_downloaded(client, auth, data, name, media_type, kind):
    """Each accepted kind lands in the library with its name, type, size and digest prefix."""
    citizen = auth.register()
    made = send(client, citizen, data, name, media_type)
    assert made.status_code == 201, made.json
    body = made.json
    assert (body["name"], body["type"], body["used_in"]) == (name, kind, [])
    assert made.headers["Location"].endswith(f"{URL}/{body['id']}")
    listed = client.get(URL, headers=citizen.headers).json["items"]
    assert [(m["id"], m["size"], m["digest"]) for m in listed] == [(body["id"], body["size"], body["digest"])]
    got = client.get(f"{URL}/{body['id']}", headers=citizen.headers)
    assert got.status_code == 200 and got.mimetype == media_type
    assert "attachment" in got.headers["Content-Disposition"] and "no-store" in got.headers["Cache-Control"]
    assert hashlib.sha256(got.data).hexdigest().startswith(body["digest"]) and len(got.data) == body["size"]
    if kind == "pdf":
        assert got.data == PDF and body["kept"] == ["original"]


@pytest.mark.parametrize("data, name, media_type, code", [
    (png_with_text(), "scan.pdf", "application/pdf", "type_mismatch"),
    (PDF, "photo.jpg", "application/octet-stream", "type_mismatch"),
    (PDF, "scan.pdf", "image/png", "type_mismatch"),
    (b"MZ\x90\x00 not a document", "scan.pdf", "application/pdf", "unsupported_type"),
    (b"GIF89a......", "a.gif", "image/gif", "unsupported_type"),
    (png_with_text()[:50], "cut.png", "image/png", "corrupt"),
])
def test_bytes_that_are_not_what_they_claim_are_refused_and_nothing_is_stored(app, client, auth, data, name,
                                                                              media_type, code):
    """The type comes from the bytes: a mismatch or another type is a 422 naming ``file``; nothing kept."""
    citizen = auth.register()
    refused = send(client, citizen, data, name, media_type)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert [(e["field"], e["code"]) for e in refused.json["errors"]] == [("file", code)]
    assert counts(app) == (0, 0) and stored_files(app) == []


def test_an_oversize_file_is_413_naming_the_field_and_nothing_is_stored(make_app, auth_for):
    """Over ZWT_UPLOAD_MAX_BYTES, by a byte or by far (cut off while reading): 413 problem+json naming ``file``."""
    app = make_app({"ZWT_UPLOAD_MAX_BYTES": str(len(PDF) + 10)})
    client, citizen = auth_for(app)
    for data in (PDF + b"%" * 11, PDF + b"%" * (200 * 1024)):
        refused = send(client, citizen, data)
        assert refused.status_code == 413 and refused.mimetype == "application/problem+json"
        assert refused.json["code"] == "file_too_large" and refused.json["errors"][0]["field"] == "file"
    assert counts(app) == (0, 0) and stored_files(app) == []
    assert send(client, citizen, PDF + b"%" * 10).status_code == 201


def test_the_json_body_cap_does_not_apply_to_uploads(make_app, auth_for):
    """A file far over ZWT_MAX_CONTENT_LENGTH (JSON bodies) but under the upload cap is accepted."""
    app = make_app({"ZWT_MAX_CONTENT_LENGTH": "4096"})
    client, citizen = auth_for(app)
    big = PDF + b"%" * (3 * 1024 * 1024)
    made = send(client, citizen, big)
    assert made.status_code == 201, made.json
    assert made.json["size"] == len(big)
    assert client.post("/api/v1/auth/login", json={"username": "x" * 5000, "password": "y"}).status_code == 413


def test_a_request_without_one_file_names_the_field(client, auth):
    """No multipart body, or no ``file`` part: 422 naming ``file``."""
    citizen = auth.register()
    for response in (client.post(URL, headers=citizen.headers, json={"file": "x"}),
                     client.post(URL, headers=citizen.headers, data={"other": "x"},
                                 content_type="multipart/form-data")):
        assert response.status_code == 422
        assert [e["field"] for e in response.json["errors"]] == ["file"]


def test_exif_is_gone_from_a_stored_jpeg_and_text_from_a_png(app, client, auth):
    """What is stored and downloaded holds no EXIF, XMP, comment or text chunk (checked with Pillow)."""
    citizen = auth.register()
    for data, name in ((jpeg_with_exif(orientation=6), "p.jpg"), (png_with_text(), "p.png")):
        made = send(client, citizen, data, name, "")
        assert made.status_code == 201, made.json
        got = client.get(f"{URL}/{made.json['id']}", headers=citizen.headers).data
        assert GPS_MARKER.encode() not in got
        with Image.open(io.BytesIO(got)) as im:
            assert dict(im.getexif()) == {} and "comment" not in im.info and "xmp" not in im.info
            assert getattr(im, "text", {}) == {}
            if name == "p.jpg":
                assert im.size == (32, 48)  # turned upright as its EXIF said, before the EXIF went
    for path in stored_files(app):
        assert GPS_MARKER.encode() not in path.read_bytes()


def test_the_same_bytes_are_stored_once_and_go_with_their_last_entry(app, client, auth):
    """Two citizens (and one of them twice) upload the same file: one blob; it goes when the last entry does."""
    one, two = auth.register(), auth.register()
    first = send(client, one, PDF)
    again = send(client, one, PDF, "again.pdf")
    other = send(client, two, PDF, "mine.pdf")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json["id"] == first.json["id"] and other.json["id"] != first.json["id"]
    assert counts(app) == (2, 1) and len(stored_files(app)) == 1
    assert client.delete(f"{URL}/{first.json['id']}", headers=one.headers).status_code == 204
    assert client.get(f"{URL}/{other.json['id']}", headers=two.headers).data == PDF
    assert counts(app) == (1, 1) and len(stored_files(app)) == 1
    assert client.delete(f"{URL}/{other.json['id']}", headers=two.headers).status_code == 204
    assert counts(app) == (0, 0) and stored_files(app) == []
    assert client.get(URL, headers=two.headers).json == {"items": []}


def test_another_citizen_gets_the_answer_of_a_missing_file(client, auth):
    """Reading or deleting someone else's file answers 404 like a missing id, and the file stays."""
    owner, stranger = auth.register(), auth.register()
    made = send(client, owner, PDF).json["id"]
    missing = made[:-6] + "000000"
    for method in ("get", "delete"):
        foreign = getattr(client, method)(f"{URL}/{made}", headers=stranger.headers)
        absent = getattr(client, method)(f"{URL}/{missing}", headers=stranger.headers)
        assert foreign.status_code == absent.status_code == 404
        assert foreign.json["code"] == absent.json["code"] == "not_found"
    assert client.get(f"{URL}/{made}", headers=owner.headers).data == PDF
    log = client.get("/api/v1/me/access-log", headers=owner.headers).json["items"]
    assert [e["event"] for e in log] == ["access_denied", "access_denied"]


def test_a_personal_number_in_a_file_name_is_masked(client, auth):
    """The library never keeps a full ID number or phone number that a file name carried."""
    citizen = auth.register()
    made = send(client, citizen, PDF, "张伟_37020219900101001X_13800000001.pdf")
    assert made.json["name"] == "张伟_3702**********001X_138****0001.pdf"


def test_uploads_need_a_citizen(client, auth):
    """Without a token the library answers 401."""
    assert client.get(URL).status_code == 401
    assert client.post(URL, data={"file": (io.BytesIO(PDF), "a.pdf")}).status_code == 401
