"""Small request helpers shared by every blueprint."""

from __future__ import annotations

import functools
import json
from typing import IO, Any, Iterable, Iterator, Mapping, NoReturn, TypeVar

from flask import Flask, Request, Response, request
from marshmallow import fields
from werkzeug.formparser import FormDataParser

from applications.files import HashedSpool

from .errors import ApiError, NotFound, ValidationFailed, field_error

__all__ = ["ApiRequest", "MAX_JSON_DEPTH", "json_depth", "embedded_json",
           "schema", "query_flag", "json_object", "storable", "unstorable_paths",
           "refuse_unstorable_text", "no_content_is_empty"]


#: the deepest JSON a request may nest (objects and arrays); deeper is a 400 ``json_too_deep``
MAX_JSON_DEPTH = 400


def json_depth(value: Any) -> int:
    """How deep ``value`` nests objects and arrays, counted without recursion (a scalar is 0)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


#: an uploaded file part up to this size spools in memory, a larger one to a temporary file (werkzeug's figure)
_SPOOL_IN_MEMORY = 500 * 1024


def _hashed_spool(total_content_length: int | None, content_type: str | None, filename: str | None,
                  content_length: int | None = None) -> IO[bytes]:
    """Where the multipart parser spools a file part: a ``HashedSpool``, hashing the bytes as they arrive."""
    return HashedSpool(max_size=_SPOOL_IN_MEMORY)


class ApiRequest(Request):
    """Flask's request, with malformed or too deeply nested JSON reported in the common envelope, and uploaded
    files spooled into ``HashedSpool``s (hashed once, as they are read; see ``applications.files.spool``)."""

    def make_form_data_parser(self) -> FormDataParser:
        """werkzeug's form parser, with files spooled into ``HashedSpool``s."""
        return self.form_data_parser_class(stream_factory=_hashed_spool, max_form_memory_size=self.max_form_memory_size,
                                           max_content_length=self.max_content_length,
                                           max_form_parts=self.max_form_parts, cls=self.parameter_storage_class)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """The parsed body; 400 ``json_too_deep`` past ``MAX_JSON_DEPTH`` levels, even when ``silent``.

        The parser recurses, so a body of a thousand ``[`` would end in RecursionError (a 500) before any
        depth check could run: that is caught and answered the same way.
        """
        try:
            body = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            raise ApiError("json_too_deep", params={"limit": MAX_JSON_DEPTH}) from None
        if isinstance(body, (dict, list)) and json_depth(body) > MAX_JSON_DEPTH:
            raise ApiError("json_too_deep", params={"limit": MAX_JSON_DEPTH})
        return body

    def on_json_loading_failed(self, e: ValueError | None) -> NoReturn:
        """Malformed JSON is a 400 ``malformed_json`` problem (415 for a non-JSON body stays 415)."""
        if e is None:
            super().on_json_loading_failed(e)
        raise ApiError("malformed_json")


S = TypeVar("S")


@functools.cache
def _instance(cls: type[Any]) -> Any:
    return cls()


def schema(cls: type[S]) -> S:
    """The one shared instance of a marshmallow schema class (reusable for load and dump, building one
    deep-copies every declared field: ~0.1 ms a request)."""
    instance: S = _instance(cls)
    return instance


def query_flag(**kwargs: Any) -> fields.Boolean:
    """A boolean query parameter: ``true``/``false`` or ``1``/``0`` only; ``yes`` or ``on`` is a 422, not a guess."""
    return fields.Boolean(truthy={"true", "1"}, falsy={"false", "0"}, **kwargs)


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 422 naming ``body``."""
    body = request.get_json()
    if not isinstance(body, dict):
        raise ValidationFailed.field("body", "invalid_type")
    return body


def storable(text: str) -> bool:
    """Tell whether a string can go into the database: no NUL (PostgreSQL refuses it) and valid UTF-8."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate, which JSON's \u escapes can express
        return False
    return True


def unstorable_paths(value: Any, path: str) -> Iterator[str]:
    """The paths of every string (key or value) in a JSON document that ``storable`` refuses."""
    if isinstance(value, str):
        if not storable(value):
            yield path or "body"
    elif isinstance(value, Mapping):
        for key, child in value.items():
            name = str(key)
            child_path = f"{path}.{name}" if path else name
            if not storable(name):
                yield path or "body"
            else:
                yield from unstorable_paths(child, child_path)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from unstorable_paths(child, f"{path}[{i}]")


def _invalid_text(paths: Iterable[str]) -> ValidationFailed | None:
    bad = list(dict.fromkeys(paths))
    return ValidationFailed(errors=[field_error(f, "invalid_text") for f in bad]) if bad else None


def embedded_json(raw: bytes, field: str) -> Any:
    """JSON carried inside a request field (a counter's signed payload), held to a request body's rules: a 422
    ``format`` naming ``field`` when it is not JSON (nesting past the parser's stack included), 400
    ``json_too_deep`` past ``MAX_JSON_DEPTH``, a 422 ``invalid_text`` naming each text no column can hold
    (NUL, a lone surrogate: neither could even be written into the answer naming it)."""
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationFailed.field(field, "format") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ApiError("json_too_deep", params={"limit": MAX_JSON_DEPTH})
    refusal = _invalid_text(unstorable_paths(value, field))
    if refusal:
        raise refusal
    return value


def refuse_unstorable_text(app: Flask) -> None:
    """Answer text no database column can hold (NUL, unpaired surrogates) before any view queries with it:
    a 404 in a path, a 422 naming the parameter or body field elsewhere."""

    @app.before_request
    def _check() -> None:
        if any(isinstance(v, str) and not storable(v) for v in (request.view_args or {}).values()):
            raise NotFound()
        bad = [k if storable(k) else "query" for k, v in request.args.items(multi=True)
               if not (storable(k) and storable(v))]
        if request.is_json:
            bad += unstorable_paths(request.get_json(silent=True), "")
        refusal = _invalid_text(bad)
        if refusal:
            raise refusal


def no_content_is_empty(app: Flask) -> None:
    """Send every 204 without a body or ``Content-Type`` (Flask gives ``return "", 204`` a ``text/html`` one),
    so no view has to remember it."""

    @app.after_request
    def _strip(response: Response) -> Response:
        if response.status_code == 204:
            response.set_data(b"")
            del response.headers["Content-Type"]
        return response
