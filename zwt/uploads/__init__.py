"""Uploads: the citizens' materials library (材料库), consented reuse in applications, staff views logged."""

from __future__ import annotations

from flask import Flask

__all__ = ["init_uploads"]


def init_uploads(app: Flask) -> None:
    """Register the materials library's routes on ``app``."""
    from .views import bp

    app.register_blueprint(bp)
