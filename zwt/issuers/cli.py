"""Issuer commands: pull the departments' license feeds (once or periodically)."""

from __future__ import annotations

import click
from flask import Flask

from ..cli_repeat import run_reports
from ..container import services
from .pull import feeds_of, pull_all

__all__ = ["register"]


def register(app: Flask) -> None:
    """Attach ``flask --app app issuers ...``."""

    @app.cli.group("issuers")
    def issuers() -> None:
        """Licenses issued by departments through the standard interface."""

    @issuers.command("pull")
    @click.option("--department", default=None, help="only this department code")
    @click.option("--full", is_flag=True, help="ignore the saved watermark and pull the whole feed")
    @click.option("--every", type=float, default=None, help="repeat every N seconds until stopped")
    def pull(department: str | None, full: bool, every: float | None) -> None:
        """Pull the license change feeds of the departments that offer one (incremental, idempotent)."""
        svc = services()
        feeds = feeds_of(svc)
        if department and department not in feeds:
            raise click.UsageError(f"no license feed for {department!r}; departments with one: {sorted(feeds)}")
        if not feeds:
            click.echo("no configured department offers a license feed (ZWT_LICENSE_FEEDS, ZWT_DEPARTMENTS)")
            return
        run_reports(lambda whole: pull_all(feeds, svc=svc, full=whole, only=department),
                    full=full, every=every, verb="refused")
