"""QD1 holder-bound verification in Node (zwt/static/qd1/) beside raw WebCrypto ES256: runs bench/qd1_js.mjs.

Prints figures only (target: holder-bound verify <= 2 ms); says so and exits 0 when Node >= 20 is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Run the Node benchmark and pass its output through."""
    node = shutil.which("node")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout if node else ""
    match = re.match(r"v(\d+)\.", version)
    if node is None or not match or int(match.group(1)) < 20:
        print("Node ≥ 20 not found: QD1 JavaScript benchmark skipped")
        return 0
    return subprocess.run([node, str(ROOT / "bench" / "qd1_js.mjs")], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
