"""Every BlobStore keeps the same contract: content addressed by SHA-256, checked on put, stored once."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest

from applications.files import BlobMissing, DigestMismatch, FilesystemStore, S3Store
from applications.files.testing import MemoryStore

from .moto_s3 import moto_endpoint, s3_client


@pytest.fixture(scope="module")
def moto():
    """One moto S3 server for the module."""
    yield from moto_endpoint()


@pytest.fixture(params=["filesystem", "memory", "s3"])
def store(request, tmp_path):
    """Each implementation of the port; S3 talks to moto's server over HTTP."""
    if request.param == "filesystem":
        return FilesystemStore(tmp_path / "blobs")
    if request.param == "memory":
        return MemoryStore()
    bucket = "zwt-" + uuid.uuid4().hex[:12]
    return S3Store(s3_client(request.getfixturevalue("moto"), bucket), bucket, prefix="materials/")


DATA = b"%PDF-1.4 a material" * 1000
DIGEST = hashlib.sha256(DATA).hexdigest()


def test_put_get_exists_delete(store):
    """A blob put under its digest reads back the same, and is gone once deleted."""
    assert not store.exists(DIGEST)
    store.put(DIGEST, io.BytesIO(DATA))
    assert store.exists(DIGEST)
    with store.get(DIGEST) as blob:
        assert blob.read() == DATA
    store.delete(DIGEST)
    assert not store.exists(DIGEST)
    store.delete(DIGEST)  # again: not an error
    with pytest.raises(BlobMissing):
        store.get(DIGEST)


def test_putting_the_same_bytes_again_is_harmless(store):
    """The same digest put twice still holds the one blob."""
    store.put(DIGEST, io.BytesIO(DATA))
    store.put(DIGEST, io.BytesIO(DATA))
    with store.get(DIGEST) as blob:
        assert blob.read() == DATA


def test_bytes_under_a_wrong_digest_are_refused_and_nothing_is_stored(store):
    """The address is checked on put (S3 checks ``ChecksumSHA256`` itself)."""
    wrong = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(DigestMismatch):
        store.put(wrong, io.BytesIO(DATA))
    assert not store.exists(wrong)


@pytest.mark.parametrize("digest", ["../../etc/passwd", "A" * 64, "ab", "g" * 64])
def test_a_digest_that_is_not_hex_names_nothing(store, digest):
    """Only 64 lower-case hex characters address a blob (never a path outside the store)."""
    with pytest.raises(ValueError):
        store.exists(digest)


def test_the_filesystem_store_leaves_no_temporary_file(tmp_path):
    """A refused put removes its temporary file; a stored blob lies under its digest's first two characters."""
    store = FilesystemStore(tmp_path)
    with pytest.raises(DigestMismatch):
        store.put(hashlib.sha256(b"x").hexdigest(), io.BytesIO(DATA))
    store.put(DIGEST, io.BytesIO(DATA))
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        f"{DIGEST[:2]}/{DIGEST}"]
