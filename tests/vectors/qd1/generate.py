"""Write the QD1 known-answer vectors of this folder (see README.md): run ONCE, by hand.

    python tests/vectors/qd1/generate.py            # refuses to overwrite existing files
    python tests/vectors/qd1/generate.py --force    # regenerate (ES256 signatures change every run)

Every key below is a TEST-ONLY key derived from a fixed label (``keys.json`` records them): never trust them.
Inputs are fixed: the clock ``NOW``, the licenses (``wallet.licenses.sample_license`` with fixed holders and
serials), status indexes. ECDSA signatures are randomised, so a regeneration changes bytes, not verdicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import zlib
from pathlib import Path
from typing import Any

import cbor2
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from wallet import cborio, cose, cwt
from wallet.base45 import b45encode
from wallet.codec import decode_text, encode_text
from wallet.errors import InvalidCredential
from wallet.holder import PRESENTATION_VERSION, present, presentation_signed_data
from wallet.issuer import issue
from wallet.keys import kid_of, public_key_from_spki, spki_der
from wallet.license_samples import resident_id
from wallet.license_types import PROFILES, REGISTRY
from wallet.licenses import sample_license
from wallet.replay import MemoryReplayCache
from wallet.status_list import INVALID, SUSPENDED, StatusList, sign_status_list
from wallet.trust import MAX_AGE, IssuerKey, build_bundle, load_bundle
from wallet.verify import verify, verify_with_keys

HERE = Path(__file__).parent
NOW = 1_750_000_000  # 2025-06-15T15:06:40Z, the clock of every vector unless it says otherwise
TODAY = dt.date(2025, 6, 15)
URI = "https://zwt.example/status/vectors"
OTHER_URI = "https://zwt.example/status/elsewhere"
IDX, REVOKED_IDX, SUSPENDED_IDX, LIST_SIZE = 7, 13, 14, 64
SEED = 20250615


def _p256(label: str) -> ec.EllipticCurvePrivateKey:
    digest = hashlib.sha256(f"zwt QD1 TEST-ONLY vector key: {label}".encode()).digest()
    return ec.derive_private_key(int.from_bytes(digest, "big") % (2**256 - 2**224 - 1) or 1, ec.SECP256R1())


def _ed25519(label: str) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(f"zwt QD1 TEST-ONLY vector key: {label}".encode()).digest())


KEYS: dict[str, Any] = {
    "root": _p256("root"), "other_root": _p256("other_root"), "issuer_es256": _p256("issuer_es256"),
    "issuer_eddsa": _ed25519("issuer_eddsa"), "issuer_unknown": _p256("issuer_unknown"),
    "issuer_driving_only": _p256("issuer_driving_only"), "issuer_retired": _p256("issuer_retired"),
    "device": _p256("device"), "other_device": _p256("other_device"),
}


def _hex(key: Any) -> str:
    return spki_der(key.public_key()).hex()


def _keys_file() -> dict[str, Any]:
    out: dict[str, Any] = {"warning": "TEST-ONLY keys of the QD1 vectors: published, never to be trusted anywhere"}
    for name, key in KEYS.items():
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        out[name] = {"private_pem": pem, "spki_hex": _hex(key), "kid_hex": kid_of(key.public_key()).hex(),
                     "alg": "EdDSA" if isinstance(key, ed25519.Ed25519PrivateKey) else "ES256"}
    return out


def _license(code: str, i: int) -> Any:
    holder = resident_id(random.Random(SEED + i), dt.date(1970 + i % 40, 1 + i % 12, 1 + i % 28))
    return sample_license(code, holder_name="张三丰", holder_code=holder, serial=f"2025{i:06d}", today=TODAY)


def _bundle(*, seq: int = 1, iat: int = NOW, statuses: dict[int, int] | None = None, root: str = "root",
            issuers: list[IssuerKey] | None = None, exp: int | None = None) -> bytes:
    every = frozenset(REGISTRY)
    issuers = issuers if issuers is not None else [
        IssuerKey(KEYS["issuer_es256"].public_key(), every, NOW - 365 * 86400, NOW + 365 * 86400, cose.ALG_ES256),
        IssuerKey(KEYS["issuer_eddsa"].public_key(), every, NOW - 365 * 86400, NOW + 365 * 86400, cose.ALG_EDDSA),
        IssuerKey(KEYS["issuer_driving_only"].public_key(), frozenset({"driving_license"}), NOW - 86400,
                  NOW + 86400, cose.ALG_ES256),
        IssuerKey(KEYS["issuer_retired"].public_key(), every, NOW - 30 * 86400, NOW - 10 * 86400, cose.ALG_ES256),
    ]
    token = sign_status_list(StatusList.from_statuses(LIST_SIZE, statuses or {}), KEYS["root"], uri=URI, iat=iat)
    return build_bundle(seq=seq, iat=iat, issuers=issuers, status_lists=[token], root_key=KEYS[root], exp=exp)


MAIN_BUNDLE = _bundle(statuses={REVOKED_IDX: INVALID, SUSPENDED_IDX: SUSPENDED})


def _expect_of(vector: dict[str, Any], bundle_hex: str) -> dict[str, Any]:
    """The verdict the Python verifier gives today (the harnesses then hold both sides to it)."""
    text = vector.get("presentation", vector["text"])
    now = vector["now"]
    if "keys" in vector:
        keys = [_verification_key(k) for k in vector["keys"]]
        verdict = verify_with_keys(text, keys, now=now)
    else:
        try:
            roots = [public_key_from_spki(bytes.fromhex(h)) for h in vector.get("root_spki_hex", [_hex(KEYS["root"])])]
            bundle = load_bundle(bytes.fromhex(bundle_hex), roots, now=now, held_seq=vector.get("held_seq"))
        except InvalidCredential as exc:
            return {"valid": False, "reason": exc.reason}
        cache = MemoryReplayCache()
        purpose = vector.get("purpose")
        if vector.get("replay") == "seen":
            verify(text, bundle, now=now, purpose=purpose, replay_cache=cache)
        verdict = verify(text, bundle, now=now, purpose=purpose, replay_cache=cache)
    expect: dict[str, Any] = {"valid": verdict.valid, "reason": verdict.reason}
    if verdict.valid:
        expect.update(fields=dict(verdict.fields), license_id=verdict.license_id, warnings=list(verdict.warnings))
    return expect


def _verification_key(entry: dict[str, str]) -> Any:
    from wallet.keys import VerificationKey

    return VerificationKey(bytes.fromhex(entry["kid_hex"]), public_key_from_spki(bytes.fromhex(entry["spki_hex"])))


def positives() -> list[dict[str, Any]]:
    """Every license type x every named profile x bare and holder-bound, valid at NOW."""
    vectors = []
    for i, code in enumerate(sorted(REGISTRY)):
        lic = _license(code, i)
        for profile in PROFILES:
            for bound in (False, True):
                alg = "EdDSA" if (i + PROFILES.index(profile)) % 3 == 0 else "ES256"
                key = KEYS["issuer_eddsa" if alg == "EdDSA" else "issuer_es256"]
                text = issue(lic, profile, key, now=NOW - 3600, status=(URI, IDX),
                             device_key=KEYS["device"].public_key() if bound else None)
                vector: dict[str, Any] = {
                    "name": f"{code}-{profile}-{alg}{'-bound' if bound else ''}", "license": code,
                    "profile": profile, "alg": alg, "holder_bound": bound, "kid_hex": kid_of(key.public_key()).hex(),
                    "now": NOW, "purpose": None, "text": text,
                }
                if bound:
                    vector["presentation"] = present(text, KEYS["device"], now=NOW - 5)
                vectors.append(vector)
    # A purpose given as a field set: only those fields are disclosed to the counter.
    lic = _license("driving_license", 99)
    text = issue(lic, "full", KEYS["issuer_es256"], now=NOW - 3600, status=(URI, IDX))
    vectors.append({"name": "driving_license-full-purpose-set", "license": "driving_license", "profile": "full",
                    "alg": "ES256", "holder_bound": False, "kid_hex": kid_of(KEYS["issuer_es256"].public_key()).hex(),
                    "now": NOW, "purpose": ["holder_name", "license_class"], "text": text})
    return vectors


def _cose_of(text: str) -> list[Any]:
    value = cbor2.loads(decode_text(text))
    return list(value.value)


def _resign(claims_edit: Any = None, *, key: str = "issuer_es256", protected: dict[int, Any] | None = None,
            unprotected: dict[int, Any] | None = None, raw_payload: bytes | None = None,
            raw_protected: bytes | None = None) -> bytes:
    """COSE bytes of the driving licence credential with edited claims and headers, signed by ``key``."""
    lic = _license("driving_license", 0)
    base = issue(lic, "standard", KEYS["issuer_es256"], now=NOW - 3600, status=(URI, IDX))
    claims = cbor2.loads(_cose_of(base)[2])
    if claims_edit is not None:
        claims_edit(claims)
    payload = raw_payload if raw_payload is not None else cborio.dumps(claims)
    signer = KEYS[key]
    alg = cose.ALG_EDDSA if isinstance(signer, ed25519.Ed25519PrivateKey) else cose.ALG_ES256
    headers = {cose.HEADER_ALG: alg, cose.HEADER_KID: kid_of(signer.public_key())}
    if protected is not None:
        headers = protected
    prot = raw_protected if raw_protected is not None else (cborio.dumps(headers) if headers else b"")
    to_sign = cbor2.dumps(["Signature1", prot, b"", payload])
    signature = cose.sign_raw(signer, alg, to_sign)
    return cbor2.dumps(cbor2.CBORTag(18, [prot, unprotected or {}, payload, signature]))


def _text(cose_bytes: bytes) -> str:
    return encode_text(cose_bytes)


def negatives() -> list[dict[str, Any]]:
    """At least one vector per reason a text + bundle + clock can produce, and the strict-encoding cases."""
    lic = _license("driving_license", 0)
    es = KEYS["issuer_es256"]
    good = issue(lic, "standard", es, now=NOW - 3600, status=(URI, IDX))
    good_cose = decode_text(good)
    bound = issue(lic, "standard", es, now=NOW - 3600, status=(URI, IDX), device_key=KEYS["device"].public_key())
    es_kid = kid_of(es.public_key())
    v: list[dict[str, Any]] = []

    def add(name: str, text: str, **extra: Any) -> None:
        v.append({"name": name, "license": "driving_license", "now": NOW, "purpose": None, "text": text, **extra})

    add("not_qd1-hc1-prefix", "HC1:" + good[4:])
    add("not_qd1-empty", "")
    add("bad_base45-char", "QD1:ABC*DEF")
    add("bad_base45-length", "QD1:A")
    add("bad_base45-group-too-large", "QD1:GGW")
    add("bad_zlib-not-zlib", "QD1:" + b45encode(b"this is not a zlib stream"))
    add("bad_zlib-truncated", "QD1:" + b45encode(zlib.compress(good_cose)[:-6]))
    add("bad_zlib-trailing-bytes", "QD1:" + b45encode(zlib.compress(good_cose) + b"\x00"))
    add("too_large-inflated", "QD1:" + b45encode(zlib.compress(b"\x00" * 5000)))
    add("too_large-text", "QD1:" + "0" * 7000)
    add("bad_cbor-garbage", _text(b"\xff\xff"))
    add("bad_cbor-trailing-item", _text(good_cose + b"\x00"))
    array = cbor2.loads(good_cose).value
    add("bad_cbor-non-shortest-tag", _text(b"\xd8\x12" + cbor2.dumps(array)))
    indefinite = b"\xd2\x9f" + b"".join(cbor2.dumps(x) for x in array) + b"\xff"
    add("bad_cbor-indefinite-array", _text(indefinite))
    head = cbor2.dumps(array[0])
    rest = b"".join(cbor2.dumps(x) for x in array[1:])
    add("bad_cbor-non-shortest-length", _text(b"\xd2\x84" + b"\x58" + bytes([len(array[0])]) + array[0] + rest))
    assert head[0] == 0x40 + len(array[0])  # the protected header is a short byte string
    add("bad_cbor-undefined", _text(b"\xd2\x84" + cbor2.dumps(array[0]) + b"\xf7"
                                    + b"".join(cbor2.dumps(x) for x in array[2:])))
    # Non-deterministic encodings inside the signed structures (signed as they stand).
    claims = cbor2.loads(array[2])
    claims.pop(6)
    plain = cborio.dumps(claims)
    assert 0xa0 <= plain[0] < 0xb7  # a short map: one more entry still fits the head byte
    add("strict-claims-non-shortest-int", _text(_resign(
        raw_payload=bytes([plain[0] + 1]) + plain[1:] + b"\x06\x1b" + (NOW - 3600).to_bytes(8, "big"))))
    add("strict-protected-indefinite-map", _text(_resign(
        raw_protected=b"\xbf\x01\x26\x04\x48" + es_kid + b"\xff")))
    add("malformed-three-elements", _text(cbor2.dumps(cbor2.CBORTag(18, array[:3]))))
    add("malformed-no-license-claim", _text(_resign(lambda c: c.pop(cwt.LICENSE_CLAIM))))
    add("unsupported_algorithm", _text(_resign(protected={cose.HEADER_ALG: -36, cose.HEADER_KID: es_kid})))
    add("alg_not_protected", _text(_resign(protected={cose.HEADER_KID: es_kid},
                                           unprotected={cose.HEADER_ALG: cose.ALG_ES256})))
    add("unknown_critical_header", _text(_resign(protected={cose.HEADER_ALG: cose.ALG_ES256,
                                                            cose.HEADER_KID: es_kid, cose.HEADER_CRIT: [99], 99: 1})))
    add("kid_not_protected", _text(_resign(protected={cose.HEADER_ALG: cose.ALG_ES256},
                                           unprotected={cose.HEADER_KID: es_kid})))
    add("unknown_key", _text(_resign(key="issuer_unknown")))
    add("bad_signature-flipped", _text(good_cose[:-1] + bytes([good_cose[-1] ^ 1])))
    add("bad_signature-alg-not-registered", _text(_resign(protected={cose.HEADER_ALG: cose.ALG_EDDSA,
                                                                     cose.HEADER_KID: es_kid})))
    other = _license("food_business_license", 5) if "food_business_license" in REGISTRY else \
        _license(sorted(c for c in REGISTRY if c != "driving_license")[0], 5)
    add("key_not_allowed_for_type", issue(other, "standard", KEYS["issuer_driving_only"], now=NOW - 3600,
                                          status=(URI, IDX)), license=other.type_code)
    add("key_not_valid_at_time", issue(lic, "standard", KEYS["issuer_retired"], now=NOW - 3600, status=(URI, IDX)))
    add("expired", issue(lic, "standard", es, now=NOW - 7200, status=(URI, IDX), validity=3600))
    future = _license("driving_license", 0)
    future = type(future)(**{**future.__dict__, "valid_from": TODAY + dt.timedelta(days=3)})
    add("not_yet_valid", issue(future, "standard", es, now=NOW - 3600, status=(URI, IDX)))
    add("issued_in_future", issue(lic, "standard", es, now=NOW + 3600, status=(URI, IDX)))
    add("issued_in_future-within-skew-is-valid", issue(lic, "standard", es, now=NOW + 200, status=(URI, IDX)))
    add("claim_too_long-iss", _text(_resign(lambda c: c.__setitem__(1, "9" * 300))))
    add("claim_too_long-holder-name", _text(_resign(lambda c: c[cwt.LICENSE_CLAIM].__setitem__(2, "张" * 300))))
    add("revoked", issue(lic, "standard", es, now=NOW - 3600, status=(URI, REVOKED_IDX)))
    add("suspended", issue(lic, "standard", es, now=NOW - 3600, status=(URI, SUSPENDED_IDX)))
    add("status_unknown-no-list", issue(lic, "standard", es, now=NOW - 3600, status=(OTHER_URI, IDX)))
    add("status_unknown-index-outside", issue(lic, "standard", es, now=NOW - 3600, status=(URI, LIST_SIZE + 5)))
    stale = _bundle(iat=NOW - MAX_AGE - 60)
    add("stale_trust_data", issue(lic, "standard", es, now=NOW - MAX_AGE - 3600, status=(URI, IDX)),
        bundle_hex=stale.hex())
    add("trust_data_older_than_24h-still-valid", issue(lic, "standard", es, now=NOW - 3 * 86400, status=(URI, IDX)),
        bundle_hex=_bundle(iat=NOW - 2 * 86400).hex())
    add("clock_before_bundle", good, bundle_hex=_bundle(iat=NOW + 3600).hex())
    add("trust_bundle_invalid-wrong-root", good, bundle_hex=_bundle(root="other_root").hex())
    add("trust_bundle_invalid-garbage", good, bundle_hex="a0")
    add("trust_bundle_rollback", good, bundle_hex=_bundle(seq=3).hex(), held_seq=4)
    add("trust_bundle-same-seq-accepted", good, bundle_hex=_bundle(seq=4).hex(), held_seq=4)
    add("trust_bundle-second-root-accepted", good, bundle_hex=_bundle(root="other_root").hex(),
        root_spki_hex=[_hex(KEYS["root"]), _hex(KEYS["other_root"])])
    add("holder_binding_required", bound)
    add("holder_binding_failed-other-device", present(bound, KEYS["other_device"], now=NOW - 5))
    add("holder_binding_failed-bare-credential-presented", present(good, KEYS["device"], now=NOW - 5))
    add("presentation_too_old", present(bound, KEYS["device"], now=NOW - 91))
    add("presentation_too_new", present(bound, KEYS["device"], now=NOW + 91))
    add("presentation-at-window-edge-valid", present(bound, KEYS["device"], now=NOW - 90))
    add("replayed", present(bound, KEYS["device"], now=NOW - 5), replay="seen")
    signed = presentation_signed_data(decode_text(bound), NOW)
    wrapper = cbor2.dumps([PRESENTATION_VERSION + 1, decode_text(bound), NOW,
                           cose.sign_raw(KEYS["device"], cose.ALG_ES256, signed)])
    add("malformed-presentation-version", _text(wrapper))
    add("insufficient_disclosure", issue(lic, "minimal", es, now=NOW - 3600, status=(URI, IDX)),
        purpose=["license_class"])
    return v


def key_mode() -> list[dict[str, Any]]:
    """``wallet.verify_with_keys``: keys instead of a bundle, and its kid rules."""
    lic = _license("driving_license", 0)
    es = KEYS["issuer_es256"]
    es_kid = kid_of(es.public_key()).hex()
    good = issue(lic, "standard", es, now=NOW - 3600, status=(URI, IDX))
    key = {"kid_hex": es_kid, "spki_hex": _hex(es)}
    v: list[dict[str, Any]] = []

    def add(name: str, text: str, keys: list[dict[str, str]]) -> None:
        v.append({"name": name, "license": "driving_license", "now": NOW, "text": text, "keys": keys})

    add("keys-valid", good, [key])
    unknown = {"kid_hex": kid_of(KEYS["issuer_unknown"].public_key()).hex(), "spki_hex": _hex(KEYS["issuer_unknown"])}
    add("keys-valid-among-several", good, [unknown, key])
    add("keys-none-given", good, [])
    add("keys-kid-names-no-given-key", good, [{"kid_hex": "00" * 8, "spki_hex": _hex(es)}])
    add("keys-same-kid-wrong-key", good, [{"kid_hex": es_kid, "spki_hex": _hex(KEYS["issuer_unknown"])}])
    add("keys-kid-only-unprotected", _text(_resign(protected={cose.HEADER_ALG: cose.ALG_ES256},
                                                   unprotected={cose.HEADER_KID: bytes.fromhex(es_kid)})), [key])
    add("keys-alg-not-protected", _text(_resign(protected={cose.HEADER_KID: bytes.fromhex(es_kid)},
                                                unprotected={cose.HEADER_ALG: cose.ALG_ES256})), [key])
    add("keys-expired", issue(lic, "standard", es, now=NOW - 7200, status=(URI, IDX), validity=3600), [key])
    add("keys-issued_in_future", issue(lic, "standard", es, now=NOW + 3600, status=(URI, IDX)), [key])
    return v


def _write(name: str, description: str, vectors: list[dict[str, Any]], force: bool) -> None:
    path = HERE / name
    if path.exists() and not force:
        sys.exit(f"{path} exists: vectors are generated once (ES256 signatures are randomised); use --force")
    for vector in vectors:
        vector["expect"] = _expect_of(vector, vector.get("bundle_hex", MAIN_BUNDLE.hex()))
    data = {"description": description, "generator": "tests/vectors/qd1/generate.py",
            "root_spki_hex": [_hex(KEYS["root"])], "bundle_hex": MAIN_BUNDLE.hex(), "vectors": vectors}
    if name == "keys_mode.json":
        data.pop("root_spki_hex")
        data.pop("bundle_hex")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Write keys.json, types.json, negatives.json and keys_mode.json (refusing to overwrite without --force)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite existing vector files")
    args = parser.parse_args(argv)
    keys = HERE / "keys.json"
    if keys.exists() and not args.force:
        sys.exit(f"{keys} exists: use --force")
    keys.write_text(json.dumps(_keys_file(), indent=1) + "\n", encoding="utf-8")
    _write("types.json", "Every license type x named profile x bare/holder-bound, valid", positives(), args.force)
    _write("negatives.json", "One or more vectors per verdict reason, strict encodings, clock and bundle cases",
           negatives(), args.force)
    _write("keys_mode.json", "wallet.verify_with_keys (keys, no bundle): kid rules (Python only)", key_mode(),
           args.force)


if __name__ == "__main__":
    main()
