"""Regenerate ``qd1.json``, the first QD1 known-answer vectors (python tests/vectors/qd1/generate_qd1.py --force).

Keys are fixed in the file. EdDSA (Ed25519) signatures are deterministic, so those vectors pin the exact
COSE bytes and text; ES256 signatures are randomised, so those vectors are checked by verification only.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zlib
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from wallet.codec import decode_text
from wallet.holder import present
from wallet.issuer import issue
from wallet.keys import kid_of, spki_der
from wallet.licenses import License

HERE = Path(__file__).parent
ED25519_SEED = bytes(range(32))  # issuer key of the EdDSA vectors
P256_SCALAR = int("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", 16)  # RFC 6979 A.2.5
DEVICE_SCALAR = int("519b423d715f8b581f4fa8ee59f4771a5b44c8130b4e3eacca54a56dda72b464", 16)
NOW = 1_750_000_000
URI = "https://zwt.example/status/1"

LICENSES: dict[str, dict[str, Any]] = {
    "driving_license": {
        "type_code": "driving_license",
        "identifier": "1.2.156.3005.2.11100000000000101B002.11370200MB0000002J.2024000001.001.2",
        "issuer_code": "11370200MB0000002J",
        "holder_name": "张三丰",
        "holder_code": "370202199001011237",
        "valid_from": "2023-02-01",
        "valid_until": "2029-01-31",
        "fields": {"gender": "男", "nationality": "中国", "address": "山东省青岛市市南区香港中路1号",
                   "birth_date": "1990-01-01", "first_issue_date": "2019-11-19", "license_class": "C1",
                   "file_number": "370261703824", "record_status": "正常", "points": "0"},
    },
}


def make_license(spec: dict[str, Any]) -> License:
    """Build the License a vector describes."""
    until = spec["valid_until"]
    return License(
        type_code=spec["type_code"], identifier=spec["identifier"], issuer_code=spec["issuer_code"],
        holder_name=spec["holder_name"], holder_code=spec["holder_code"],
        valid_from=dt.date.fromisoformat(spec["valid_from"]),
        valid_until=None if until is None else dt.date.fromisoformat(until), fields=spec["fields"],
    )


def main() -> None:
    """Write qd1.json next to this script (only with --force: the committed file is the reference)."""
    if (HERE / "qd1.json").exists() and "--force" not in sys.argv[1:]:
        sys.exit(f"{HERE / 'qd1.json'} exists: ES256 signatures are randomised, so regenerate only with --force")
    eddsa = ed25519.Ed25519PrivateKey.from_private_bytes(ED25519_SEED)
    es256 = ec.derive_private_key(P256_SCALAR, ec.SECP256R1())
    device = ec.derive_private_key(DEVICE_SCALAR, ec.SECP256R1())
    vectors = []
    for name, key in (("EdDSA", eddsa), ("ES256", es256)):
        for profile in ("minimal", "standard", "full"):
            for bound in (False, True):
                lic = make_license(LICENSES["driving_license"])
                text = issue(lic, profile, key, now=NOW, status=(URI, 42),
                             device_key=device.public_key() if bound else None)
                vector: dict[str, Any] = {
                    "name": f"driving_license-{profile}-{name}{'-bound' if bound else ''}",
                    "alg": name, "license": "driving_license", "profile": profile, "now": NOW,
                    "status": {"uri": URI, "idx": 42}, "holder_bound": bound,
                    "kid_hex": kid_of(key.public_key()).hex(),
                    "text": text, "cose_hex": decode_text(text).hex(),
                    "expect": {"license_id": lic.identifier, "fields": lic.view(profile).fields},
                }
                if bound:
                    vector["presentation"] = present(text, device, now=NOW + 10)
                    vector["presented_at"] = NOW + 10
                vectors.append(vector)
    out = {
        "description": "QD1 known-answer vectors: fixed keys, fixed clock; EdDSA ones are byte-exact",
        "zlib_version": zlib.ZLIB_RUNTIME_VERSION,
        "ed25519_seed_hex": ED25519_SEED.hex(),
        "p256_private_scalar_hex": f"{P256_SCALAR:064x}",
        "device_private_scalar_hex": f"{DEVICE_SCALAR:064x}",
        "ed25519_spki_hex": spki_der(eddsa.public_key()).hex(),
        "p256_spki_hex": spki_der(es256.public_key()).hex(),
        "licenses": LICENSES,
        "vectors": vectors,
    }
    (HERE / "qd1.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
