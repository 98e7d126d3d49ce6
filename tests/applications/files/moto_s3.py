"""moto's S3 in server mode (its public ``ThreadedMotoServer``), on a free loopback port, for the S3 store tests."""

from __future__ import annotations

from typing import Any, Iterator

__all__ = ["moto_endpoint", "s3_client"]


def moto_endpoint() -> Iterator[str]:
    """Start the server, yield its URL, stop it (a generator for a fixture)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str, bucket: str) -> Any:
    """A boto3 S3 client of the moto server with ``bucket`` created (moto accepts any credentials)."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    client.create_bucket(Bucket=bucket)
    return client
