"""Benchmark: a 10,000,000-entry 2-bit status list with 0.1 % revoked: build, compress, parse, look up.

Run: ``.venv/bin/python bench/wallet_status_list.py [--repeat N] [--size N] [--revoked-share F]``.
Prints best-of-N figures; not assertions (the machine is shared).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import TypeVar

from wallet import cborio
from wallet.keys import generate_p256
from wallet.status_list import INVALID, StatusList, parse_status_list_token, sign_status_list

T = TypeVar("T")


def main() -> None:
    """Print build/compress/sign/parse times, the compressed size and the lookup cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--revoked-share", type=float, default=0.001)
    args = parser.parse_args()
    rng = random.Random(2025)
    revoked = dict.fromkeys(rng.sample(range(args.size), int(args.size * args.revoked_share)), INVALID)
    key = generate_p256()
    best: dict[str, float] = {}

    def timed(name: str, func: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = func()
        best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
        return result

    for _ in range(args.repeat):
        status_list = timed("build (bytearray, set entries)", lambda: StatusList.from_statuses(args.size, revoked))
        encoded = timed("compress (zlib level 9)", status_list.to_cbor)
        token = timed("sign token (ES256)", lambda: sign_status_list(status_list, key, uri="https://x/1", iat=0))
        parsed = timed("parse + verify token", lambda: parse_status_list_token(token, [key.public_key()]))
    lookups = rng.sample(range(args.size), 100_000)
    start = time.perf_counter()
    hits = sum(parsed.status_list.get(i) for i in lookups)
    per_lookup = (time.perf_counter() - start) / len(lookups)

    print(f"{args.size:,} entries, 2 bits, {len(revoked):,} revoked ({args.revoked_share:.2%}), best of {args.repeat}")
    for name, seconds in best.items():
        print(f"  {name:<32} {seconds * 1000:9.1f} ms")
    total = best["build (bytearray, set entries)"] + best["compress (zlib level 9)"]
    print(f"  {'build + compress':<32} {total * 1000:9.1f} ms   (target <= 2000 ms)")
    print(f"  {'raw list':<32} {len(status_list.data) / 1024:9.1f} KiB")
    print(f"  {'compressed lst':<32} {len(encoded['lst']) / 1000:9.1f} KB   (target <= 25 KB)")
    print(f"  {'signed token (CWT)':<32} {len(token) / 1000:9.1f} KB  CBOR map alone "
          f"{len(cborio.dumps(encoded)) / 1000:.1f} KB")
    print(f"  {'lookup (O(1))':<32} {per_lookup * 1e9:9.0f} ns   ({hits} revoked hits in 100,000 lookups)")


if __name__ == "__main__":
    main()
