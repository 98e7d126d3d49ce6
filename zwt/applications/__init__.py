"""Online applications (办件) in the service: storage, use cases, the delivery outbox and worker, HTTP views.

The domain (state machine, time limits, calendar) is the framework-free ``applications`` library.
"""

from __future__ import annotations

from flask import Flask

from ..container import Services

__all__ = ["init_applications"]


def init_applications(app: Flask, svc: Services) -> None:
    """Register the application blueprints, the ``worker`` command and the outbox gauge on ``app``."""
    from . import agents_views, cli, commitment_views, materials_views, outbox, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.register_blueprint(views.callback_bp)
    app.register_blueprint(materials_views.bp)
    app.register_blueprint(materials_views.admin_bp)
    app.register_blueprint(commitment_views.bp)
    app.register_blueprint(agents_views.bp)
    cli.register(app)
    outbox.register_gauges(svc)
