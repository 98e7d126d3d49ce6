"""Command line for counters and integrators: ``python -m wallet verify|sync|inspect|qr`` (argparse, no framework).

Exit codes: 0 valid (or done), 1 rejected (or undecodable, or a sync that could not fetch or was refused),
2 usage error (bad arguments, unreadable files or state directory).
The CLI is the edge where the real clock may be read (``--at`` overrides it); the library never reads it.
It is also the only module of ``wallet`` that may talk to the network (``sync``, standard library only).
With ``--state DIR`` a counter remembers between runs (see :mod:`wallet.counter_state`): the highest bundle
``seq`` seen (an older bundle is ``trust_bundle_rollback``), the newest bundle ``iat`` seen (a clock behind
it is ``clock_before_bundle``) and the presentations already accepted (a second showing is ``replayed``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import cose, cwt
from .codec import DEFAULT_PREFIX
from .counter_state import CounterState, StateDir, StateError
from .errors import InvalidCredential
from .keys import PublicKey, VerificationKey, load_verification_key, spki_der
from .licenses import parse_disclosed
from .trust import TYP_TRUST_BUNDLE, TrustBundle, load_bundle
from .verdict import Verdict, rejected
from .verify import claims_json, decode, verify, verify_with_keys

__all__ = ["main", "build_parser"]

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
BUNDLE_PATH = "/api/v1/verifier/bundle"
#: A sync reads at most this much (a bundle with a million-entry status list is well under 1 MiB).
MAX_BUNDLE_BYTES = 32 * 1024 * 1024
NEXT_ROOT_FILE = "next_root.der"


class _UsageError(Exception):
    """A problem with the command line itself (exit status 2)."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with the verify, inspect and qr sub-commands."""
    parser = argparse.ArgumentParser(prog="python -m wallet", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("verify", help="verify a QD1 (or HC1) code offline")
    trust = check.add_mutually_exclusive_group()
    trust.add_argument("--bundle", type=Path, help="signed trust bundle (needs --root; default with --state: "
                                                   "the bundle the state directory holds)")
    trust.add_argument("--key", type=Path, action="append",
                       help="PEM/DER public key or X.509 certificate; signature and dates only (repeatable)")
    check.add_argument("--root", type=Path, action="append",
                       help="platform root public key or certificate for --bundle or --state (repeat during a root "
                            "rotation: the current root and the next one a bundle announced)")
    check.add_argument("--state", type=Path, help="the counter's state directory: refuse older bundles, a clock "
                                                  "behind the newest bundle seen, and replayed presentations")
    check.add_argument("--prefix", default=DEFAULT_PREFIX, help="text prefix (default QD1:; HC1: for EU DCC)")
    check.add_argument("--at", help="verification time, ISO-8601 with offset (default: now)")
    check.add_argument("--purpose", help="comma-separated fields the counter needs and may see")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    check.add_argument("code", help="the QR text, or a .png/.jpg image of the QR code")

    sync = sub.add_parser("sync", help="fetch the trust bundle into the state directory (If-None-Match)")
    sync.add_argument("--url", required=True, help="the service's base URL, e.g. https://zwt.example")
    sync.add_argument("--state", type=Path, required=True, help="the counter's state directory")
    sync.add_argument("--root", type=Path, action="append", required=True,
                      help="platform root public key or certificate (repeatable, as for verify)")
    sync.add_argument("--at", help="the clock, ISO-8601 with offset (default: now)")
    sync.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the service")

    show = sub.add_parser("inspect", help="print the decoded structure (no trust decision)")
    show.add_argument("--prefix", default=DEFAULT_PREFIX)
    show.add_argument("code", help="the QR text, or a .png/.jpg image of the QR code")

    draw = sub.add_parser("qr", help="render a QR text as a .png or .svg image")
    draw.add_argument("text")
    draw.add_argument("--out", type=Path, required=True, help="output file, .png or .svg")
    draw.add_argument("--level", default="M", choices=["L", "M", "Q", "H"])
    draw.add_argument("--scale", type=int, default=6, help="pixels per module (PNG)")
    return parser


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _UsageError(f"cannot read {path}: {exc.strerror}") from None


def _code_text(arg: str) -> str:
    path = Path(arg)
    if path.suffix.lower() in _IMAGE_SUFFIXES:
        from .qr import read_image  # zxing-cpp is only loaded when an image is given

        return read_image(_read(path))
    return arg.strip()


def _at(value: str | None) -> int:
    if value is None:
        return int(time.time())
    try:
        moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _UsageError(f"--at {value!r} is not ISO-8601") from None
    if moment.tzinfo is None:
        raise _UsageError("--at needs a UTC offset, e.g. 2025-06-15T10:00:00+08:00")
    return int(moment.timestamp())


def _key(path: Path) -> VerificationKey:
    try:
        return load_verification_key(_read(path))
    except InvalidCredential as exc:
        raise _UsageError(f"{path}: {exc.detail}") from None


def _with_warning(verdict: Verdict, warning: str) -> Verdict:
    if not verdict.valid or warning in verdict.warnings:
        return verdict
    return dataclasses.replace(verdict, warnings=(*verdict.warnings, warning))


def _purpose(args: argparse.Namespace) -> set[str] | None:
    return None if args.purpose is None else {p.strip() for p in args.purpose.split(",") if p.strip()}


def _roots(paths: list[Path] | None, what: str) -> list[VerificationKey]:
    if not paths:
        raise _UsageError(f"{what} needs --root (the platform root public key)")
    return [_key(p) for p in paths]


def _verify(args: argparse.Namespace) -> Verdict:
    now = _at(args.at)
    if args.key is not None:
        if args.state is not None:
            raise _UsageError("--state needs a bundle: --key checks signature and dates only")
        keys = [_key(p) for p in args.key]
        try:
            verdict = verify_with_keys(_code_text(args.code), keys, now=now, prefix=args.prefix)
        except InvalidCredential as exc:
            return rejected(exc.reason, exc.detail)
        return _with_warning(verdict, "replay_not_checked") if verdict.holder_bound else verdict
    if args.bundle is None and args.state is None:
        raise _UsageError("give --bundle (with --root), --state (with --root) or --key")
    roots = [key.public_key for key in _roots(args.root, "--bundle" if args.state is None else "--state")]
    try:
        text = _code_text(args.code)
        if args.state is None:
            bundle = load_bundle(_read(args.bundle), roots, now=now)
            verdict = verify(text, bundle, now=now, purpose=_purpose(args), prefix=args.prefix)
            return _with_warning(verdict, "rollback_not_checked")
    except InvalidCredential as exc:
        return rejected(exc.reason, exc.detail)
    return _verify_remembering(args, text, roots, now)


def _verify_remembering(args: argparse.Namespace, text: str, roots: list[PublicKey], now: int) -> Verdict:
    """Verify against the state directory: its clock and rollback watermarks, its bundle, its replay cache."""
    given = None if args.bundle is None else _read(args.bundle)
    with StateDir(args.state).locked() as held:
        state = held.load()
        data = given if given is not None else held.held_bundle()
        if data is None:
            raise _UsageError(f"{args.state} holds no bundle yet: run sync, or give --bundle")
        try:
            bundle = _load_remembering(data, roots, now, state)
        except InvalidCredential as exc:
            return rejected(exc.reason, exc.detail)
        if given is not None and state.is_newer(bundle):
            held.keep_bundle(given)
            state.etag = None  # names the bundle held before; the next sync fetches the service's in full
        state.record(bundle)
        cache = state.replay_cache(now)
        verdict = verify(text, bundle, now=now, purpose=_purpose(args), replay_cache=cache, prefix=args.prefix)
        state.keep_replay(cache, now)
        held.save(state)
    return verdict


def _load_remembering(data: bytes, roots: list[PublicKey], now: int, state: CounterState) -> TrustBundle:
    """Load a bundle against what the counter remembers: its clock, then rollback, signature and age."""
    state.check_clock(now)
    return load_bundle(data, roots, now=now, held_seq=state.seq)


class _SyncError(Exception):
    """The service could not be reached or answered something other than a bundle or 304."""


def _fetch(url: str, etag: str | None, timeout: float) -> tuple[int, bytes, str | None]:
    """GET the bundle with If-None-Match; return (status, body, ETag). Standard library only."""
    import urllib.error
    import urllib.request

    headers = {"Accept": TYP_TRUST_BUNDLE}
    if etag is not None:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: _sync checks
            body = response.read(MAX_BUNDLE_BYTES + 1)
            if len(body) > MAX_BUNDLE_BYTES:
                raise _SyncError(f"{url} sent more than {MAX_BUNDLE_BYTES} bytes")
            return int(response.status), body, response.headers.get("ETag")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", exc.headers.get("ETag")
        raise _SyncError(f"{url} answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _SyncError(f"cannot reach {url}: {reason}") from None


def _sync(args: argparse.Namespace) -> int:
    now = _at(args.at)
    base = args.url.rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise _UsageError("--url must start with https:// (or http:// for a local test service)")
    roots = [key.public_key for key in _roots(args.root, "sync")]
    with StateDir(args.state).locked() as held:
        state = held.load()
        current = held.held_bundle()
        try:
            state.check_clock(now)
            status, body, etag = _fetch(base + BUNDLE_PATH, state.etag if current is not None else None,
                                        args.timeout)
            if status == 304 and current is not None:
                bundle = _load_remembering(current, roots, now, state)
                print(f"UNCHANGED: seq {bundle.seq}, issued {_iso(bundle.iat)} (304 Not Modified)")
                return 0
            if status != 200:
                raise _SyncError(f"{base + BUNDLE_PATH} answered {status}")
            bundle = _load_remembering(body, roots, now, state)
        except InvalidCredential as exc:
            _print_verdict(rejected(exc.reason, exc.detail), False)
            return 1
        except _SyncError as exc:
            print(f"cannot sync: {exc}", file=sys.stderr)
            return 1
        if current is not None and not state.is_newer(bundle) and (bundle.seq, bundle.iat) != (state.seq, state.iat):
            print(f"UNCHANGED: the held bundle (seq {state.seq}) was signed after the service's")
            return 0
        held.keep_bundle(body)
        state.etag = etag
        state.record(bundle)
        held.save(state)
        print(f"SYNCED: seq {bundle.seq}, issued {_iso(bundle.iat)}, expires {_iso(bundle.exp)}")
        if bundle.next_root is not None:
            path = held.keep_file(NEXT_ROOT_FILE, spki_der(bundle.next_root))
            print(f"  note: this bundle announces the next root key, saved as {path}; add --root {path}")
    return 0


def _iso(when: int) -> str:
    return _dt.datetime.fromtimestamp(when, _dt.timezone.utc).isoformat()


def _print_verdict(verdict: Verdict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
        return
    head = "VALID" if verdict.valid else f"REJECTED ({verdict.reason})"
    print(f"{head}: {verdict.message_zh} / {verdict.message_en}")
    if verdict.detail:
        print(f"  detail: {verdict.detail}")
    for name, value in (("type", verdict.license_type), ("license", verdict.license_id),
                        ("kid", verdict.kid.hex() if verdict.kid else None)):
        if value:
            print(f"  {name}: {value}")
    for name, value in verdict.fields.items():
        print(f"  {name}: {value}")
    for warning in verdict.warnings:
        print(f"  warning: {warning}")


def _inspect(args: argparse.Namespace) -> dict[str, Any]:
    decoded = decode(_code_text(args.code), prefix=args.prefix)
    message = decoded.message
    out: dict[str, Any] = {
        "holder_bound": decoded.presentation is not None,
        "alg": cose.ALG_NAMES.get(message.alg, message.alg),
        "kid": message.kid.hex() if message.kid else None,
        "protected": {str(k): v.hex() if isinstance(v, bytes) else v
                      for k, v in message.protected_headers.items()},
        "payload_bytes": len(message.payload),
    }
    if decoded.presentation is not None:
        out["presented_at"] = decoded.presentation[0]
    claims = cwt.decode_claims(message.payload)
    out["claims"] = claims_json(claims)
    if claims.license is not None:
        view = parse_disclosed(claims.license)
        out["license"] = {"type": view.type_code, "profile": view.profile, "fields": view.fields}
    return out


def _qr(args: argparse.Namespace) -> None:
    from .qr import render_png, render_svg

    suffix = args.out.suffix.lower()
    if suffix == ".png":
        args.out.write_bytes(render_png(args.text, level=args.level, scale=args.scale))
    elif suffix == ".svg":
        args.out.write_text(render_svg(args.text, level=args.level), encoding="utf-8")
    else:
        raise _UsageError("--out must end in .png or .svg")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "verify":
            verdict = _verify(args)
            _print_verdict(verdict, args.json)
            return 0 if verdict.valid else 1
        if args.command == "sync":
            return _sync(args)
        if args.command == "inspect":
            try:
                print(json.dumps(_inspect(args), ensure_ascii=False, indent=2))
            except InvalidCredential as exc:
                print(f"cannot decode ({exc.reason}): {exc.detail}", file=sys.stderr)
                return 1
            return 0
        _qr(args)
        return 0
    except _UsageError as exc:
        _usage(parser, str(exc))
    except StateError as exc:
        _usage(parser, str(exc))


def _usage(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    parser.error(message)  # prints usage and exits with status 2
