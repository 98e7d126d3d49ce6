"""EU Digital COVID Certificate interop: real DCC test data, and HC1 codes signed with the openssl tool."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import base45 as reference_base45
import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from wallet.keys import load_verification_key
from wallet.verify import decode, verify_with_keys

DCC = json.loads((Path(__file__).parent / "vectors" / "dcc_testdata.json").read_text())["vectors"]
ISSUED, EXPIRES = 1_622_505_600, 1_654_041_600  # 2021-06-01, 2022-06-01 UTC
VACCINATION = {"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2,
               "sd": 2, "dt": "2021-05-29", "co": "DE", "is": "Robert Koch-Institut",
               "ci": "URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}
HCERT = {1: {"ver": "1.3.0", "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"},
             "dob": "1964-08-12", "v": [VACCINATION]}}
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl command not installed")


def _epoch(iso: str) -> int:
    return int(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


@pytest.mark.parametrize("vector", DCC, ids=[f"{v['name']}-{v['description']}" for v in DCC])
def test_published_dcc_test_data(vector: dict[str, Any]) -> None:
    """The dgc-testdata vectors verify (or fail) as published, with the kid taken from the certificate."""
    key = load_verification_key(base64.b64decode(vector["certificate"]))
    decoded = decode(vector["prefix_text"], prefix="HC1:")
    assert decoded.message.kid == key.kid
    verdict = verify_with_keys(vector["prefix_text"], [key], now=_epoch(vector["validation_clock"]), prefix="HC1:")
    assert verdict.valid is vector["expected_verify"], verdict.detail
    if verdict.valid:
        assert verdict.claims["-260"]["1"]["nam"]["fnt"] == "MUSTERFRAU<GOESSINGER"


def _openssl(*args: str, cwd: Path, stdin: bytes | None = None) -> bytes:
    return subprocess.run(["openssl", *args], cwd=cwd, input=stdin, check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def openssl_signer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A P-256 key and self-signed certificate made by the openssl command-line tool."""
    work = tmp_path_factory.mktemp("openssl")
    _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem", cwd=work)
    _openssl("req", "-x509", "-new", "-key", "key.pem", "-subj", "/C=DE/CN=DSC test", "-days", "3650",
             "-sha256", "-out", "cert.pem", cwd=work)
    return work


def _hc1(work: Path, claims: dict[int, Any]) -> str:
    """Sign an HC1 code independently of wallet: cbor2 + openssl dgst + PyPI base45."""
    cert_der = _openssl("x509", "-in", "cert.pem", "-outform", "DER", cwd=work)
    protected = cbor2.dumps({1: -7, 4: hashlib.sha256(cert_der).digest()[:8]})
    payload = cbor2.dumps(claims)
    (work / "tbs.bin").write_bytes(cbor2.dumps(["Signature1", protected, b"", payload]))
    der = _openssl("dgst", "-sha256", "-sign", "key.pem", "tbs.bin", cwd=work)
    r, s = decode_dss_signature(der)
    cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, r.to_bytes(32, "big") + s.to_bytes(32, "big")]))
    return "HC1:" + reference_base45.b45encode(zlib.compress(cose, 9)).decode()


def _cli(*args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "wallet", "verify", *args], capture_output=True, text=True)
    return done.returncode, json.loads(done.stdout) if done.stdout.startswith("{") else {}


@needs_openssl
def test_cli_accepts_an_hc1_signed_with_openssl(openssl_signer: Path) -> None:
    """python -m wallet verify --key cert.pem --prefix HC1: accepts an openssl-signed DCC and shows its claims."""
    text = _hc1(openssl_signer, {1: "DE", 6: ISSUED, 4: EXPIRES, -260: HCERT})
    status, out = _cli("--key", str(openssl_signer / "cert.pem"), "--prefix", "HC1:",
                       "--at", "2021-07-01T12:00:00+02:00", "--json", text)
    cert_der = _openssl("x509", "-in", "cert.pem", "-outform", "DER", cwd=openssl_signer)
    assert status == 0 and out["valid"] is True and out["reason"] is None
    assert out["kid"] == hashlib.sha256(cert_der).digest()[:8].hex()
    assert out["claims"]["iss"] == "DE" and out["claims"]["-260"]["1"]["nam"]["gn"] == "Erika"


@needs_openssl
def test_cli_rejects_a_tampered_hc1(openssl_signer: Path) -> None:
    """Changing the signed payload of the openssl-signed DCC makes the CLI reject it with bad_signature."""
    text = _hc1(openssl_signer, {1: "DE", 6: ISSUED, 4: EXPIRES, -260: HCERT})
    raw = bytearray(zlib.decompress(reference_base45.b45decode(text[4:])))
    raw[raw.index(b"Erika")] ^= 0x20  # "Erika" -> "erika" inside the signed payload
    forged = "HC1:" + reference_base45.b45encode(zlib.compress(bytes(raw))).decode()
    status, out = _cli("--key", str(openssl_signer / "cert.pem"), "--prefix", "HC1:",
                       "--at", "2021-07-01T12:00:00Z", "--json", forged)
    assert (status, out["valid"], out["reason"]) == (1, False, "bad_signature")


@needs_openssl
def test_cli_rejects_an_expired_hc1(openssl_signer: Path) -> None:
    """The explicit verification time decides expiry: after exp the DCC is rejected as expired."""
    text = _hc1(openssl_signer, {1: "DE", 6: ISSUED, 4: EXPIRES, -260: HCERT})
    status, out = _cli("--key", str(openssl_signer / "cert.pem"), "--prefix", "HC1:",
                       "--at", "2022-06-02T00:00:00Z", "--json", text)
    assert (status, out["reason"]) == (1, "expired")


@needs_openssl
def test_cli_rejects_hc1_against_another_certificate(openssl_signer: Path, tmp_path: Path) -> None:
    """A DCC checked against a different openssl certificate is rejected: its kid names no given key."""
    text = _hc1(openssl_signer, {1: "DE", 6: ISSUED, 4: EXPIRES, -260: HCERT})
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
             "other.key", "-subj", "/CN=other", "-out", "other.pem", cwd=tmp_path)
    status, out = _cli("--key", str(tmp_path / "other.pem"), "--prefix", "HC1:", "--at", "2021-07-01T00:00:00Z",
                       "--json", text)
    assert (status, out["reason"]) == (1, "unknown_key")


@needs_openssl
def test_cli_accepts_ps256_signed_with_openssl(tmp_path: Path) -> None:
    """An RSA-PSS (PS256) DCC signed by openssl with salt length 32 verifies through the CLI."""
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-subj", "/CN=DSC RSA",
             "-days", "3650", "-out", "cert.pem", cwd=tmp_path)
    cert_der = _openssl("x509", "-in", "cert.pem", "-outform", "DER", cwd=tmp_path)
    protected = cbor2.dumps({1: -37, 4: hashlib.sha256(cert_der).digest()[:8]})
    payload = cbor2.dumps({1: "AT", 6: ISSUED, 4: EXPIRES, -260: HCERT})
    (tmp_path / "tbs.bin").write_bytes(cbor2.dumps(["Signature1", protected, b"", payload]))
    signature = _openssl("dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
                         "-sign", "key.pem", "tbs.bin", cwd=tmp_path)
    cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    text = "HC1:" + reference_base45.b45encode(zlib.compress(cose)).decode()
    status, out = _cli("--key", str(tmp_path / "cert.pem"), "--prefix", "HC1:", "--at", "2021-07-01T00:00:00Z",
                       "--json", text)
    assert (status, out["valid"]) == (0, True), out
