"""Benchmark: our lane-parallel Base45 against the PyPI ``base45`` package on license-sized inputs.

Run: ``.venv/bin/python bench/wallet_base45.py [--repeat N]``. Prints best-of-N microseconds per call and
the ratio side by side; figures, not assertions (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import timeit
from collections.abc import Callable

import base45 as reference

from wallet.base45 import b45decode, b45encode


def best_us(func: Callable[[], object], repeat: int, number: int) -> float:
    """Best-of-``repeat`` time of one call in microseconds (each sample averages ``number`` calls)."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number * 1e6


def main() -> None:
    """Print encode/decode timings for a few payload sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{'bytes':>6} {'chars':>6} | {'encode ours':>11} {'PyPI':>8} {'ratio':>6} | "
          f"{'decode ours':>11} {'PyPI':>8} {'ratio':>6}   (µs per call, best of {args.repeat})")
    for size in (64, 353, 520, 1500):
        data = os.urandom(size)
        text = b45encode(data)
        number = max(200, 200_000 // size)
        ours_e = best_us(lambda: b45encode(data), args.repeat, number)
        ref_e = best_us(lambda: reference.b45encode(data), args.repeat, number)
        ours_d = best_us(lambda: b45decode(text), args.repeat, number)
        ref_d = best_us(lambda: reference.b45decode(text), args.repeat, number)
        print(f"{size:>6} {len(text):>6} | {ours_e:>11.1f} {ref_e:>8.1f} {ref_e / ours_e:>5.1f}x | "
              f"{ours_d:>11.1f} {ref_d:>8.1f} {ref_d / ours_d:>5.1f}x")


if __name__ == "__main__":
    main()
