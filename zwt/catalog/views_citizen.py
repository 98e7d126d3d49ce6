"""HTTP face of the catalog for citizens: browse and search without signing in; favourites and the
home-screen overview for signed-in citizens."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, jsonify, request

from ..auth.guards import me, require_roles
from ..auth.accounts import read_id_number
from ..container import services
from ..errors import Forbidden
from ..policy import public
from . import browse
from .overview import overview_for
from .schemas import ItemSummary, LifeEventArgs, SearchArgs, SuggestArgs

__all__ = ["bp"]

bp = Blueprint("catalog", __name__, url_prefix="/api/v1")
# Schema instances are reusable for loading; building one per request deep-copies every field.
_SEARCH_ARGS, _SUGGEST_ARGS, _LIFE_EVENT_ARGS = SearchArgs(), SuggestArgs(), LifeEventArgs()


def _conditional(tag: str) -> Response | None:
    """A 304 when the client already holds this representation."""
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
        response.set_etag(tag, weak=True)
        return response
    return None


def _list_etag(gen: int) -> str:
    digest = hashlib.sha256(request.query_string + b"|" + request.accept_languages.to_header().encode()).hexdigest()
    return f"g{gen}-{digest[:16]}"


@bp.get("/services")
@public
def list_services() -> Response:
    """Search and filter published service items."""
    svc = services()
    gen = browse.catalog_generation(svc)
    # Pages are cached as finished JSON: a repeated query costs a cache look-up, not a search.
    body = browse.cached_search(request.query_string, svc=svc, gen=gen)
    args = _SEARCH_ARGS.load(request.args) if body is None else None  # bad arguments: 422 before any 304
    tag = _list_etag(gen)
    not_modified = _conditional(tag)
    if not_modified is not None:
        return not_modified
    if args is not None:
        body = browse.search_services(args, request.query_string, svc=svc, gen=gen)
    response = Response(body, mimetype="application/json")
    response.set_etag(tag, weak=True)
    return response


@bp.get("/services/<impl_code>")
@public
def get_service(impl_code: str) -> Response:
    """One published item with everything a citizen needs to apply."""
    body, version = browse.service_detail(impl_code)
    tag = f"v{version}"
    cached = _conditional(tag)
    if cached is not None:
        return cached
    response = jsonify(body)
    response.set_etag(tag, weak=True)
    return response


@bp.get("/departments")
@public
def list_departments() -> Response:
    """Departments and how many items each offers."""
    return jsonify({"departments": browse.list_departments()})


@bp.get("/themes")
@public
def list_themes() -> Response:
    """Themes and how many items each holds."""
    return jsonify({"themes": browse.list_themes()})


@bp.get("/life-events")
@public
def list_life_events() -> Response:
    """Life events and how many items each holds; a weak ETag that changes with the catalog."""
    tag = _list_etag(browse.catalog_generation(services()))
    not_modified = _conditional(tag)
    if not_modified is not None:
        return not_modified
    response = jsonify({"life_events": browse.list_life_events()})
    response.set_etag(tag, weak=True)
    return response


@bp.get("/life-events/<code>")
@public
def get_life_event(code: str) -> Response:
    """A life event's items (narrowed by region or department) and their materials, merged."""
    args = _LIFE_EVENT_ARGS.load(request.args)
    return jsonify(browse.life_event(code, args, svc=services()))


@bp.get("/search/suggest")
@public
def suggest() -> Response:
    """Completions for a partly typed query."""
    args = _SUGGEST_ARGS.load(request.args)
    return jsonify(browse.suggest(args["q"], args["limit"], svc=services()))


@bp.get("/me/favorites")
@require_roles("citizen")
def list_favorites() -> Response:
    """The citizen's saved items."""
    return jsonify({"items": ItemSummary(many=True).dump(browse.list_favorites(me()))})


@bp.put("/me/favorites/<impl_code>")
@require_roles("citizen")
def add_favorite(impl_code: str) -> tuple[str, int]:
    """Save an item (idempotent)."""
    browse.add_favorite(me(), impl_code, svc=services())
    return "", 204


@bp.delete("/me/favorites/<impl_code>")
@require_roles("citizen")
def remove_favorite(impl_code: str) -> tuple[str, int]:
    """Forget a saved item (idempotent)."""
    browse.remove_favorite(me(), impl_code)
    return "", 204


@bp.get("/me/overview")
@require_roles("citizen")
def overview() -> Response:
    """The home screen: social security, housing fund and licenses on record, live from the departments."""
    svc = services()
    account = me()
    id_number = read_id_number(account, svc=svc)
    if id_number is None:
        raise Forbidden()
    return jsonify(overview_for(svc, id_number=id_number, name=account.display_name))
