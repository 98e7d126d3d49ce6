"""Service ratings (好差评): the applicant rates a concluded application, a bad rating opens a follow-up the
department answers, and public statistics per item and department."""

from __future__ import annotations

from flask import Flask

__all__ = ["init_ratings"]


def init_ratings(app: Flask) -> None:
    """Register the rating blueprints on ``app``, with the per-process cache of finished statistics."""
    from . import stats, views

    app.extensions["zwt.ratings"] = stats.StatsCache()
    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.register_blueprint(views.public_bp)
