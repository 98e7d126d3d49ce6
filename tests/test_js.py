"""QD1 in JavaScript (zwt/static/qd1/) against the Python library: the shared data, the Node test suite, and
verdicts compared case by case, in both directions between holder and verifier.

Node >= 20 runs them; without it they are skipped with the reason, and ``ZWT_REQUIRE_NODE=1`` (set by .ci/run)
turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.wallet.conftest import NOW, REVOKED_IDX, SUSPENDED_IDX, World, driving_licence
from tests.wallet.test_verify import CASES
from wallet import issuer as wallet_issuer
from wallet.holder import generate_device_key
from wallet.keys import generate_p256, public_key_from_spki, spki_der
from wallet.replay import MemoryReplayCache
from wallet.status_list import INVALID, SUSPENDED
from wallet.verify import verify

ROOT = Path(__file__).resolve().parents[1]
NODE_MISSING = "Node ≥ 20 not found: JavaScript tests skipped"


def _export_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("export_wallet_data", ROOT / "tests" / "js" / "export_wallet_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _node_path() -> str | None:
    path = shutil.which("node")
    if path is None:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.match(r"v(\d+)\.", out.strip())
    return path if match and int(match.group(1)) >= 20 else None


@pytest.fixture(scope="module")
def node() -> str:
    """The node executable, or a skip (a failure when ZWT_REQUIRE_NODE=1)."""
    path = _node_path()
    if path is None:
        if os.environ.get("ZWT_REQUIRE_NODE") == "1":
            pytest.fail(f"{NODE_MISSING}, but ZWT_REQUIRE_NODE=1 requires them")
        pytest.skip(NODE_MISSING)
    return path


class JsSide:
    """tests/js/cli.mjs in one Node process: one JSON request a line, one JSON answer a line."""

    def __init__(self, node: str) -> None:
        self.proc = subprocess.Popen([node, str(ROOT / "tests" / "js" / "cli.mjs")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def call(self, **request: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the Node side stopped"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def js(node: str) -> Iterator[JsSide]:
    side = JsSide(node)
    yield side
    side.close()


@pytest.fixture(scope="module")
def world_keys() -> tuple[Any, Any, Any]:
    return generate_p256(), generate_p256(), generate_device_key()


@pytest.fixture
def world(world_keys: tuple[Any, Any, Any]) -> World:
    root, issuer, device = world_keys
    return World(root, issuer, device, driving_licence(), statuses={REVOKED_IDX: INVALID, SUSPENDED_IDX: SUSPENDED})


def test_wallet_data_module_is_generated_from_python() -> None:
    """zwt/static/qd1/wallet_data.mjs holds exactly the reasons, messages, registry and constants of wallet/."""
    module = _export_module()
    assert module.TARGET.read_text(encoding="utf-8") == module.render(), (
        "zwt/static/qd1/wallet_data.mjs is out of date: run .venv/bin/python tests/js/export_wallet_data.py")


def test_node_test_suite_passes(node: str) -> None:
    """node --test tests/js: every vector file, codec and holder tests."""
    result = subprocess.run([node, "--test", "tests/js"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"^# fail 0$", result.stdout, re.M)


def test_a_javascript_presentation_verifies_in_python(js: JsSide, world: World) -> None:
    """A presentation signed in Node by a non-extractable WebCrypto key verifies with wallet.verify, once."""
    device = js.call(cmd="device")
    assert device["extractable"] is False
    device_key = public_key_from_spki(bytes.fromhex(device["spki_hex"]))
    credential = wallet_issuer.issue(world.license, "standard", world.issuer, now=NOW - 3600,
                                     status=("https://zwt.example/status/1", 9), device_key=device_key)
    presentation = js.call(cmd="present", text=credential, now=NOW)["presentation"]
    cache = MemoryReplayCache()
    verdict = verify(presentation, world.bundle(), now=NOW + 5, replay_cache=cache)
    assert verdict.valid, verdict.detail
    assert verdict.holder_bound and verdict.fields["holder_name"] == "张三丰"
    assert verify(presentation, world.bundle(), now=NOW + 6, replay_cache=cache).reason == "replayed"


def _bundle_bytes_of(world: World, make: Any) -> tuple[tuple[str, Any, dict[str, Any]], bytes]:
    """Run a case, keeping the bytes of the last bundle it built (the JavaScript side loads those)."""
    built: list[bytes] = []
    original = world.bundle_bytes

    def recording(**kwargs: Any) -> bytes:
        built.append(original(**kwargs))
        return built[-1]

    world.bundle_bytes = recording  # type: ignore[method-assign]
    case = make(world)
    return case, built[-1]


AGREEMENT_CASES = dict(CASES)
AGREEMENT_CASES["valid"] = lambda w: (w.credential(), w.bundle(), {})
AGREEMENT_CASES["valid-full"] = lambda w: (w.credential(profile="full"), w.bundle(), {})
AGREEMENT_CASES["valid-purpose"] = lambda w: (w.credential(), w.bundle(), {"purpose": {"holder_name"}})
AGREEMENT_CASES["valid-presentation"] = lambda w: (w.presentation(), w.bundle(), {"replay_cache": MemoryReplayCache()})
AGREEMENT_CASES["presentation-no-cache"] = lambda w: (w.presentation(), w.bundle(), {})
AGREEMENT_CASES["old-bundle-warning"] = lambda w: (w.credential(now=NOW - 3 * 86400), w.bundle(iat=NOW - 2 * 86400), {})


@pytest.mark.parametrize("case", sorted(AGREEMENT_CASES))
def test_python_and_javascript_agree(js: JsSide, world: World, case: str) -> None:
    """The same text, bundle, clock and purpose give the same verdict in Python and in JavaScript (Python-made
    presentations included): validity, reason, messages, type, identifier, profile, fields, claims, warnings."""
    (text, bundle, extra), data = _bundle_bytes_of(world, AGREEMENT_CASES[case])
    cache = extra.get("replay_cache")
    purpose = extra.get("purpose")
    seen_before = cache is not None and len(cache) > 0
    expected = verify(text, bundle, now=NOW, purpose=purpose, replay_cache=cache).to_json()
    root_spki = spki_der(world.root.public_key()).hex()
    answer = js.call(cmd="verify", text=text, bundle_hex=data.hex(), root_spki_hex=root_spki, now=NOW,
                     purpose=sorted(purpose) if purpose is not None else None,
                     replay=0 if cache is None else (2 if seen_before else 1))
    keys = ("valid", "reason", "message_zh", "message_en", "type", "license_id", "profile", "holder_bound", "warnings",
            "fields", "claims", "kid")
    assert {k: answer.get(k) for k in keys} == {k: expected[k] for k in keys}, answer.get("detail")
