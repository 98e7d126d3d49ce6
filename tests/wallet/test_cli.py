"""The command line: verify with a bundle or a key, inspect, qr, and exit statuses 0 / 1 / 2."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.wallet.conftest import NOW, REVOKED_IDX, World
from wallet.cli import main
from wallet.keys import spki_der

AT = dt.datetime.fromtimestamp(NOW, dt.timezone.utc).isoformat()


@pytest.fixture
def files(world: World, tmp_path: Path) -> Path:
    """Bundle, root key and issuer key written to disk as a counter would hold them."""
    (tmp_path / "bundle.cose").write_bytes(world.bundle_bytes())
    (tmp_path / "root.der").write_bytes(spki_der(world.root.public_key()))
    (tmp_path / "issuer.der").write_bytes(spki_der(world.issuer.public_key()))
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, capsys.readouterr().out


def test_verify_with_bundle_valid(world: World, files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid credential verified against the bundle exits 0 and prints the JSON verdict."""
    status, out = _run(capsys, "verify", "--bundle", str(files / "bundle.cose"), "--root", str(files / "root.der"),
                       "--at", AT, "--json", world.credential())
    verdict = json.loads(out)
    assert status == 0 and verdict["valid"] and verdict["type"] == "driving_license"
    assert verdict["kid"] == world.issuer_entry().kid.hex() and verdict["fields"]["holder_name"] == "张三丰"


def test_verify_with_bundle_revoked(world: World, files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A revoked credential exits 1 with the revoked reason in plain text output."""
    status, out = _run(capsys, "verify", "--bundle", str(files / "bundle.cose"), "--root", str(files / "root.der"),
                       "--at", AT, world.credential(idx=REVOKED_IDX))
    assert status == 1 and out.startswith("REJECTED (revoked)") and "证照已被注销" in out


def test_verify_purpose_limits_fields(world: World, files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--purpose shows only the named fields."""
    status, out = _run(capsys, "verify", "--bundle", str(files / "bundle.cose"), "--root", str(files / "root.der"),
                       "--at", AT, "--purpose", "holder_name", "--json", world.credential())
    assert status == 0 and json.loads(out)["fields"] == {"holder_name": "张三丰"}


def test_verify_with_key_only_checks_signature_and_time(world: World, files: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """--key skips status checks, so even a revoked credential's signature and dates pass."""
    status, out = _run(capsys, "verify", "--key", str(files / "issuer.der"), "--at", AT, "--json",
                       world.credential(idx=REVOKED_IDX))
    assert status == 0 and json.loads(out)["license_id"] == world.license.identifier


def test_wrong_root_rejects_the_bundle(world: World, files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bundle that does not verify with --root is a rejection (exit 1), not a crash."""
    status, out = _run(capsys, "verify", "--bundle", str(files / "bundle.cose"), "--root", str(files / "issuer.der"),
                       "--at", AT, "--json", world.credential())
    assert status == 1 and json.loads(out)["reason"] == "trust_bundle_invalid"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["verify", "QD1:X"],
        ["verify", "--bundle", "b", "--key", "k", "QD1:X"],
        ["verify", "--bundle", "{files}/bundle.cose", "QD1:X"],
        ["verify", "--key", "{files}/issuer.der", "--at", "yesterday", "QD1:X"],
        ["verify", "--key", "{files}/issuer.der", "--at", "2025-06-15T10:00:00", "QD1:X"],
        ["verify", "--key", "{files}/missing.pem", "QD1:X"],
        ["verify", "--key", "{files}/bundle.cose", "QD1:X"],
        ["qr", "QD1:X", "--out", "{files}/x.gif"],
    ],
    ids=["no-command", "no-trust", "both-trust", "bundle-without-root", "bad-at", "naive-at", "missing-key",
         "not-a-key", "bad-image-type"],
)
def test_usage_errors_exit_2(files: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    """Bad arguments and unreadable files exit with status 2."""
    status, _ = _run(capsys, *[a.format(files=files) for a in args])
    assert status == 2


def test_inspect_shows_structure(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    """inspect prints the decoded headers, claims and license fields without a trust decision."""
    status, out = _run(capsys, "inspect", world.presentation())
    shown = json.loads(out)
    assert status == 0 and shown["holder_bound"] and shown["alg"] == "ES256"
    assert shown["presented_at"] == NOW and shown["license"]["type"] == "driving_license"


def test_inspect_undecodable_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """inspect of garbage exits 1 and names the reason on stderr."""
    status = main(["inspect", "QD1:abc"])
    assert status == 1 and "bad_base45" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_qr_renders_and_png_verifies_back(world: World, files: Path, capsys: pytest.CaptureFixture[str],
                                          suffix: str) -> None:
    """qr writes a PNG or SVG; a PNG given to verify is read back and verified."""
    text = world.credential()
    out = files / f"code{suffix}"
    assert _run(capsys, "qr", text, "--out", str(out))[0] == 0
    assert out.stat().st_size > 100
    if suffix == ".png":
        status, printed = _run(capsys, "verify", "--bundle", str(files / "bundle.cose"), "--root",
                               str(files / "root.der"), "--at", AT, "--json", str(out))
        assert status == 0 and json.loads(printed)["valid"]


def test_image_without_code_is_no_qr_code(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A picture with no QR code in it is rejected as no_qr_code."""
    buffer = io.BytesIO()
    Image.new("L", (120, 120), 255).save(buffer, "PNG")
    (files / "blank.png").write_bytes(buffer.getvalue())
    status, out = _run(capsys, "verify", "--key", str(files / "issuer.der"), "--json", str(files / "blank.png"))
    assert status == 1 and json.loads(out)["reason"] == "no_qr_code"


def test_python_dash_m_entry_point(world: World, files: Path) -> None:
    """python -m wallet runs the same CLI and returns its exit status."""
    done = subprocess.run([sys.executable, "-m", "wallet", "verify", "--key", str(files / "issuer.der"),
                           "--at", AT, world.credential()], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("VALID")
