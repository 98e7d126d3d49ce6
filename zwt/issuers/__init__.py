"""Departments issuing licenses through the standard interface (docs/ISSUING.md): signed pushes, pulled
change feeds, the department ledger and its way into the holders' wallets."""

from __future__ import annotations

from flask import Flask

from ..container import Services

__all__ = ["init_issuers"]


def init_issuers(app: Flask, svc: Services) -> None:
    """Register the issuing blueprints, the ``issuers`` commands and the wallet claim hook on ``app``."""
    from . import claims, cli, views

    claims.subscribe(svc)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    cli.register(app)
