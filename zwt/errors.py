"""One error envelope: every failure leaves as RFC 9457 ``application/problem+json``."""

from __future__ import annotations

import logging
from typing import Any, Iterable, Mapping

from flask import Flask, Response, has_request_context, json, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from .i18n import field_message, locale, problem_text
from .logging_setup import request_id

__all__ = [
    "ApiError", "ValidationFailed", "NotFound", "Unauthorized", "Forbidden", "Conflict",
    "TooManyRequests", "ServiceUnavailable", "PreconditionFailed", "PreconditionRequired", "FieldError",
    "field_error", "problem_response", "register_error_handlers", "PROBLEM_JSON",
]

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("zwt.errors")

FieldError = dict[str, str]


def field_error(field: str, code: str) -> FieldError:
    """One ``errors`` entry: the field's path, the code and its message in the request's language."""
    return {"field": field, "code": code, "message": field_message(code, field)}


class ApiError(Exception):
    """A problem the client can act on; subclasses fix the HTTP status."""

    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, *, params: Mapping[str, Any] | None = None,
                 errors: Iterable[FieldError] | None = None, headers: Mapping[str, str] | None = None,
                 extra: Mapping[str, Any] | None = None) -> None:
        super().__init__(code or self.code)
        if code:
            self.code = code
        self.params = dict(params or {})
        self.errors = list(errors or [])
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


class ValidationFailed(ApiError):
    """422: one or more fields are wrong; ``errors`` names them."""

    status = 422
    code = "validation_failed"

    @classmethod
    def field(cls, field: str, code: str) -> "ValidationFailed":
        """A validation failure about one field, worded by the field texts."""
        return cls(errors=[field_error(field, code)])


class Unauthorized(ApiError):
    """401: no valid credentials."""

    status = 401
    code = "unauthorized"

    def __init__(self, code: str | None = None, **kwargs: Any) -> None:
        super().__init__(code, **kwargs)
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="zwt"')


class Forbidden(ApiError):
    """403: authenticated, but this role may not do this."""

    status = 403
    code = "forbidden"


class NotFound(ApiError):
    """404: missing, or not yours (the two answer alike)."""

    status = 404
    code = "not_found"


class Conflict(ApiError):
    """409: clashes with existing data."""

    status = 409
    code = "conflict"


class PreconditionFailed(ApiError):
    """412: the If-Match version is stale."""

    status = 412
    code = "precondition_failed"


class PreconditionRequired(ApiError):
    """428: an update without If-Match."""

    status = 428
    code = "precondition_required"


class ServiceUnavailable(ApiError):
    """503: a system we depend on failed; the client may retry."""

    status = 503
    code = "service_unavailable"


class TooManyRequests(ApiError):
    """429: throttled; ``Retry-After`` says for how long."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int, **kwargs: Any) -> None:
        super().__init__(params={"retry_after": retry_after}, headers={"Retry-After": str(retry_after)},
                         **kwargs)


def problem_response(status: int, code: str, *, params: Mapping[str, Any] | None = None,
                     errors: list[FieldError] | None = None, headers: Mapping[str, str] | None = None,
                     extra: Mapping[str, Any] | None = None) -> Response:
    """Build the one problem+json response every error handler returns."""
    title, detail = problem_text(code, dict(params or {}))
    body: dict[str, Any] = {"type": f"/problems/{code.replace('_', '-')}", "title": title,
                            "status": status, "detail": detail, "code": code}
    if errors:
        body["errors"] = errors
    if has_request_context():
        body["request_id"] = request_id()
    body.update(extra or {})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    response.headers["Content-Language"] = locale()
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


_MARSHMALLOW_CODES = (
    ("Missing data for required field", "required"),
    ("Unknown field", "unknown_field"),
    ("Field may not be null", "null"),
    ("Not a valid", "invalid_type"),
    ("Must be one of", "one_of"),
    ("Length must be", "length"),
    ("Shorter than", "length"),
    ("Longer than", "length"),
    ("Must be greater", "range"),
    ("Must be less", "range"),
    ("String does not match", "format"),
    ("Invalid input type", "invalid_type"),
)


def _field_code(message: str) -> str:
    """Map a marshmallow message (or one of our codes used as a message) to a field error code."""
    if message.isidentifier() and message.islower():
        return message
    for prefix, code in _MARSHMALLOW_CODES:
        if message.startswith(prefix):
            return code
    return "invalid"


def flatten_validation(messages: Any, path: str = "") -> list[FieldError]:
    """Turn marshmallow's nested messages into a flat list with paths like ``materials[2].name``."""
    out: list[FieldError] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                child = f"{path}[{key}]"
            elif key == "_schema":
                child = path
            else:
                child = f"{path}.{key}" if path else str(key)
            out.extend(flatten_validation(value, child))
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            out.extend(flatten_validation(item, path))
    else:
        code = _field_code(str(messages))
        out.append(field_error(path or "body", code))
    return out


def _http_code(exc: HTTPException) -> str:
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 412: "precondition_failed",
            413: "payload_too_large", 415: "unsupported_media_type", 428: "precondition_required",
            429: "too_many_attempts", 503: "service_unavailable"}.get(exc.code or 500, "http_error")


def register_error_handlers(app: Flask) -> None:
    """Route our, marshmallow's and werkzeug's exceptions through ``problem_response``."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return problem_response(exc.status, exc.code, params=exc.params, errors=exc.errors,
                                headers=exc.headers, extra=exc.extra)

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError) -> Response:
        return problem_response(422, "validation_failed", errors=flatten_validation(exc.messages))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = _http_code(exc)
        # the request's own limit: a view may raise it (the issuing interface's bulk pushes)
        params = {"limit": request.max_content_length if has_request_context() else
                  app.config.get("MAX_CONTENT_LENGTH")} if status == 413 else None
        headers = {k: v for k, v in exc.get_headers() if k.lower() in {"allow", "retry-after"}}
        return problem_response(status, code, params=params, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error", extra={"request_id": request_id()})
        return problem_response(500, "internal_error")
