"""Agreement with Python in the browser: the counter page's verifier (the QD1 modules as Chromium runs them, with
its WebCrypto and DecompressionStream) gives the same verdict as wallet.verify on every shared QD1 vector."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.wallet.test_vectors_qd1 import HERE, SHARED, shared_verdict
from wallet import cose
from wallet.keys import generate_p256, public_key_from_spki, spki_der
from wallet.status_list import StatusList, sign_status_list
from wallet.trust import IssuerKey, build_bundle

from .console import Console

pytestmark = pytest.mark.slow  # a real browser: seconds per test (make test-fast skips them)

VERIFY_ALL = """async (cases) => {
  const q = await import('/static/qd1/qd1.mjs')
  const out = []
  for (const { data, vector } of cases) {
    const roots = (vector.root_spki_hex ?? data.root_spki_hex).map(q.fromHex)
    let bundle
    try {
      bundle = await q.loadBundle(q.fromHex(vector.bundle_hex ?? data.bundle_hex), roots,
                                  { now: vector.now, heldSeq: vector.held_seq ?? null })
    } catch (exc) {
      if (!(exc instanceof q.InvalidCredential)) throw exc
      out.push({ valid: false, reason: exc.reason })
      continue
    }
    const text = vector.presentation ?? vector.text
    const options = { now: vector.now, purpose: vector.purpose ?? null, replayCache: new q.MemoryReplayCache() }
    if (vector.replay === 'seen') await q.verify(text, bundle, options)
    const v = await q.verify(text, bundle, options)
    out.push(v.valid ? { valid: true, reason: null, fields: v.fields, license_id: v.licenseId, warnings: v.warnings }
                     : { valid: false, reason: v.reason })
  }
  return out
}"""


def _issuer_key_cases(path: Path) -> list[dict[str, Any]]:
    """The vectors of a file that names only the issuer's key (qd1.json), each with a trust bundle built for it
    as tests/wallet/test_vectors_qd1.py builds one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    root = generate_p256()
    cases = []
    for vector in data["vectors"]:
        spki = data["ed25519_spki_hex"] if vector["alg"] == "EdDSA" else data["p256_spki_hex"]
        alg = cose.ALG_EDDSA if vector["alg"] == "EdDSA" else cose.ALG_ES256
        now = vector.get("presented_at", vector["now"])
        entry = IssuerKey(public_key_from_spki(bytes.fromhex(spki)), frozenset({vector["license"]}),
                          vector["now"] - 86400, vector["now"] + 86400, alg)
        token = sign_status_list(StatusList.from_statuses(64, {}), root, uri=vector["status"]["uri"],
                                 iat=vector["now"])
        bundle = build_bundle(seq=1, iat=vector["now"], issuers=[entry], status_lists=[token], root_key=root)
        cases.append({"data": {"bundle_hex": bundle.hex(), "root_spki_hex": [spki_der(root.public_key()).hex()]},
                      "vector": {**vector, "now": now}, "name": f"{path.name}:{vector['name']}"})
    return cases


def test_the_page_verifier_agrees_with_python_on_every_shared_vector(context, tmp_path):
    """Every vector of tests/vectors/qd1/ that verifies against a trust bundle (key mode is Python only)."""
    cases = [{"data": {k: v for k, v in data.items() if k != "vectors"}, "vector": vector,
              "name": f"{name}:{vector['name']}"}
             for name, data in SHARED.items() for vector in data["vectors"] if "keys" not in vector]
    cases += _issuer_key_cases(HERE / "qd1.json") + _issuer_key_cases(HERE / "qd1_compressed_cnf.json")
    assert len(cases) >= 200
    console = Console(context.new_page(), tmp_path / "shots")
    console.page.goto("/counter")
    answers = console.page.evaluate(VERIFY_ALL, cases)
    disagree = [(case["name"], answer, shared_verdict(case["data"], case["vector"]))
                for case, answer in zip(cases, answers, strict=True)
                if answer != shared_verdict(case["data"], case["vector"])]
    assert disagree == [], disagree[:5]
    assert {answer["valid"] for answer in answers} == {True, False}
    assert len({answer["reason"] for answer in answers}) >= 25  # valid codes and most reasons were compared
