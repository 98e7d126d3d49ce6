"""Write ``zwt/static/qd1/wallet_data.mjs``: what the JavaScript QD1 modules must share with ``wallet/``.

The verdict reasons and warnings with their zh/en messages, the license registry (type numbers, names,
field keys, labels, kinds, choices, lengths, profiles), and the protocol constants, all read from the Python
library so there is one source. ``tests/test_js.py`` fails when the committed file differs from what this
prints; regenerate with ``.venv/bin/python tests/js/export_wallet_data.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from wallet import codec, cose, cwt, holder, trust, verdict  # noqa: E402
from wallet.license_types import REGISTRY  # noqa: E402
from wallet.licenses import LONG_TERM, PROFILE_NUMBERS  # noqa: E402
from wallet.status_list import TYP_STATUSLIST_CWT  # noqa: E402
from wallet.verify import PRESENTATION_WINDOW  # noqa: E402

TARGET = ROOT / "zwt" / "static" / "qd1" / "wallet_data.mjs"
HEADER = (
    "// Generated from wallet/ by tests/js/export_wallet_data.py: do not edit by hand.\n"
    "// tests/test_js.py checks that it matches the Python library.\n"
)


def wallet_data() -> dict[str, Any]:
    """Return the shared data as JSON-ready values."""
    types = []
    for ltype in REGISTRY.values():
        types.append({
            "code": ltype.code,
            "number": ltype.number,
            "gb_type_code": ltype.gb_type_code,
            "name_zh": ltype.name_zh,
            "name_en": ltype.name_en,
            "fields": [
                {"name": s.name, "key": s.key, "kind": s.kind, "choices": list(s.choices), "max_length": s.max_length,
                 "label_zh": s.label_zh, "label_en": s.label_en}
                for s in ltype.fields
            ],
            "profiles": {name: list(names) for name, names in ltype.profiles.items()},
            "retired": {name: list(names) for name, names in ltype.retired.items()},
        })
    return {
        "reasons": {code: list(texts) for code, texts in verdict.REASONS.items()},
        "warnings": {code: list(texts) for code, texts in verdict.WARNINGS.items()},
        "valid": list(verdict._VALID),
        "constants": {
            "prefix": codec.DEFAULT_PREFIX,
            "max_decompressed": codec.MAX_DECOMPRESSED,
            "presentation_window": PRESENTATION_WINDOW,
            "presentation_version": holder.PRESENTATION_VERSION,
            "presentation_context": holder.PRESENTATION_CONTEXT,
            "clock_skew": trust.CLOCK_SKEW,
            "warn_age": trust.WARN_AGE,
            "max_age": trust.MAX_AGE,
            "typ_trust_bundle": trust.TYP_TRUST_BUNDLE,
            "typ_status_list": TYP_STATUSLIST_CWT,
            "long_term": LONG_TERM,
            "algs": {name: alg for alg, name in cose.ALG_NAMES.items()},
            "max_claim_length": {str(label): cap for label, cap in cwt.MAX_CLAIM_LENGTH.items()},
            "max_other_claim_length": cwt.MAX_OTHER_CLAIM_LENGTH,
            "understood_headers": sorted(cose.UNDERSTOOD_HEADERS),
        },
        "profile_numbers": dict(PROFILE_NUMBERS),
        "license_types": types,
    }


def render() -> str:
    """Return the module text."""
    body = json.dumps(wallet_data(), ensure_ascii=False, indent=1, sort_keys=True)
    return f"{HEADER}export default {body}\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
