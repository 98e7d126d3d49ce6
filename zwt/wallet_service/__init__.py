"""The e-card wallet service: licenses on record, presentations, keys, revocation, counter sync, access log."""

from __future__ import annotations

import logging

from flask import Flask, Response

from ..container import Services
from ..errors import problem_response
from . import keys

log = logging.getLogger(__name__)

__all__ = ["init_wallet_service"]


def init_wallet_service(app: Flask, svc: Services) -> None:
    """Register the wallet blueprints, CLI commands and error handler on ``app``."""
    from . import accounts, cli, gauges, views_admin, views_citizen, views_verifier

    accounts.subscribe(svc)
    gauges.register_gauges(svc)

    @app.errorhandler(keys.KeyOperationError)
    def _key_unavailable(exc: keys.KeyOperationError) -> Response:
        # The operator's configuration is at fault (a KEK that does not open the stored keys), not the
        # request: a 503 the client may retry, and an error in the log that names the cause.
        log.error("signing key unavailable: %s", exc)
        return problem_response(503, "signing_key_unavailable")
    app.register_blueprint(views_citizen.bp)
    app.register_blueprint(views_verifier.bp)
    app.register_blueprint(views_admin.bp)
    cli.register(app)
