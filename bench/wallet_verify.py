"""Benchmark: offline verification of a holder-bound presentation on one core, against the cost of its
two raw ES256 signature checks measured in the same run, plus QD1 text sizes and QR versions.

Run: ``.venv/bin/python bench/wallet_verify.py [--repeat N] [--seconds S]``. Best-of-N figures printed side
by side; not assertions (the machine is shared, so absolute numbers are noisy; the ratio is the point).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from wallet import cwt
from wallet.codec import decode_text
from wallet.holder import generate_device_key, present, presentation_signed_data
from wallet.identifiers import resident_id_check_digit
from wallet.issuer import issue
from wallet.keys import generate_p256
from wallet.licenses import parse_disclosed, sample_license
from wallet.replay import MemoryReplayCache
from wallet.status_list import StatusList, sign_status_list
from wallet.trust import IssuerKey, build_bundle, load_bundle
from wallet.verify import decode, verify

NOW = 1_750_000_000
TODAY = dt.date(2025, 6, 15)
URI = "https://zwt.qingdao.gov.cn/status/dl/1"


def rate(func: Callable[[int], object], seconds: float, repeat: int) -> float:
    """Best-of-``repeat`` calls per second of ``func(i)`` over windows of about ``seconds``."""
    best = 0.0
    for _ in range(repeat):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            for _ in range(50):
                func(count)
                count += 1
        best = max(best, count / elapsed)
    return best


def main() -> None:
    """Print sizes, verification rates and the ratio to two raw ES256 checks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.5)
    args = parser.parse_args()

    root, issuer_key, device = generate_p256(), generate_p256(), generate_device_key()
    body = "37020219900101123"
    licence = sample_license("driving_license", holder_name="欧阳明辉", holder_code=body + resident_id_check_digit(body),
                             serial="2025012345", today=TODAY)
    entry = IssuerKey(issuer_key.public_key(), frozenset({"driving_license"}), NOW - 10**8, NOW + 10**8)
    statuses = StatusList.from_statuses(1_000_000, {17: 1})
    bundle = load_bundle(build_bundle(seq=1, iat=NOW - 60, issuers=[entry], root_key=root,
                                      status_lists=[sign_status_list(statuses, root, uri=URI, iat=NOW - 60)]),
                         [root.public_key()], now=NOW)

    full = issue(licence, "full", issuer_key, now=NOW - 3600, status=(URI, 123_456))
    bound = issue(licence, "full", issuer_key, now=NOW - 3600, status=(URI, 123_456), device_key=device.public_key())
    shown = present(bound, device, now=NOW)
    try:
        from wallet.qr import qr_version

        versions = {text: str(qr_version(text, "M")) for text in (full, shown)}
    except ImportError:  # the QR module is optional for this benchmark
        versions = {full: "?", shown: "?"}
    print("13-field driving licence (full profile) over 200 sample holders, min/median/max characters:")
    for uri in (URI, "https://zwt.qd.cn/sl/1"):  # the status URI is a deployment choice; ~1.5 chars per char
        sizes = []
        for n in range(200):  # sample holders: names, addresses and dates vary the size
            other = sample_license("driving_license", holder_name=["王芳", "欧阳明辉", "张伟", "司马相如"][n % 4],
                                   holder_code=body + resident_id_check_digit(body), serial=f"2025{n:06d}",
                                   today=TODAY)
            text = issue(other, "full", issuer_key, now=NOW, status=(uri, 10 * n), device_key=device.public_key())
            sizes.append((len(issue(other, "full", issuer_key, now=NOW, status=(uri, 10 * n))),
                          len(present(text, device, now=NOW))))
        bare, bound = sorted(s[0] for s in sizes), sorted(s[1] for s in sizes)
        print(f"  status URI of {len(uri):2d} chars: bare {bare[0]}/{bare[100]}/{bare[-1]}, "
              f"holder-bound {bound[0]}/{bound[100]}/{bound[-1]}")
    print(f"one example ({len(licence.view('full').fields)} fields, status URI of {len(URI)} chars):")
    print(f"  bare credential   {len(full):4d} chars, QR version {versions[full]:>2} at M   (target <= 560, <= 15)")
    print(f"  holder-bound      {len(shown):4d} chars, QR version {versions[shown]:>2} at M   (target <= 800, <= 18)")

    # The two raw signature checks inside one presentation, done directly with cryptography.
    decoded = decode(shown)
    message = decoded.message
    assert decoded.presentation is not None
    t, device_sig = decoded.presentation
    issuer_tbs, device_tbs = message.to_be_signed(), presentation_signed_data(decoded.issuer_cose, t)

    def der(raw: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
        return encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))

    issuer_der, device_der = der(message.signature), der(device_sig)
    issuer_pub, device_pub = issuer_key.public_key(), device.public_key()
    ecdsa = ec.ECDSA(hashes.SHA256())

    def two_raw(_: int) -> None:
        issuer_pub.verify(issuer_der, issuer_tbs, ecdsa)
        device_pub.verify(device_der, device_tbs, ecdsa)

    cache = MemoryReplayCache()

    def full_verify(i: int) -> None:
        # A fresh replay cache key each call would need a fresh presentation; instead verify at distinct
        # clocks within the ±90 s window so the replay cache stores a new entry every time.
        verdict = verify(shown, bundle, now=NOW + (i % 2), replay_cache=None if i % 2 else cache)
        if verdict.reason not in (None, "replayed"):
            raise SystemExit(f"unexpected verdict {verdict.reason}: {verdict.detail}")

    def no_cache_verify(_: int) -> None:
        if not verify(shown, bundle, now=NOW).valid:
            raise SystemExit("presentation did not verify")

    raw_rate = rate(two_raw, args.seconds, args.repeat)
    ours_rate = rate(no_cache_verify, args.seconds, args.repeat)
    cached_rate = rate(full_verify, args.seconds, args.repeat)
    print(f"\nOne core, best of {args.repeat} x {args.seconds:.1f} s:")
    print(f"  two raw ES256 verifications      {raw_rate:8,.0f} /s   {1e6 / raw_rate:7.1f} µs")
    print(f"  verify(presentation)             {ours_rate:8,.0f} /s   {1e6 / ours_rate:7.1f} µs   "
          f"ratio {raw_rate / ours_rate:.2f}x of the raw cost (target <= 2x, >= 1,500/s)")
    print(f"  verify(...) with replay cache    {cached_rate:8,.0f} /s   {1e6 / cached_rate:7.1f} µs")
    claims = cwt.decode_claims(message.payload)
    parts: list[tuple[str, Callable[[int], object]]] = [
        ("base45 + zlib", lambda _: decode_text(shown)),
        ("decode (text layers + CBOR + COSE)", lambda _: decode(shown)),
        ("cwt.decode_claims (incl. cnf point)", lambda _: cwt.decode_claims(message.payload)),
        ("licenses.parse_disclosed", lambda _: parse_disclosed(claims.license)),
    ]
    print("  where the time beyond the two signature checks goes:")
    for name, func in parts:
        print(f"    {name:<36} {1e6 / rate(func, args.seconds, args.repeat):7.1f} µs")


if __name__ == "__main__":
    main()
