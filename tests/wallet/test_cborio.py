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


@pytest.mark.parametrize("hex_data,what", [
    ("1801", "an integer below 24 in a 1-byte argument"),
    ("190017", "an integer below 256 in 2 bytes"),
    ("1a0000ffff", "an integer below 65536 in 4 bytes"),
    ("1b00000000ffffffff", "an integer below 2**32 in 8 bytes"),
    ("3800", "a negative integer in a 1-byte argument it does not need"),
    ("5801ff", "a byte string length in a 1-byte argument it does not need"),
    ("980101", "an array length in a 1-byte argument it does not need"),
    ("d81201", "a tag below 24 in a 1-byte argument"),
    ("9f01ff", "an indefinite-length array"),
    ("5f4101ff", "an indefinite-length byte string"),
    ("bf0102ff", "an indefinite-length map"),
    ("f7", "undefined"),
    ("8201f7", "undefined inside an array"),
])
def test_non_deterministic_encodings_are_refused(hex_data: str, what: str) -> None:
    """The issuer and holder encode core deterministic CBOR (RFC 8949 section 4.2.1); anything else is bad_cbor,
    as in the JavaScript decoder (cbor2 alone accepts all of these)."""
    data = bytes.fromhex(hex_data)
    cbor2.loads(data)  # well-formed CBOR: only the deterministic rule refuses it
    with pytest.raises(InvalidCredential) as caught:
        cborio.loads(data)
    assert caught.value.reason == "bad_cbor", what
    with pytest.raises(InvalidCredential) as inner:
        cborio.loads(data, reason="malformed")
    assert inner.value.reason == "malformed"


@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32, -1, -24, -25, -257, b"x" * 300,
                                   "文" * 100, list(range(30)), {i: i for i in range(30)}, 1.5, None, True])
def test_shortest_encodings_still_decode(value: object) -> None:
    """Everything cborio.dumps writes (shortest heads, definite lengths) passes the deterministic check."""
    assert cborio.loads(cborio.dumps(value)) == value


def _decodable_mutations(data: bytes) -> list[bytes]:
    """Every one-byte change of ``data`` (each position, a few values) that cbor2 still decodes as one item."""
    out = []
    for pos in range(len(data)):
        for value in (0x00, 0x17, 0x18, 0x1f, 0x38, 0x5f, 0x9f, 0xbf, 0xf7, 0xf9, 0xff, data[pos] ^ 1):
            mutated = data[:pos] + bytes([value]) + data[pos + 1:]
            try:
                cbor2.loads(mutated)
            except Exception:
                continue
            out.append(mutated)
    return out


def test_the_re_encoding_shortcut_never_accepts_what_the_byte_walk_refuses() -> None:
    """``loads`` skips the byte walk when the value re-encodes to exactly its input: over thousands of
    decodable one-byte mutations of a credential payload (non-shortest heads, indefinite lengths,
    ``undefined``, floats, trailing or missing bytes), the shortcut only ever says yes where the walk does."""
    payload = cbor2.dumps({1: "11370200MB0000002J", 4: 1_864_656_000, 7: b"2025000000.001.U",
                           8: {1: {1: 2, -1: 1, -2: bytes(range(0xd0, 0xf0)), -3: bytes(range(0xf8, 0xff)) * 4}},
                           65535: {"status_list": {"idx": 1000, "uri": "urn:zwt:sl:police"}},
                           -65537: {0: 2, 1: 2, 2: "王芳", 5: 19390, 6: None, 15: 0, 16: "0"}})
    mutations = _decodable_mutations(payload)
    assert len(mutations) > 1000
    shortcut = 0
    for data in mutations:
        stream_value = cbor2.loads(data)
        if cborio._reencodes_to(stream_value, data):
            shortcut += 1
            cborio._check_deterministic(data)  # must not raise
    assert shortcut > len(mutations) // 4
    # 0xf7 inside a byte string sends a good item down the walk, which accepts it
    with_f7 = cbor2.dumps({7: b"\xf7" * 16, 1: "iss"})
    assert not cborio._reencodes_to(cbor2.loads(with_f7), with_f7)
    assert cborio.loads(with_f7) == {7: b"\xf7" * 16, 1: "iss"}
