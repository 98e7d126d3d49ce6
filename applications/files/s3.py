"""The blob storage port on S3-compatible object storage (AWS S3, MinIO, Ceph, ...) through a boto3 client.

The address is checked twice: ``put`` hashes the (seekable) stream before sending anything (or takes the digest
a ``HashedSpool`` computed as it was written), and sends the
SHA-256 as ``ChecksumSHA256``, which S3 checks again on arrival (bytes changed on the way are refused there),
so nothing is stored under a wrong digest.
"""

from __future__ import annotations

import base64
from typing import IO, Any, BinaryIO, cast

from .spool import known_digest
from .storage import BlobMissing, DigestMismatch, check_digest, sha256_of

__all__ = ["S3Store"]

_MISSING = {"404", "NoSuchKey", "NotFound"}
_MISMATCH = {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"}


class S3Store:
    """Blobs as objects ``<prefix><digest>`` in one bucket; ``client`` is a boto3 S3 client the caller built
    (endpoint, region and credentials are the composition root's business)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, digest: str) -> str:
        return self.prefix + check_digest(digest)

    def put(self, digest: str, stream: IO[bytes]) -> None:
        """Check the stream's SHA-256, then upload it with the checksum for the server to check again."""
        checksum = base64.b64encode(bytes.fromhex(check_digest(digest))).decode()
        known = known_digest(stream)
        if known is None:
            start = stream.tell()
            known = sha256_of(stream)
            stream.seek(start)
        if known != digest:
            raise DigestMismatch(digest)
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(digest), Body=stream,
                                   ChecksumSHA256=checksum)
        except Exception as exc:
            if _code(exc) in _MISMATCH:
                raise DigestMismatch(digest) from None
            raise

    def get(self, digest: str) -> BinaryIO:
        """The object's body, streamed."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(digest))
        except Exception as exc:
            if _code(exc) in _MISSING:
                raise BlobMissing(digest) from None
            raise
        return cast(BinaryIO, answer["Body"])

    def exists(self, digest: str) -> bool:
        """Whether the object is there (a HEAD request)."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(digest))
        except Exception as exc:
            if _code(exc) in _MISSING:
                return False
            raise
        return True

    def delete(self, digest: str) -> None:
        """Delete the object (S3 answers a missing one like a deleted one)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(digest))


def _code(exc: Exception) -> str | None:
    """The S3 error code of a botocore ``ClientError`` (read from its ``response``), None for anything else."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return None
