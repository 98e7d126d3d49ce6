"""Small request helpers shared by every blueprint."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Request

from .errors import ApiError, ValidationFailed

__all__ = ["ApiRequest", "json_object"]


class ApiRequest(Request):
    """Flask's request, with malformed JSON reported in the common envelope."""

    def on_json_loading_failed(self, e: ValueError | None) -> NoReturn:
        """Malformed JSON is a 400 ``malformed_json`` problem (415 for a non-JSON body stays 415)."""
        if e is None:
            super().on_json_loading_failed(e)
        raise ApiError("malformed_json")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 422 naming ``body``."""
    from flask import request

    body = request.get_json()
    if not isinstance(body, dict):
        raise ValidationFailed.field("body", "invalid_type")
    return body
