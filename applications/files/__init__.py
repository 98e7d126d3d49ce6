"""Files of applications (材料): type from the bytes, images without metadata, content-addressed blob storage.

``prepare`` turns an uploaded stream into a checked blob (``FileRefused`` with a ``reason`` otherwise);
a ``BlobStore`` keeps it under its SHA-256: ``FilesystemStore`` or ``S3Store`` (a boto3 client), and
``testing.MemoryStore`` for tests. An upload spooled into a ``HashedSpool`` is hashed once, as it is written.
"""

from .images import KEPT, MAX_PIXELS, strip_metadata
from .ingest import Prepared, prepare
from .kinds import KINDS, FileKind, FileRefused, check_claims, sniff
from .s3 import S3Store
from .spool import HashedSpool, known_digest
from .storage import BlobMissing, BlobStore, DigestMismatch, FilesystemStore, check_digest, sha256_of

__all__ = ["KEPT", "MAX_PIXELS", "strip_metadata", "Prepared", "prepare", "KINDS", "FileKind", "FileRefused",
           "check_claims", "sniff", "S3Store", "BlobMissing", "BlobStore", "DigestMismatch", "FilesystemStore",
           "check_digest", "sha256_of", "HashedSpool", "known_digest"]
