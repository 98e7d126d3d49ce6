"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from .container import services
from .policy import public

__all__ = ["bp"]

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@public
def healthz() -> Response:
    """The process is up and serving."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@public
def readyz() -> tuple[Response, int]:
    """The database (and Redis, when configured) answer; 503 names what does not."""
    svc = services()
    checks: dict[str, str] = {}
    try:
        with svc.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "unavailable"
    if svc.redis is not None:
        try:
            svc.redis.ping()
            checks["redis"] = "ok"
        except Exception:  # noqa: BLE001
            checks["redis"] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    return jsonify({"status": "ready" if ready else "unavailable", "checks": checks}), 200 if ready else 503
