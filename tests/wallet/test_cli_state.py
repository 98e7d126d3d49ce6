"""The counter CLI remembers (issue 13): ``--state DIR`` refuses rollbacks, replays and a clock behind the
newest bundle seen; ``sync`` fetches the bundle with If-None-Match. The clock is always ``--at``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wallet.conftest import NOW, REVOKED_IDX, World
from wallet.cli import main
from wallet.counter_state import REPLAY_LIMIT, CounterState, StateDir
from wallet.keys import generate_p256, spki_der
from wallet.trust import CLOCK_SKEW


def _iso(when: int) -> str:
    return dt.datetime.fromtimestamp(when, dt.timezone.utc).isoformat()


AT = _iso(NOW)


@pytest.fixture
def files(world: World, tmp_path: Path) -> Path:
    """Root key, an old bundle (seq 5, nothing revoked) and a newer one (seq 6, REVOKED_IDX revoked)."""
    (tmp_path / "root.der").write_bytes(spki_der(world.root.public_key()))
    (tmp_path / "issuer.der").write_bytes(spki_der(world.issuer.public_key()))
    before_revocation = dataclasses.replace(world, statuses={})
    (tmp_path / "old.cose").write_bytes(before_revocation.bundle_bytes(seq=5, iat=NOW - 120))
    (tmp_path / "new.cose").write_bytes(world.bundle_bytes(seq=6, iat=NOW - 60))
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _verify(capsys: pytest.CaptureFixture[str], files: Path, code: str, *extra: str,
            at: str = AT) -> tuple[int, dict[str, object]]:
    status, out, err = _run(capsys, "verify", "--root", str(files / "root.der"), "--at", at, "--json",
                            *extra, code)
    assert out, err
    return status, json.loads(out)


# --- rollback ---------------------------------------------------------------------------------------------

def test_older_bundle_after_newer_is_rollback(world: World, files: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """After seq 6 (which revokes), the seq 5 bundle from before the revocation is refused, not VALID."""
    state, revoked = str(files / "state"), world.credential(idx=REVOKED_IDX)
    assert _verify(capsys, files, revoked, "--bundle", str(files / "old.cose"))[1]["valid"]  # the attack today
    status, verdict = _verify(capsys, files, revoked, "--bundle", str(files / "new.cose"), "--state", state)
    assert status == 1 and verdict["reason"] == "revoked"
    status, verdict = _verify(capsys, files, revoked, "--bundle", str(files / "old.cose"), "--state", state)
    assert status == 1 and verdict["reason"] == "trust_bundle_rollback"
    assert "seq 5 < held seq 6" in str(verdict["detail"])


def test_newest_given_bundle_becomes_the_held_one(world: World, files: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A newer bundle given with --bundle is kept, so a later run with only --state uses it."""
    state = str(files / "state")
    _verify(capsys, files, world.credential(), "--bundle", str(files / "old.cose"), "--state", state)
    _verify(capsys, files, world.credential(), "--bundle", str(files / "new.cose"), "--state", state)
    status, verdict = _verify(capsys, files, world.credential(idx=REVOKED_IDX), "--state", state)
    assert status == 1 and verdict["reason"] == "revoked"
    assert (files / "state" / "bundle.cose").read_bytes() == (files / "new.cose").read_bytes()


# --- replay -----------------------------------------------------------------------------------------------

