"""Coverage-guided fuzzing (atheris / libFuzzer) of the QD1 decoder and the offline verifier.

Run: ``make fuzz`` (``FUZZ_SECONDS``, default 600), or ``.venv/bin/python bench/fuzz_qd1.py [--seconds S]``
after ``pip install -e '.[fuzz]'``. The run fails (exit status 1, the input saved under ``instance/fuzz/``)
on any exception other than the documented ones: ``wallet.verify.verify`` never raises for bad input, and
``load_bundle``, ``parse_status_list_token`` and ``read_image`` raise only ``InvalidCredential``.
``--reproduce instance/fuzz/crash-...`` replays a saved input with its traceback.

The first byte of an input picks what the rest is, so one corpus reaches every layer, including those
behind a signature (the harness signs with the TEST-ONLY keys of ``tests/vectors/qd1/keys.json``, trusted
by the vectors' bundle):

0. the QR text itself (each byte one character);
1. the bytes inside the text's Base45 + zlib (a COSE_Sign1 or a presentation array);
2. CWT claims, signed by a trusted issuer (EdDSA), then verified;
3. CWT claims, signed by a trusted issuer and presented by the device key the claims may bind;
4. a protected header, signed with the issuer key over a real credential's claims;
5. a trust bundle, as bytes;
6. a trust bundle's payload, signed by the root key;
7. a status list token's claims, signed by the root key, then looked up;
8. an image, read for a QR code whose text is then verified.

The corpus is kept in ``bench/fuzz_corpus/qd1/`` (seeded by ``--seed-corpus`` from the QD1 vectors); new
inputs go to ``instance/fuzz/qd1/`` during a run and the ones that add coverage are merged into the kept
corpus at the end. The last line printed gives the executions and the result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["wallet", "cbor2", "PIL"]):
    from PIL import Image
    from wallet import cborio, cose
    from wallet.codec import decode_text, encode_text
    from wallet.errors import InvalidCredential
    from wallet.holder import PRESENTATION_VERSION, presentation_signed_data
    from wallet.keys import load_private_key, public_key_from_spki
    from wallet.qr import read_image, render_png
    from wallet.replay import MemoryReplayCache
    from wallet.status_list import TYP_STATUSLIST_CWT, parse_status_list_token
    from wallet.trust import TYP_TRUST_BUNDLE, load_bundle
    from wallet.verdict import REASONS
    from wallet.verify import decode, verify

# Pillow warns about images over 89 MP as it opens them; read_image refuses them (its cap is 40 MP) right after,
# so the warning is only noise in the run's log.
warnings.simplefilter("ignore", Image.DecompressionBombWarning)

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors" / "qd1"
CORPUS = ROOT / "bench" / "fuzz_corpus" / "qd1"
WORK = ROOT / "instance" / "fuzz"
MODES = 9
TEXT, INNER, CLAIMS, PRESENTED, PROTECTED, BUNDLE, BUNDLE_PAYLOAD, STATUS_LIST, IMAGE = range(MODES)

_types = json.loads((VECTORS / "types.json").read_text())
_keys = json.loads((VECTORS / "keys.json").read_text())
NOW = _types["vectors"][0]["now"]
ROOTS = [public_key_from_spki(bytes.fromhex(spki)) for spki in _types["root_spki_hex"]]
BUNDLE_BYTES = bytes.fromhex(_types["bundle_hex"])
TRUST = load_bundle(BUNDLE_BYTES, ROOTS, now=NOW)
ROOT_KEY = load_private_key(_keys["root"]["private_pem"].encode())
ISSUER = load_private_key(_keys["issuer_eddsa"]["private_pem"].encode())
DEVICE = load_private_key(_keys["device"]["private_pem"].encode())
CLAIMS_OF_A_CREDENTIAL = decode(_types["vectors"][0]["text"]).message.payload


def _check_verdict(text: str) -> None:
    verdict = verify(text, TRUST, now=NOW, replay_cache=MemoryReplayCache())
    if verdict.reason is not None and verdict.reason not in REASONS:
        raise AssertionError(f"undocumented reason {verdict.reason!r}")


def _only_invalid_credential(func: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except InvalidCredential as exc:
        if exc.reason not in REASONS:
            raise AssertionError(f"undocumented reason {exc.reason!r}") from exc
        return None


def _present(issuer_cose: bytes) -> str:
    signature = cose.sign_raw(DEVICE, cose.ALG_ES256, presentation_signed_data(issuer_cose, NOW))
    return encode_text(cborio.dumps([PRESENTATION_VERSION, issuer_cose, NOW, signature]))


def _signed_with_protected(protected: bytes) -> bytes:
    unsigned = cose.Sign1(protected, {}, {}, CLAIMS_OF_A_CREDENTIAL, b"")
    signature = cose.sign_raw(ISSUER, cose.ALG_EDDSA, unsigned.to_be_signed())
    return cborio.dumps([protected, {}, CLAIMS_OF_A_CREDENTIAL, signature])


def one_input(data: bytes) -> None:
    """Feed one input to the layer its first byte names; anything but the documented outcomes escapes."""
    if not data:
        return
    mode, rest = data[0] % MODES, data[1:]
    if mode == TEXT:
        _check_verdict(rest.decode("latin-1"))
    elif mode == INNER:
        _check_verdict(encode_text(rest))
    elif mode == CLAIMS:
        _check_verdict(encode_text(cose.sign1(rest, ISSUER)))
    elif mode == PRESENTED:
        _check_verdict(_present(cose.sign1(rest, ISSUER)))
    elif mode == PROTECTED:
        _check_verdict(encode_text(_signed_with_protected(rest)))
    elif mode == BUNDLE:
        _only_invalid_credential(load_bundle, rest, ROOTS, now=NOW)
    elif mode == BUNDLE_PAYLOAD:
        signed = cose.sign1(rest, ROOT_KEY, protected={cose.HEADER_TYP: TYP_TRUST_BUNDLE})
        bundle = _only_invalid_credential(load_bundle, signed, ROOTS, now=NOW)
        if bundle is not None:
            verify(_types["vectors"][0]["text"], bundle, now=NOW)
    elif mode == STATUS_LIST:
        signed = cose.sign1(rest, ROOT_KEY, protected={cose.HEADER_TYP: TYP_STATUSLIST_CWT})
        token = _only_invalid_credential(parse_status_list_token, signed, ROOTS)
        if token is not None and token.status_list.size:
            token.status_list.get(token.status_list.size - 1)
    else:
        text = _only_invalid_credential(read_image, rest)
        if text is not None:
            _check_verdict(text)


def seed_corpus(target: Path) -> int:
    """Write the seed inputs (real vectors in every mode, a few mutants) into ``target``; return how many."""
    seeds: list[bytes] = []
    texts = []
    for path in sorted(VECTORS.glob("*.json")):
        for vector in json.loads(path.read_text()).get("vectors", []):
            texts.extend(v for v in (vector.get("text"), vector.get("presentation")) if isinstance(v, str))
    for text in texts[::4]:
        seeds.append(bytes([TEXT]) + text.encode("latin-1", "replace"))
        try:
            decoded = decode(text)
        except InvalidCredential:
            continue
        seeds.append(bytes([INNER]) + decode_text(text))
        seeds.append(bytes([CLAIMS]) + decoded.message.payload)
        seeds.append(bytes([PROTECTED]) + decoded.message.protected)
        if decoded.presentation is not None:
            seeds.append(bytes([PRESENTED]) + decoded.message.payload)
    text = texts[0]
    seeds += [bytes([TEXT]) + text[:len(text) // 2].encode(), bytes([TEXT]) + (text + "00").encode(),
              bytes([TEXT]) + text.lower().encode()]
    seeds.append(bytes([BUNDLE]) + BUNDLE_BYTES)
    bundle_message = cose.decode_sign1(BUNDLE_BYTES)
    seeds.append(bytes([BUNDLE_PAYLOAD]) + bundle_message.payload)
    body = cborio.loads(bundle_message.payload)
    for token in body["status_lists"].values():
        seeds.append(bytes([STATUS_LIST]) + cose.decode_sign1(token).payload)
    seeds.append(bytes([IMAGE]) + render_png(text, scale=2, border=1))
    target.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        (target / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    return len(seeds)


def _libfuzzer(args: list[str]) -> tuple[int, str]:
    """Run this file under libFuzzer in a child process, echoing its output; return (status, output)."""
    child = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, errors="replace")
    assert child.stdout is not None
    lines = []
    for line in child.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    return child.wait(), "".join(lines)


def main() -> None:
    """Fuzz for ``--seconds``, merge what adds coverage into the kept corpus, print executions and result."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        # libFuzzer's merge re-runs argv[0] with its own flags through the shell: name the interpreter too
        atheris.Setup([f"{sys.executable} {__file__} --child", *sys.argv[2:]], one_input)
        atheris.Fuzz()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS") or 600))
    parser.add_argument("--seed-corpus", action="store_true", help="(re)write the seed inputs and stop")
    parser.add_argument("--reproduce", metavar="FILE", nargs="+", help="run these inputs once, showing any traceback")
    parser.add_argument("libfuzzer", nargs="*", help="after --: more libFuzzer options, e.g. -- -seed=1")
    options = parser.parse_args()
    if options.seed_corpus:
        print(f"{seed_corpus(CORPUS)} seed inputs in {CORPUS.relative_to(ROOT)}")
        return
    if options.reproduce:
        for name in options.reproduce:
            one_input(Path(name).read_bytes())
            print(f"{name}: no exception")
        return
    work = WORK / "qd1"
    work.mkdir(parents=True, exist_ok=True)
    status, output = _libfuzzer([f"-max_total_time={options.seconds}", "-timeout=10", "-rss_limit_mb=2048",
                                 "-max_len=8192", f"-artifact_prefix={WORK}/", "-print_final_stats=1",
                                 *options.libfuzzer, str(work), str(CORPUS)])
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", output) or re.findall(r"Done (\d+) runs", output)
    executions = runs[-1] if runs else "unknown"
    if status != 0:
        print(f"fuzz_qd1: FAILED after {executions} executions (status {status}); input saved under {WORK}")
        sys.exit(1)
    _libfuzzer(["-merge=1", f"-artifact_prefix={WORK}/", str(CORPUS), str(work)])
    kept = sum(f.stat().st_size for f in CORPUS.iterdir())
    print(f"fuzz_qd1: {executions} executions in {options.seconds} s, no crash or uncaught exception; "
          f"kept corpus {len(list(CORPUS.iterdir()))} inputs, {kept // 1024} KiB")


if __name__ == "__main__":
    main()
