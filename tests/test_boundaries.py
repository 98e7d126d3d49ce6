"""The pure libraries stay pure: importing them pulls in neither flask nor sqlalchemy."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "flask_jwt_extended", "redis", "psycopg")


@pytest.mark.parametrize("package", ["wallet", "services_catalog", "applications"])
def test_library_imports_no_web_or_database_stack(package):
    """Importing the library and every module in it loads none of the web or database packages."""
    code = f"""
import importlib, pkgutil, sys
import {package}
for info in pkgutil.walk_packages({package}.__path__, "{package}."):
    if info.name.endswith("__main__"):
        continue
    importlib.import_module(info.name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in {FORBIDDEN!r})
print(",".join(bad))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("package, other", [
    ("wallet", "services_catalog"), ("services_catalog", "wallet"), ("wallet", "applications"),
    ("services_catalog", "applications"), ("applications", "services_catalog"), ("applications", "wallet"),
])
def test_libraries_do_not_import_each_other(package, other):
    """No library depends on another; only zwt composes them."""
    code = f"""
import importlib, pkgutil, sys
import {package}
for info in pkgutil.walk_packages({package}.__path__, "{package}."):
    if not info.name.endswith("__main__"):
        importlib.import_module(info.name)
print("{other}" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
