"""The OpenAPI contract, served as YAML and browsable with a packaged Swagger UI (no CDN)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response
from flask_swagger_ui import get_swaggerui_blueprint

from .policy import declare_public_endpoints, public

__all__ = ["SPEC_PATH", "init_docs"]

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"


def init_docs(app: Flask) -> None:
    """Serve ``/api/v1/openapi.yaml`` and Swagger UI at ``/docs`` (public, like the static files)."""
    spec = SPEC_PATH.read_bytes()
    bp = Blueprint("spec", __name__)

    @bp.get("/api/v1/openapi.yaml")
    @public
    def openapi_yaml() -> Response:
        """The API contract."""
        return Response(spec, mimetype="application/yaml")

    app.register_blueprint(bp)
    app.register_blueprint(get_swaggerui_blueprint(
        "/docs", "/api/v1/openapi.yaml", config={"app_name": "Zhengwutong API"}))
    declare_public_endpoints(app, ["static", "swagger_ui.show"])  # Flask's static files, Swagger UI's assets
