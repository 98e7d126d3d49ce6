"""The defensive CBOR decoder: one item exactly, and a per-thread decoder reused safely across inputs."""

from __future__ import annotations

import threading

import cbor2
import pytest

from wallet import cborio
from wallet.errors import InvalidCredential

GOOD = cbor2.dumps({1: "iss", 4: 1_750_000_000, -65537: {0: 2, 1: 3, 2: "张三丰"}, 7: b"cti"})


@pytest.mark.parametrize("bad", [
    GOOD[:-3],  # cut short inside the map
    b"\x81" * (cborio.MAX_DEPTH + 1) + b"\x01",  # deeper than MAX_DEPTH
    b"\xa2\x01\x01\x01\x02",  # a duplicate key
    b"\xd8\x1c\x81\xd8\x1d\x00",  # a shared reference
    GOOD + b"\x00",  # a trailing byte
], ids=["truncated", "too-deep", "duplicate-key", "shared-reference", "trailing"])
def test_a_failed_decode_leaves_nothing_behind(bad: bytes) -> None:
    """Whatever a bad input does to the decoder, the next input decodes exactly as it would on its own."""
    with pytest.raises(InvalidCredential):
        cborio.loads(bad)
    assert cborio.loads(GOOD) == cbor2.loads(GOOD)
    assert cborio.loads(b"\x81\x01") == [1]


def test_threads_decode_their_own_inputs() -> None:
    """Each thread has its own decoder: concurrent decodes never see each other's bytes."""
    items = [cbor2.dumps({"n": n, "text": "x" * n}) for n in range(8)]
    wrong: list[int] = []

    def work(n: int) -> None:
        for _ in range(300):
            if cborio.loads(items[n]) != {"n": n, "text": "x" * n}:
                wrong.append(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
