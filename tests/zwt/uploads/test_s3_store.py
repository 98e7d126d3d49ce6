"""The materials library on S3-compatible storage: moto's S3 server, reached over HTTP through boto3."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest

from applications.files import S3Store

from ...applications.files.moto_s3 import moto_endpoint, s3_client
from ...applications.files.samples import PDF, jpeg_with_exif

URL = "/api/v1/me/materials"


@pytest.fixture(scope="module")
def moto():
    """One moto S3 server for the module."""
    yield from moto_endpoint()


def test_upload_download_and_delete_through_s3(make_app, auth_for, moto):
    """Files land in the bucket under their SHA-256, once, read back through the app, and go with the last entry."""
    bucket = "zwt-" + uuid.uuid4().hex[:12]
    client_s3 = s3_client(moto, bucket)
    app = make_app(files=S3Store(client_s3, bucket, prefix="materials/"))
    client, citizen = auth_for(app)

    def keys() -> list[str]:
        return sorted(o["Key"] for o in client_s3.list_objects_v2(Bucket=bucket).get("Contents", []))

    made = [client.post(URL, headers=citizen.headers, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(data), name)}) for data, name in
            ((PDF, "a.pdf"), (PDF, "again.pdf"), (jpeg_with_exif(), "p.jpg"))]
    assert [m.status_code for m in made] == [201, 200, 201]
    assert f"materials/{hashlib.sha256(PDF).hexdigest()}" in keys() and len(keys()) == 2
    assert client.get(f"{URL}/{made[0].json['id']}", headers=citizen.headers).data == PDF
    assert client.delete(f"{URL}/{made[0].json['id']}", headers=citizen.headers).status_code == 204
    assert len(keys()) == 1
