"""The blob store ``create_app`` builds from ``ZWT_UPLOAD_STORE``: a directory, or S3-compatible storage."""

from __future__ import annotations

from applications.files import BlobStore, FilesystemStore, S3Store

from ..config import Config

__all__ = ["configured_store"]


def configured_store(cfg: Config) -> BlobStore:
    """``s3://bucket/prefix`` through a boto3 client (``ZWT_UPLOAD_S3_ENDPOINT_URL``, else AWS), else a directory."""
    if cfg.upload_store.startswith("s3://"):
        import boto3

        bucket, _, prefix = cfg.upload_store[len("s3://"):].partition("/")
        client = boto3.client("s3", endpoint_url=cfg.upload_s3_endpoint_url)
        return S3Store(client, bucket, prefix.strip("/") + "/" if prefix.strip("/") else "")
    return FilesystemStore(cfg.upload_store)
