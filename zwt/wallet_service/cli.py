"""Operator commands for wallet keys: list, create, rotate, activate, retire, export the root key."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from ..container import services
from ..models import WalletKey
from . import keys
from .bundle import issuing_departments, root_key_pem
from .runtime import runtime

__all__ = ["register"]


def register(app: Flask) -> None:
    """Attach ``flask --app app wallet-keys ...``."""

    @app.cli.group("wallet-keys")
    def wallet_keys() -> None:
        """Manage wallet signing keys (pending -> active -> verify-only -> retired)."""

    @wallet_keys.command("list")
    def list_keys() -> None:
        """Print every key with its department, state and dates."""
        sess = services().db.sessions()
        try:
            for row in sess.scalars(select(WalletKey).order_by(WalletKey.id)):
                click.echo(f"{row.kid}  {row.department_code or 'root':<14} {row.state:<12} "
                           f"created={row.created_at:%Y-%m-%dT%H:%M}Z "
                           f"retire_after={row.retire_after.isoformat() if row.retire_after else '-'}")
        finally:
            sess.close()

    @wallet_keys.command("create")
    @click.option("--department", default=None, help="department code; omit for every issuing department and root")
    def create(department: str | None) -> None:
        """Create the first (active) key of a department, or of every issuing department and the root."""
        svc = services()
        wanted = [department] if department else [None, *issuing_departments(svc)]
        try:
            keys.ensure_keys(svc, wanted)
        except keys.KeyOperationError as exc:
            raise click.UsageError(str(exc)) from None
        click.echo("keys ready for " + ", ".join(d or "root" for d in wanted))

    @wallet_keys.command("rotate")
    @click.option("--department", required=True, help="department code, or root for the platform root key")
    def rotate(department: str) -> None:
        """Create a pending key: published in bundles now, signing after ``activate``."""
        try:
            row = keys.rotate(department, services())
        except keys.KeyOperationError as exc:
            raise click.UsageError(str(exc)) from None
        click.echo(f"pending key {row.kid} for {department}; activate it after counters synced")

    @wallet_keys.command("activate")
    @click.option("--department", required=True, help="department code, or root for the platform root key")
    @click.option("--force", is_flag=True, help="skip the publication lead time")
    def activate(department: str, force: bool) -> None:
        """Make the pending key sign; the previous one turns verify-only."""
        try:
            new, old = keys.activate(department, services(), force=force)
        except keys.KeyOperationError as exc:
            raise click.UsageError(str(exc)) from None
        runtime().bundle = None
        click.echo(f"active key {new.kid} for {department}" + (f"; {old.kid} is verify-only" if old else ""))

    @wallet_keys.command("retire")
    @click.option("--kid", required=True)
    @click.option("--force", is_flag=True, help="retire before what it signed has expired")
    def retire(kid: str, force: bool) -> None:
        """Take a verify-only key out of the bundles."""
        try:
            row = keys.retire(kid, services(), force=force)
        except keys.KeyOperationError as exc:
            raise click.UsageError(str(exc)) from None
        click.echo(f"retired key {row.kid}")

    @wallet_keys.command("export-root")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def export_root(out: Path) -> None:
        """Write the platform root public key (PEM) for counters."""
        out.write_bytes(root_key_pem(services(), runtime()))
        click.echo(f"root public key written to {out}")
