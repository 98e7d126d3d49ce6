"""HTTP face of service ratings: the applicant rates and responds, the department answers its follow-ups,
and anyone reads the statistics."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from ..applications.handling import detail_for
from ..auth.guards import me, require_roles
from ..container import services
from ..errors import ValidationFailed
from ..http import json_object, schema
from ..policy import public
from . import rating
from .schemas import AnswerIn, FollowUpArgs, RatingIn, ResponseIn, StatsArgs
from .stats import cached_stats

__all__ = ["bp", "admin_bp", "public_bp"]

bp = Blueprint("ratings", __name__, url_prefix="/api/v1/me/applications")
admin_bp = Blueprint("ratings_admin", __name__, url_prefix="/api/v1/admin/ratings")
public_bp = Blueprint("ratings_public", __name__, url_prefix="/api/v1/ratings")


def _mine(public_id: str) -> Response:
    row = rating.rating_of(me(), public_id)
    return jsonify(rating.rating_view(row, detail_for(me(), public_id), services()))


@bp.put("/<application_id>/rating")
@require_roles("citizen")
def rate(application_id: str) -> tuple[Response, int]:
    """Rate a concluded application (201), or change the rating within 7 days of giving it (200)."""
    data = schema(RatingIn).load(json_object())
    _, created = rating.rate(me(), application_id, svc=services(), **data)
    return _mine(application_id), 201 if created else 200


@bp.get("/<application_id>/rating")
@require_roles("citizen")
def my_rating(application_id: str) -> Response:
    """The rating of one of the citizen's applications, with its follow-up."""
    return _mine(application_id)


@bp.post("/<application_id>/rating/response")
@require_roles("citizen")
def respond(application_id: str) -> Response:
    """The citizen's response to the department's answer to a bad rating."""
    data = schema(ResponseIn).load(json_object())
    rating.respond(me(), application_id, data["response"], satisfied=data["satisfied"], svc=services())
    return _mine(application_id)


@admin_bp.get("/follow-ups")
@require_roles("dept_admin")
def follow_ups() -> Response:
    """The department's follow-ups of bad ratings, soonest due first, each flagged when overdue."""
    args = schema(FollowUpArgs).load(request.args)
    svc = services()
    return jsonify({"items": [rating.rating_view(r, a, svc)
                              for r, a in rating.follow_ups(me(), svc=svc, **args)]})


@admin_bp.post("/follow-ups/<application_id>/answer")
@require_roles("dept_admin")
def answer(application_id: str) -> Response:
    """The department answers the follow-up of a bad rating of one of its applications."""
    data = schema(AnswerIn).load(json_object())
    svc = services()
    row, app = rating.answer(me(), application_id, data["answer"], svc=svc)
    return jsonify(rating.rating_view(row, app, svc))


@public_bp.get("/stats")
@public
def stats() -> Response:
    """Counts per level and satisfaction rate per item or department over a period; ETag, cached."""
    args = schema(StatsArgs).load(request.args)
    if args["since"] and args["until"] and args["since"] > args["until"]:
        raise ValidationFailed.field("until", "invalid")
    tag, body = cached_stats(args, services(), current_app.extensions["zwt.ratings"])
    response = Response(body, mimetype="application/json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "public, no-cache"
    if request.if_none_match.contains(tag):
        response = Response(status=304, headers={"Cache-Control": "public, no-cache"})
        response.set_etag(tag)
    return response
