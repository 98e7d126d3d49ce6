"""The e-card wallet service: licenses on record, presentations, keys, revocation, counter sync, access log."""

from __future__ import annotations

from flask import Flask

from ..container import Services
from .runtime import WalletRuntime

__all__ = ["init_wallet_service"]


def init_wallet_service(app: Flask, svc: Services) -> None:
    """Register the wallet blueprints, CLI commands and per-process caches on ``app``."""
    from . import cli, views_admin, views_citizen, views_verifier

    app.extensions["zwt.wallet"] = svc.extras.get("wallet_runtime") or WalletRuntime()
    app.register_blueprint(views_citizen.bp)
    app.register_blueprint(views_verifier.bp)
    app.register_blueprint(views_admin.bp)
    cli.register(app)
