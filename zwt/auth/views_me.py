"""HTTP face of the signed-in account: /me, sessions, password, step-up and raising the proofing level."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..container import services
from ..db import session
from ..http import json_object, schema
from ..pii import mask_phone
from . import identity, proofing, recovery, sessions
from .accounts import account_view
from .challenges import challenge_view, open_challenge
from .guards import current_claims, me, require_roles
from .schemas import (AccountOut, ChallengeIn, ChallengeOut, CodeIn, EvidenceIn, IdentityCheckIn, IdentityOut,
                      LevelOut, PasswordChangedOut, PasswordChangeIn, SessionListOut, SessionsEndedOut, StepUpIn,
                      StepUpOut)
from .views import client_address

__all__ = ["bp"]

bp = Blueprint("account", __name__, url_prefix="/api/v1")


@bp.get("/me")
@require_roles()
def whoami() -> Response:
    """The signed-in account, numbers masked, with its proofing level."""
    return jsonify(schema(AccountOut).dump(account_view(me(), svc=services())))


@bp.get("/me/sessions")
@require_roles()
def list_sessions() -> Response:
    """The account's active sign-ins; ``current`` marks this one."""
    svc, family = services(), current_claims().get("fam")
    items = [sessions.session_view(row, family) for row in sessions.active_sessions(me(), svc=svc)]
    return jsonify(schema(SessionListOut).dump({"items": items}))


@bp.delete("/me/sessions")
@require_roles()
def end_other_sessions() -> Response:
    """End every sign-in but this one."""
    svc = services()
    ended = sessions.end_sessions(me(), "ended_by_owner", svc=svc, keep=current_claims().get("fam"))
    session().commit()
    return jsonify(schema(SessionsEndedOut).dump({"sessions_ended": ended}))


@bp.delete("/me/sessions/<session_id>")
@require_roles()
def end_one_session(session_id: str) -> tuple[str, int]:
    """End one sign-in (this one too, if named)."""
    svc = services()
    sessions.end_session(sessions.find_session(me(), session_id, svc=svc), "ended_by_owner", svc=svc)
    session().commit()
    return "", 204


@bp.post("/me/password")
@require_roles()
def change_password() -> Response:
    """Change the password; every other sign-in ends and the phone is told."""
    data = schema(PasswordChangeIn).load(json_object())
    done = recovery.change_password(me(), current_claims(), data, svc=services(), address=client_address())
    return jsonify(schema(PasswordChangedOut).dump(done))


@bp.post("/me/sms-challenges")
@require_roles("citizen")
def send_code() -> tuple[Response, int]:
    """Send a code to the account's own phone: for a step-up, or to prove the phone (level 2)."""
    data = schema(ChallengeIn).load(json_object())
    svc, account = services(), me()
    assert account.phone is not None  # every citizen has one
    row = open_challenge(data["purpose"], account.phone, svc=svc, address=client_address(), account=account)
    session().commit()
    return jsonify(schema(ChallengeOut).dump(challenge_view(row, svc=svc)
                                             | {"phone_masked": mask_phone(account.phone)})), 201


@bp.post("/auth/step-up")
@require_roles("citizen", fresh=True)
def step_up() -> Response:
    """A fresh login plus an SMS code or a face check: an access token that may reveal numbers and bind devices."""
    data = schema(StepUpIn).load(json_object())
    return jsonify(schema(StepUpOut).dump(proofing.step_up(current_claims(), me(), data, svc=services())))


@bp.post("/me/identity-check")
@require_roles("citizen")
def identity_check() -> Response:
    """Check the account's real name against the police records (level 1)."""
    data = schema(IdentityCheckIn).load(json_object())
    svc, account = services(), me()
    before = account.proofing_level
    result = identity.verify_account(account, data["name"], client_address(), svc=svc)
    proofing.announce_level(account, before, svc=svc)
    return jsonify(schema(IdentityOut).dump(result))


@bp.post("/me/identity/phone")
@require_roles("citizen")
def prove_phone() -> Response:
    """Prove the account's phone with a code (purpose ``phone``); the carrier check then gives level 2."""
    data = schema(CodeIn).load(json_object())
    return jsonify(schema(LevelOut).dump(proofing.prove_phone(me(), data["challenge_id"], data["code"],
                                                              svc=services())))


@bp.post("/me/identity/liveness")
@require_roles("citizen")
def prove_face() -> Response:
    """A face check for the account's own person: level 3."""
    data = schema(EvidenceIn).load(json_object())
    return jsonify(schema(LevelOut).dump(proofing.prove_face(me(), data["evidence"], svc=services())))
