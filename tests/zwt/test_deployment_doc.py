"""docs/DEPLOYMENT.md stays true where it is cheap to check: its commands, settings and metric names exist."""

from __future__ import annotations

import re
from pathlib import Path

from zwt.config import declared, variable

from .metrics_helpers import SCRAPE

DOC = (Path(__file__).resolve().parents[2] / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")


def test_every_flask_command_the_manual_names_exists(app):
    """Each ``flask --app app <command> [<subcommand>]`` of the manual answers ``--help``."""
    named = set(re.findall(r"flask --app app ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", DOC))
    assert ("wallet-keys", "rotate") in named and ("db-upgrade", "") in named
    runner = app.test_cli_runner()
    for command, sub in sorted(named):
        result = runner.invoke(args=[command, *([sub] if sub else []), "--help"])
        assert result.exit_code == 0, f"flask --app app {command} {sub}: {result.output}"


def test_every_setting_the_manual_names_is_declared():
    """Each ``ZWT_*`` variable of the manual is a declared setting."""
    settings = {variable(item) for item, _ in declared()}
    named = set(re.findall(r"\bZWT_[A-Z0-9_]+", DOC))
    assert named and named <= settings, sorted(named - settings)


def test_every_metric_the_manual_names_is_exported(make_app):
    """Each ``zwt_*`` metric of the manual's tables and alerts is in a scrape."""
    client = make_app({"ZWT_METRICS_TOKEN": SCRAPE["Authorization"].split()[1]}).test_client()
    text = client.get("/metrics", headers=SCRAPE).get_data(as_text=True)
    exported = set(re.findall(r"^# TYPE (\S+)", text, re.M))
    exported |= {f"{name}_total" for name in exported} | {f"{name}_bucket" for name in exported}
    named = set(re.findall(r"\bzwt_[a-z_]+", DOC)) - {
        "zwt_owner", "zwt_service", "zwt_nodes", "zwt_walk", "zwt_walk_restored"}
    assert named and named <= exported, sorted(named - exported)
