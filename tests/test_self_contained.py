"""A clone builds and tests on any machine: no tracked file names a path outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Sibling folders of the checkout, this machine's work tree, home folders, other absolute install places.
OUTSIDE = re.compile(r"\.\./shared|(?<![\w.])/(?:work|home|Users|root|mnt|opt)/|\b[A-Za-z]:\\+Users\b")


# What a source tree without git holds that is not the project's own: tools' and runs' leftovers.
UNTRACKED = {".git", ".venv", "instance", "build", "dist", "node_modules", "__pycache__", ".pytest_cache",
             ".mypy_cache", ".hypothesis"}


def _tracked_files() -> list[str]:
    """The files git tracks here; in a source tree without git, every file outside tools' leftovers."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return [path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*")
                if path.is_file() and not UNTRACKED.intersection(path.relative_to(ROOT).parts)
                and not path.name.endswith((".egg-info", ".pyc"))]
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_the_pattern_catches_what_it_is_meant_to():
    """The check would see the references it exists to forbid, and not an API path or a relative one."""
    for bad in ("../shared/data/x.json", 'Path("/work/shared/v.json")', "/home/dev/zwt", "C:\\Users\\dev"):
        assert OUTSIDE.search(bad), bad
    for fine in ("/api/v1/verifier/root-key", "tests/wallet/vectors/x.json", "/api/v1/me/overview"):
        assert not OUTSIDE.search(fine), fine


def test_no_tracked_file_names_a_path_outside_the_repository():
    """Data, docs and tests refer to what the repository holds, so a fresh clone runs ``make test``."""
    me = Path(__file__).resolve().relative_to(ROOT).as_posix()
    found = []
    for name in _tracked_files():
        path = ROOT / name
        if name == me or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{name}:{number}: {line.strip()[:100]}")
    assert found == []
