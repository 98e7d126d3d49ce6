"""Catalog commands: sync department feeds (once or periodically) and load the demo catalog."""

from __future__ import annotations

import sys
from typing import Sequence

import click
from flask import Flask

from ..cli_repeat import Report, run_reports
from ..container import services
from ..db import session

__all__ = ["register", "load_demo_catalog_command"]


def load_demo_catalog_command(count: int = 10_000) -> None:
    """Load departments and the demo catalog with a progress bar, then sync the sandbox feeds."""
    from .demo import ATTRIBUTION, load_demo_catalog

    svc = services()
    with click.progressbar(length=count, label="demo catalog", file=sys.stderr) as bar:
        created, unchanged = load_demo_catalog(session(), now=svc.clock.now(), count=count, progress=bar.update)
    click.echo(f"demo catalog: {created} items added, {unchanged} already there ({ATTRIBUTION})")


def register(app: Flask) -> None:
    """Attach the catalog commands to ``flask --app app``."""

    @app.cli.command("sync-catalog")
    @click.option("--department", default=None, help="only this department code")
    @click.option("--full", is_flag=True, help="ignore the saved watermark and pull everything")
    @click.option("--every", type=float, default=None, help="repeat every N seconds until stopped")
    def sync_catalog(department: str | None, full: bool, every: float | None) -> None:
        """Pull department catalog feeds into the catalog (incremental, idempotent)."""
        from .sync import sync_all

        svc = services()
        if department and department not in svc.departments:
            raise click.UsageError(f"unknown department {department!r}; known: {sorted(svc.departments)}")

        def run(whole: bool) -> Sequence[Report]:
            with click.progressbar(length=0, label="syncing", file=sys.stderr) as bar:
                return sync_all(session(), svc.departments, now=svc.clock.now(),
                                timeout=svc.config.department_timeout_s, full=whole, only=department,
                                progress=bar.update)

        run_reports(run, full=full, every=every, verb="rejected")

    @app.cli.command("load-demo-catalog")
    @click.option("--count", type=int, default=10_000, show_default=True)
    def load_demo_catalog(count: int) -> None:
        """Load the demo departments and catalog (idempotent)."""
        load_demo_catalog_command(count)
