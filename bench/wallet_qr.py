"""Benchmark: QR PNG rendering (ours vs ``qrcode`` default) and sizes/versions of a 13-field licence.

Run: ``.venv/bin/python bench/wallet_qr.py [--repeat N]``. Prints best-of-N milliseconds per code and
the speed ratio side by side; figures, not assertions (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from collections.abc import Callable

import qrcode

from wallet import holder, issuer, keys
from wallet.licenses import sample_license
from wallet.qr import qr_version, read_image, render_png, render_svg

TODAY = dt.date(2026, 1, 31)
NOW = int(dt.datetime(2026, 1, 31, 9, 30, tzinfo=dt.timezone.utc).timestamp())


def best_ms(func: Callable[[], object], repeat: int) -> float:
    """Best-of-``repeat`` wall time of one call, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def qrcode_default_png(text: str) -> bytes:
    """What most Python code does: ``qrcode.make`` (fit + mask search + Pillow) saved as PNG."""
    out = io.BytesIO()
    qrcode.make(text).save(out)
    return out.getvalue()


def driving_licence_texts() -> dict[str, str]:
    """QD1 texts of a 13-field driving licence in each profile, plain and holder-bound."""
    lic = sample_license(
        "driving_license", holder_name="王建国", holder_code="370202198504121230", serial="2026000001",
        today=TODAY,
    )
    signing_key, device = keys.generate_p256(), holder.generate_device_key()
    status = ("https://zwt.qingdao.gov.cn/status/1", 123_456)
    texts = {}
    for profile in ("minimal", "standard", "full"):
        texts[profile] = issuer.issue(lic, profile, signing_key, now=NOW, status=status)
    bound = issuer.issue(lic, "full", signing_key, now=NOW, status=status, device_key=device.public_key())
    texts["full + device key"] = bound
    texts["full, holder-bound presentation"] = holder.present(bound, device, now=NOW)
    return texts


def main() -> None:
    """Print the rendering comparison, then the licence sizes and QR versions."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    texts = driving_licence_texts()
    full = texts["full"]
    assert read_image(render_png(full)) == full

    ours = best_ms(lambda: render_png(full), args.repeat * 3)
    svg = best_ms(lambda: render_svg(full), args.repeat * 3)
    reference = best_ms(lambda: qrcode_default_png(full), args.repeat)
    version = qr_version(full)
    print(f"QR PNG of a {len(full)}-char full driving licence (version {version}, level M), best of N:")
    print(f"  wallet.qr.render_png     {ours:7.2f} ms  {len(render_png(full)):6d} bytes")
    print(f"  wallet.qr.render_svg     {svg:7.2f} ms  {len(render_svg(full)):6d} chars")
    print(f"  qrcode.make default      {reference:7.2f} ms  {len(qrcode_default_png(full)):6d} bytes")
    print(f"  speed-up                 {reference / ours:7.1f} x  (target >= 10 x)")
    read = best_ms(lambda: read_image(render_png(full)), args.repeat)
    print(f"  render + read_image      {read:7.2f} ms")
    print()
    print("13-field driving licence (QD1 text characters, QR version at M / Q):")
    for name, text in texts.items():
        print(f"  {name:34s} {len(text):4d} chars   v{qr_version(text, 'M'):<2d} / v{qr_version(text, 'Q')}")
    print("  spec: full <= 560 chars (<= v15 at M), holder-bound <= 800 (<= v18), never above v22")


if __name__ == "__main__":
    main()
