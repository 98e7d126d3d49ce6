"""HTTP face of agent authorisations (代办授权): the holder grants and revokes, the agent reads and declines.

Applying as an agent is ``POST /api/v1/me/applications`` with ``on_behalf_of`` (``views.apply``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import Schema, fields, validate, validates

from ..auth.guards import me, require_roles
from ..auth.schemas import NAME_RE, check_resident_id
from ..auth.views import client_address
from ..container import services
from ..errors import NotFound
from ..http import json_object, schema
from ..wallet_service.schemas import plausible_id
from . import agents, handling

__all__ = ["bp", "AuthorisationIn", "MAX_VALID_DAYS"]

bp = Blueprint("agents", __name__, url_prefix="/api/v1/me/agent-authorisations")

#: the longest an authorisation may run, in days
MAX_VALID_DAYS = 365


class AuthorisationIn(Schema):
    """The agent as a service hall names them (name and resident ID number), the item, and for how long."""

    agent_name = fields.String(required=True, validate=validate.Regexp(NAME_RE, error="format"))
    agent_id_number = fields.String(required=True, load_only=True)
    impl_code = fields.String(required=True, validate=validate.Length(min=1, max=80))
    valid_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=MAX_VALID_DAYS))

    @validates("agent_id_number")
    def _check_id(self, value: str, **_: Any) -> None:
        check_resident_id(value)


@bp.post("")
@require_roles("citizen", step_up=True)
def grant() -> tuple[Response, int]:
    """Authorise an identity-proofed citizen to apply for one item for me (needs a step-up and the
    application proofing level)."""
    data = schema(AuthorisationIn).load(json_object())
    svc, holder = services(), me()
    handling.require_application_level(holder, svc)
    item = handling.online_item(data["impl_code"])
    row = agents.grant(holder, item, agent_name=data["agent_name"], agent_id_number=data["agent_id_number"],
                       valid_days=data["valid_days"], svc=svc, address=client_address())
    return jsonify(agents.authorisation_view(row, holder, svc.clock.now())), 201


@bp.get("")
@require_roles("citizen")
def listing() -> Response:
    """The authorisations I granted and those granted to me, newest first."""
    svc, account = services(), me()
    now = svc.clock.now()
    return jsonify({"items": [agents.authorisation_view(row, account, now)
                              for row in agents.authorisations_of(account)]})


@bp.delete("/<authorisation_id>")
@require_roles("citizen")
def end(authorisation_id: str) -> Response:
    """Revoke an authorisation I granted, or decline one granted to me; it stops covering at once."""
    if not plausible_id(authorisation_id):
        raise NotFound()
    svc, account = services(), me()
    row = agents.end(account, authorisation_id, svc=svc)
    return jsonify(agents.authorisation_view(row, account, svc.clock.now()))
