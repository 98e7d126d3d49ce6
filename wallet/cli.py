"""Command line for counters and integrators: ``python -m wallet verify|inspect|qr`` (argparse, no framework).

Exit codes: 0 valid (or done), 1 rejected (or undecodable), 2 usage error (bad arguments, unreadable files).
The CLI is the edge where the real clock may be read (``--at`` overrides it); the library never reads it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import cose, cwt
from .codec import DEFAULT_PREFIX
from .errors import InvalidCredential
from .keys import VerificationKey, load_verification_key
from .licenses import parse_disclosed
from .trust import load_bundle
from .verdict import Verdict, rejected
from .verify import claims_json, decode, verify, verify_with_keys

__all__ = ["main", "build_parser"]

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


class _UsageError(Exception):
    """A problem with the command line itself (exit status 2)."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with the verify, inspect and qr sub-commands."""
    parser = argparse.ArgumentParser(prog="python -m wallet", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("verify", help="verify a QD1 (or HC1) code offline")
    trust = check.add_mutually_exclusive_group(required=True)
    trust.add_argument("--bundle", type=Path, help="signed trust bundle (needs --root)")
    trust.add_argument("--key", type=Path, action="append",
                       help="PEM/DER public key or X.509 certificate; signature and dates only (repeatable)")
    check.add_argument("--root", type=Path, action="append",
                       help="platform root public key or certificate for --bundle (repeat during a root "
                            "rotation: the current root and the next one a bundle announced)")
    check.add_argument("--prefix", default=DEFAULT_PREFIX, help="text prefix (default QD1:; HC1: for EU DCC)")
    check.add_argument("--at", help="verification time, ISO-8601 with offset (default: now)")
    check.add_argument("--purpose", help="comma-separated fields the counter needs and may see")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    check.add_argument("code", help="the QR text, or a .png/.jpg image of the QR code")

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


def _verify(args: argparse.Namespace) -> Verdict:
    now = _at(args.at)
    if args.bundle is not None and args.root is None:
        raise _UsageError("--bundle needs --root (the platform root public key)")
    keys = [_key(p) for p in args.key or args.root or []]
    try:
        text = _code_text(args.code)
        if args.bundle is None:
            return verify_with_keys(text, keys, now=now, prefix=args.prefix)
        bundle = load_bundle(_read(args.bundle), [key.public_key for key in keys], now=now)
    except InvalidCredential as exc:
        return rejected(exc.reason, exc.detail)
    purpose = None if args.purpose is None else {p.strip() for p in args.purpose.split(",") if p.strip()}
    return verify(text, bundle, now=now, purpose=purpose, prefix=args.prefix)


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


def _usage(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    parser.error(message)  # prints usage and exits with status 2
