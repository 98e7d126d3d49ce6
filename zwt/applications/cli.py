"""``flask --app app worker``: deliver queued applications to the department systems until stopped."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click
from flask import Flask

from ..container import services
from .outbox import drain_once, run_worker

__all__ = ["register"]


def register(app: Flask) -> None:
    """Attach the ``worker`` command."""

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="deliver what is due now, then stop")
    @click.option("--poll", type=float, default=0.5, show_default=True, help="seconds between looks when idle")
    def worker(once: bool, poll: float) -> None:
        """Deliver queued applications through the department adapters (SIGTERM or Ctrl-C stops it)."""
        svc = services()
        if once:
            click.echo(f"delivered {drain_once(svc)}")
            return
        stop = threading.Event()

        def _stop(*_: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        click.echo(f"worker: {svc.config.outbox_concurrency} deliveries in flight at most")
        run_worker(svc, stop, poll_seconds=poll)
