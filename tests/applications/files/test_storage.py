"""Every BlobStore keeps the same contract: content addressed by SHA-256, checked on put, stored once."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest

from applications.files import BlobMissing, DigestMismatch, FilesystemStore, HashedSpool, S3Store, known_digest
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


def _spooled(data: bytes, max_size: int = 0) -> HashedSpool:
    spool = HashedSpool(max_size=max_size)
    for start in range(0, len(data), 4096):
        spool.write(data[start:start + 4096])
    spool.seek(0)
    return spool


@pytest.mark.parametrize("max_size", [0, 1 << 20])
def test_a_hashed_spool_knows_its_digest_on_disk_and_in_memory(max_size):
    """Bytes written in order: the spool's digest is theirs, whether it stayed in memory or rolled to a file."""
    with _spooled(DATA, max_size) as spool:
        assert spool.digest == DIGEST and known_digest(spool) == DIGEST and spool.read() == DATA


def test_a_spool_written_out_of_order_vouches_for_nothing():
    """A write that does not append, a truncation, or a file descriptor given out: no digest is vouched for."""
    with _spooled(DATA) as spool:
        spool.seek(10)
        spool.write(b"X")
        assert spool.digest is None and known_digest(spool) is None
    with _spooled(DATA) as spool:
        spool.truncate(10)
        assert spool.digest is None
    with _spooled(DATA) as spool, pytest.raises(io.UnsupportedOperation):
        spool.fileno()
    with _spooled(DATA) as spool:
        spool.seek(5)
        assert known_digest(spool) is None  # what is left to read is not what was hashed


def test_the_filesystem_store_trusts_a_spool_only_for_its_own_digest(tmp_path):
    """A spool's digest spares the store a second hash; put under another digest it is refused, nothing stored."""
    store = FilesystemStore(tmp_path / "blobs")
    other = hashlib.sha256(b"other").hexdigest()
    with _spooled(DATA) as spool, pytest.raises(DigestMismatch):
        store.put(other, spool)
    assert not store.exists(other)
    with _spooled(DATA) as spool:
        store.put(DIGEST, spool)
    with store.get(DIGEST) as stream:
        assert stream.read() == DATA
