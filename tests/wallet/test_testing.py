"""The wallet library works without hypothesis; only ``wallet.testing`` needs it, and says so.

The strategies themselves are exercised by the property tests (test_identifiers, test_licenses, ...).
"""

from __future__ import annotations

import subprocess
import sys

# Run in a fresh interpreter in which ``import hypothesis`` fails, as on an install without the test extra.
WITHOUT_HYPOTHESIS = """
import importlib, pkgutil, sys
sys.modules["hypothesis"] = None
import wallet
for info in pkgutil.walk_packages(wallet.__path__, "wallet."):
    if info.name not in ("wallet.__main__", "wallet.testing"):
        importlib.import_module(info.name)
try:
    import wallet.testing
except ImportError as exc:
    print(exc)
"""


def test_every_wallet_module_but_testing_imports_without_hypothesis():
    """Only the strategies module needs hypothesis, and its error names the extra to install."""
    done = subprocess.run([sys.executable, "-c", WITHOUT_HYPOTHESIS], capture_output=True, text=True, check=True)
    assert "wallet.testing needs hypothesis" in done.stdout and "zhengwutong[test]" in done.stdout
