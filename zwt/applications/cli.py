"""``flask --app app worker``: deliver queued applications to the department systems until stopped, and sweep
credit commitments (``commitments``) beside it; ``flask --app app credit sweep-commitments`` sweeps once."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click
from flask import Flask, current_app

from ..container import services
from . import commitments
from .outbox import drain_once, run_worker

__all__ = ["register"]


def register(app: Flask) -> None:
    """Attach the ``worker`` command and ``credit sweep-commitments``."""

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="deliver what is due now, then stop")
    @click.option("--poll", type=float, default=0.5, show_default=True, help="seconds between looks when idle")
    @click.option("--sweep-every", type=float, default=60.0, show_default=True,
                  help="seconds between sweeps of credit commitments")
    def worker(once: bool, poll: float, sweep_every: float) -> None:
        """Deliver queued applications through the department adapters, and break and report overdue credit
        commitments (SIGTERM or Ctrl-C stops it)."""
        svc, flask_app = services(), current_app._get_current_object()
        if once:
            click.echo(f"delivered {drain_once(svc)}")
            click.echo("commitments broken {}, reported {}".format(*commitments.run_once(flask_app)))
            return
        stop = threading.Event()
        sweeper = threading.Thread(target=commitments.run_sweeper, args=(flask_app, stop),
                                   kwargs={"every_seconds": sweep_every}, name="commitments", daemon=True)
        sweeper.start()

        def _stop(*_: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        click.echo(f"worker: {svc.config.outbox_concurrency} deliveries in flight at most")
        run_worker(svc, stop, poll_seconds=poll)
        sweeper.join()

    @app.cli.group("credit")
    def credit() -> None:
        """Public credit in handling."""

    @credit.command("sweep-commitments")
    def sweep_commitments() -> None:
        """Break the credit commitments past their due day and report them to the credit platform."""
        broken, reported = commitments.run_once(current_app._get_current_object())
        click.echo(f"commitments broken {broken}, reported {reported}")