def test_same_presentation_twice_is_replayed_across_invocations(world: World, files: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The first showing is valid with no replay warning; a second run of the CLI calls it replayed."""
    shown, state = world.presentation(), str(files / "state")
    status, first = _verify(capsys, files, shown, "--bundle", str(files / "new.cose"), "--state", state)
    assert status == 0 and first["holder_bound"] and first["warnings"] == []
    done = subprocess.run([sys.executable, "-m", "wallet", "verify", "--state", state, "--root",
                           str(files / "root.der"), "--at", _iso(NOW + 30), "--json", shown],
                          capture_output=True, text=True)
    assert done.returncode == 1 and json.loads(done.stdout)["reason"] == "replayed"
    fresh = world.presentation(at=NOW + 30)  # a new code from the same phone is a new presentation
    assert _verify(capsys, files, fresh, "--state", state, at=_iso(NOW + 30))[0] == 0


def test_replay_cache_is_persisted_bounded_and_expiring() -> None:
    """The persisted cache drops expired entries on load and keeps at most REPLAY_LIMIT live ones."""
    state = CounterState(replay=[(b"old", NOW), (b"live", NOW + 100)])
    cache = state.replay_cache(NOW)
    assert cache.entries(NOW) == [(b"live", NOW + 100)]
    assert cache.seen_before(b"live", now=NOW, ttl=181) and not cache.seen_before(b"old", now=NOW, ttl=181)
    many = CounterState(replay=[(i.to_bytes(4, "big"), NOW + 1 + i) for i in range(REPLAY_LIMIT + 5)])
    kept = many.replay_cache(NOW).entries(NOW)
    assert len(kept) == REPLAY_LIMIT and kept[0] == ((5).to_bytes(4, "big"), NOW + 6)


# --- clock ------------------------------------------------------------------------------------------------

def test_clock_behind_newest_iat_seen(world: World, files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clock set back behind the newest bundle iat seen is clock_before_bundle, even with a bundle that
    would pass at that clock on its own (same seq, signed earlier)."""
    later = NOW + 3600
    (files / "later.cose").write_bytes(world.bundle_bytes(seq=6, iat=later))
    state = str(files / "state")
    assert _verify(capsys, files, world.credential(), "--bundle", str(files / "later.cose"), "--state", state,
                   at=_iso(later + 10))[0] == 0
    assert _verify(capsys, files, world.credential(), "--bundle", str(files / "new.cose"))[0] == 0  # no state
    status, verdict = _verify(capsys, files, world.credential(), "--bundle", str(files / "new.cose"),
                              "--state", state)
    assert status == 1 and verdict["reason"] == "clock_before_bundle"
    assert "newest bundle iat this counter has seen" in str(verdict["detail"])
    within_skew = _iso(later - CLOCK_SKEW)
    assert _verify(capsys, files, world.credential(), "--bundle", str(files / "new.cose"), "--state", state,
                   at=within_skew)[0] == 0


# --- without --state --------------------------------------------------------------------------------------

def test_without_state_says_what_was_not_checked(world: World, files: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Bundle mode warns rollback_not_checked (and replay_not_checked for a presentation); --key mode warns
    replay_not_checked for a presentation."""
    status, bare = _verify(capsys, files, world.credential(), "--bundle", str(files / "new.cose"))
    assert status == 0 and bare["warnings"] == ["rollback_not_checked"]
    status, live = _verify(capsys, files, world.presentation(), "--bundle", str(files / "new.cose"))
    assert status == 0 and set(live["warnings"]) == {"replay_not_checked", "rollback_not_checked"}
    status, out, _ = _run(capsys, "verify", "--key", str(files / "issuer.der"), "--at", AT, "--json",
                          world.presentation())
    assert status == 0 and json.loads(out)["warnings"] == ["replay_not_checked"]


# --- the state directory ----------------------------------------------------------------------------------

def test_state_is_versioned_json_written_atomically(world: World, files: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """state.json names its format and version, holds the watermarks, and no temporary file is left."""
    _verify(capsys, files, world.presentation(), "--bundle", str(files / "new.cose"), "--state",
            str(files / "state"))
    doc = json.loads((files / "state" / "state.json").read_text())
    assert doc["format"] == "qd1-counter-state" and doc["version"] == 1
    assert (doc["seq"], doc["iat"]) == (6, NOW - 60) and len(doc["replay"]) == 1
    assert sorted(p.name for p in (files / "state").iterdir()) == [".lock", "bundle.cose", "state.json"]


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "qd1-counter-state", "version": 2}',
                                     b'{"format": "qd1-counter-state", "version": 1, "seq": "6"}',
                                     b'{"format": "qd1-counter-state", "version": 1, "replay": [["zz", 1]]}',
                                     b"[]"],
                         ids=["not-json", "newer-version", "seq-not-int", "bad-replay-key", "not-an-object"])
def test_corrupt_state_is_an_error_not_a_reset(world: World, files: Path, capsys: pytest.CaptureFixture[str],
                                               content: bytes) -> None:
    """A state file that cannot be understood stops the CLI (exit 2) with a clear message, untouched."""
    (files / "state").mkdir()
    (files / "state" / "state.json").write_bytes(content)
    status, _, err = _run(capsys, "verify", "--bundle", str(files / "new.cose"), "--root", str(files / "root.der"),
                          "--state", str(files / "state"), "--at", AT, world.credential())
    assert status == 2 and "state.json is corrupt" in err
    assert (files / "state" / "state.json").read_bytes() == content


@pytest.mark.parametrize("args", [["--key", "{files}/issuer.der", "--state", "{files}/state"],
                                  ["--state", "{files}/state", "--root", "{files}/root.der"],
                                  ["--state", "{files}/state"]],
                         ids=["state-with-key", "state-holds-no-bundle", "state-without-root"])
def test_state_usage_errors_exit_2(files: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    """--state needs bundle mode, a held bundle (or --bundle) and --root."""
    status, _, _ = _run(capsys, "verify", *[a.format(files=files) for a in args], "--at", AT, "QD1:X")
    assert status == 2


# --- sync -------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class FakeService:
    """A loopback stand-in for /api/v1/verifier/bundle: serves ``bundle`` under ``etag``, 304 on a match."""

    url: str
    bundle: bytes = b""
    etag: str = ""
    status: int = 200
    seen: list[str | None] = dataclasses.field(default_factory=list)


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    """Run the fake service on 127.0.0.1 in a thread for one test."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    fake = FakeService(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            fake.seen.append(self.headers.get("If-None-Match"))
            if self.path != "/api/v1/verifier/bundle" or fake.status != 200:
                self.send_error(404 if fake.status == 200 else fake.status)
                return
            if self.headers.get("If-None-Match") == fake.etag:
                self.send_response(304)
                self.send_header("ETag", fake.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", fake.etag)
            self.send_header("Content-Type", "application/vnd.qd1.trust+cbor")
            self.send_header("Content-Length", str(len(fake.bundle)))
            self.end_headers()
            self.wfile.write(fake.bundle)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Keep the test output quiet."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()


def _sync(capsys: pytest.CaptureFixture[str], files: Path, service: FakeService, at: str = AT) -> tuple[int, str]:
    status, out, err = _run(capsys, "sync", "--url", service.url + "/", "--state", str(files / "state"),
                            "--root", str(files / "root.der"), "--at", at)
    return status, out + err


def test_sync_uses_etag_and_refuses_rollback(world: World, files: Path, service: FakeService,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """First sync stores bundle and ETag; the next sends If-None-Match and keeps the bundle on 304; a newer
    bundle replaces it; an older one served later is trust_bundle_rollback and the newer one stays."""
    service.bundle, service.etag = (files / "old.cose").read_bytes(), 'W/"5.1"'
    status, out = _sync(capsys, files, service)
    assert status == 0 and out.startswith("SYNCED: seq 5") and service.seen == [None]
    assert StateDir(files / "state").load().etag == 'W/"5.1"'
    status, out = _sync(capsys, files, service)
    assert status == 0 and out.startswith("UNCHANGED: seq 5") and service.seen[-1] == 'W/"5.1"'
    assert _verify(capsys, files, world.credential(idx=REVOKED_IDX), "--state", str(files / "state"))[0] == 0

    service.bundle, service.etag = (files / "new.cose").read_bytes(), 'W/"6.1"'
    status, out = _sync(capsys, files, service)
    assert status == 0 and out.startswith("SYNCED: seq 6") and service.seen[-1] == 'W/"5.1"'
    status, verdict = _verify(capsys, files, world.credential(idx=REVOKED_IDX), "--state", str(files / "state"))
    assert status == 1 and verdict["reason"] == "revoked"

    service.bundle, service.etag = (files / "old.cose").read_bytes(), 'W/"5.2"'
    status, out = _sync(capsys, files, service)
    assert status == 1 and out.startswith("REJECTED (trust_bundle_rollback)")
    assert (files / "state" / "bundle.cose").read_bytes() == (files / "new.cose").read_bytes()
    assert StateDir(files / "state").load().etag == 'W/"6.1"'
    service.bundle, service.etag = world.bundle_bytes(seq=6, iat=NOW - 90), 'W/"6.0"'  # same seq, signed before
    status, out = _sync(capsys, files, service)
    assert status == 0 and out.startswith("UNCHANGED: the held bundle (seq 6) was signed after")
    assert (files / "state" / "bundle.cose").read_bytes() == (files / "new.cose").read_bytes()


def test_sync_refuses_a_clock_behind_and_a_forged_bundle(world: World, files: Path,
                                                         service: FakeService,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """sync checks the clock against the state before fetching, and the bundle against --root."""
    service.bundle, service.etag = (files / "new.cose").read_bytes(), 'W/"6.1"'
    assert _sync(capsys, files, service)[0] == 0
    status, out = _sync(capsys, files, service, at=_iso(NOW - 3600))
    assert status == 1 and out.startswith("REJECTED (clock_before_bundle)") and len(service.seen) == 1
    forged = dataclasses.replace(world, root=generate_p256()).bundle_bytes(seq=9)
    service.bundle, service.etag = forged, 'W/"9.1"'
    status, out = _sync(capsys, files, service)
    assert status == 1 and out.startswith("REJECTED (trust_bundle_invalid)")
    assert StateDir(files / "state").load().seq == 6


def test_sync_reports_service_errors(files: Path, service: FakeService,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """An error status from the service exits 1 and leaves no state behind but the lock."""
    service.status = 503
    status, out = _sync(capsys, files, service)
    assert status == 1 and "cannot sync" in out and "503" in out
    assert not (files / "state" / "state.json").exists()


def test_sync_saves_an_announced_next_root(world: World, files: Path, service: FakeService,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A bundle announcing the next root key leaves it in the state directory for the next --root."""
    from wallet.trust import build_bundle

    next_root = generate_p256().public_key()
    service.bundle = build_bundle(seq=7, iat=NOW - 60, root_key=world.root, issuers=[world.issuer_entry()],
                                  status_lists=[world.status_token()], next_root=next_root)
    service.etag = 'W/"7.1"'
    status, out = _sync(capsys, files, service)
    assert status == 0 and "next root key" in out
    assert (files / "state" / "next_root.der").read_bytes() == spki_der(next_root)
