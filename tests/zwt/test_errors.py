"""Every failure leaves in one envelope: RFC 9457 problem+json, Chinese by default, English on request."""

from __future__ import annotations

import pytest

from zwt.errors import ApiError


def _is_problem(response, status):
    body = response.json
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert {"type", "title", "status", "detail", "code"} <= set(body)
    assert body["status"] == status
    return body


@pytest.mark.parametrize("method, path, kwargs, status, code", [
    ("get", "/api/v1/nowhere", {}, 404, "not_found"),
    ("delete", "/api/v1/auth/login", {}, 405, "method_not_allowed"),
    ("post", "/api/v1/auth/login", {"data": "{not json", "content_type": "application/json"}, 400, "malformed_json"),
    ("post", "/api/v1/auth/login", {"data": "a=b", "content_type": "application/x-www-form-urlencoded"},
     415, "unsupported_media_type"),
    ("post", "/api/v1/auth/login", {"json": ["a", "list"]}, 422, "validation_failed"),
    ("post", "/api/v1/auth/login", {"json": {"username": "x"}}, 422, "validation_failed"),
    ("post", "/api/v1/auth/login", {"json": {"username": "x", "password": "y", "extra": 1}}, 422,
     "validation_failed"),
    ("post", "/api/v1/auth/login", {"json": {"username": 5, "password": "y"}}, 422, "validation_failed"),
    ("get", "/api/v1/me", {}, 401, "unauthorized"),
])
def test_http_errors_are_problems(client, method, path, kwargs, status, code):
    """Werkzeug's, marshmallow's, JWT and our own errors all share the envelope."""
    body = _is_problem(getattr(client, method)(path, **kwargs), status)
    assert body["code"] == code


def test_oversized_body_is_413(make_app):
    """A body above the configured limit is refused before it is parsed."""
    client = make_app({"ZWT_MAX_CONTENT_LENGTH": "1024"}).test_client()
    response = client.post("/api/v1/auth/login", data="x" * 5000, content_type="application/json")
    body = _is_problem(response, 413)
    assert "1024" in body["detail"]


def test_method_not_allowed_keeps_allow_header(client):
    """A 405 still says which methods are allowed."""
    response = client.delete("/api/v1/auth/login")
    assert "POST" in response.headers["Allow"]


def test_field_errors_name_each_field(client):
    """Missing and unknown fields are listed with their paths and codes."""
    body = client.post("/api/v1/auth/register", json={"phone": "123", "hobby": "x"}).json
    found = {(e["field"], e["code"]) for e in body["errors"]}
    assert {("name", "required"), ("id_number", "required"), ("password", "required"),
            ("phone", "format"), ("hobby", "unknown_field")} <= found


@pytest.mark.parametrize("language, title", [
    (None, "未找到"), ("zh-CN,zh;q=0.9", "未找到"), ("en-US,en;q=0.8", "Not found"), ("fr", "未找到")])
def test_language_follows_accept_language(client, language, title):
    """Titles are zh-CN unless the client prefers English."""
    headers = {"Accept-Language": language} if language else {}
    response = client.get("/api/v1/nowhere", headers=headers)
    assert response.json["title"] == title
    assert response.headers["Content-Language"] in {"zh-CN", "en"}


def test_unexpected_exception_is_a_500_problem_without_internals(make_app):
    """A bug answers 500 in the envelope, with a request id and no traceback."""
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = _is_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_api_error_carries_extra_members(make_app):
    """Domain errors may add extension members next to the standard ones."""
    app = make_app()

    @app.get("/conflict")
    def conflict():
        raise ApiError("conflict", extra={"current_version": 3})

    assert app.test_client().get("/conflict").json["current_version"] == 3


@pytest.mark.parametrize("method, path, kwargs, status, field", [
    ("post", "/api/v1/auth/login", {"json": {"username": "a\x00", "password": "x"}}, 422, "username"),
    ("post", "/api/v1/auth/login", {"data": '{"username": "\\ud800", "password": "x"}',
                                    "content_type": "application/json"}, 422, "username"),
    ("get", "/api/v1/services", {"query_string": {"q": "社\x00保"}}, 422, "q"),
    ("get", "/api/v1/services/abc%00def", {}, 404, None),
])
def test_text_no_database_can_store_is_refused_up_front(client, method, path, kwargs, status, field):
    """NUL bytes and unpaired surrogates never reach a query (PostgreSQL would refuse them with a 500)."""
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status and response.mimetype == "application/problem+json"
    if field:
        assert response.json["errors"][0] == {"field": field, "code": "invalid_text",
                                              "message": response.json["errors"][0]["message"]}
