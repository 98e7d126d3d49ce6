"""One rule for the CLI commands that run once or every N seconds until stopped (``--every``)."""

from __future__ import annotations

import time
from typing import Callable, Protocol, Sequence

import click

__all__ = ["Report", "run_reports"]


class Report(Protocol):
    """What a sync or pull report offers the command loop."""

    @property
    def problems(self) -> Sequence[object]: ...

    @property
    def error(self) -> object: ...

    def summary(self) -> str: ...


def run_reports(run: Callable[[bool], Sequence[Report]], *, full: bool, every: float | None, verb: str) -> None:
    """Call ``run(full)``, echo its reports (the first 20 problems of each, prefixed by ``verb``); repeat every
    ``every`` seconds (later rounds incremental) or, run once, exit 1 when a report carries an error."""
    while True:
        reports = run(full)
        for report in reports:
            click.echo(report.summary())
            for problem in list(report.problems)[:20]:
                click.echo(f"  {verb} {problem}")
        if every is None:
            if any(r.error for r in reports):
                raise SystemExit(1)
            return
        time.sleep(every)
        full = False
