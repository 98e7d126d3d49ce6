"""Shared department data (数据共享): a citizen's records fetched from the departments holding them, versioned.

``services_catalog.shared_records`` names the sources and the port; ``services_catalog.shared_data`` fetches
them in parallel under a deadline. Here they are stored with their digest (``store``), refreshed and shown
(``service``) and served over HTTP (``views``).
"""

from __future__ import annotations

from flask import Flask

__all__ = ["init_shared_data"]


def init_shared_data(app: Flask) -> None:
    """Register the shared-data blueprint on ``app``."""
    from .views import bp

    app.register_blueprint(bp)
