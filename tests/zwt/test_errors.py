"""Every failure leaves in one envelope: RFC 9457 problem+json, Chinese by default, English on request."""

from __future__ import annotations

import re

import pytest

from services_catalog.rules import RULES, violation
from zwt.errors import ApiError
from zwt.i18n import FIELDS, PROBLEMS, field_texts, violation_message


def _is_problem(response, status):
    """Assert the response is a problem of this status with the standard members and the request's id."""
    body = response.json
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert {"type", "title", "status", "detail", "code"} <= set(body)
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-ID"] != ""
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


def test_oversized_body_problem_keeps_the_clients_request_id(make_app):
    """The 413 is raised while a hook reads the body, before any view: it still carries the request's id."""
    client = make_app({"ZWT_MAX_CONTENT_LENGTH": "1024"}).test_client()
    response = client.post("/api/v1/auth/login", data="x" * 5000, content_type="application/json",
                           headers={"X-Request-ID": "client-chosen-id-1"})
    assert _is_problem(response, 413)["request_id"] == "client-chosen-id-1"


def _no_content(response):
    """Assert a 204 with neither body nor Content-Type."""
    assert response.status_code == 204, response.get_json(silent=True)
    assert response.data == b"" and "Content-Type" not in response.headers


def test_every_204_has_no_body_and_no_content_type(make_app):
    """Whatever a view returns with 204, the response has no body and no Content-Type."""
    app = make_app()

    @app.delete("/gone")
    def gone():
        return "ignored", 204

    _no_content(app.test_client().delete("/gone"))


def test_the_apis_204s_have_no_content_type(client, auth):
    """Unlocking the wallet and signing out answer 204 without a Content-Type."""
    citizen = auth.register()
    _no_content(client.delete("/api/v1/me/wallet/lock", headers=citizen.headers))
    _no_content(client.post("/api/v1/auth/logout", headers=citizen.headers))


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


def _is_sentence_naming(text, field):
    """Whether ``text`` is one English sentence (capital or quote first, full stop) that names ``field`` in quotes."""
    return bool(re.match(r"^['A-Z].*\.$", text)) and f"'{field}'" in text


@pytest.mark.parametrize("code", sorted(FIELDS))
def test_every_english_field_message_is_a_sentence_naming_the_field(code):
    """The English field catalogue has no fragments: each message is a sentence that says which field."""
    zh, en = field_texts(code, "materials[2].name")
    assert zh and _is_sentence_naming(en, "materials[2].name"), en


def test_every_english_problem_text_is_a_sentence():
    """Every problem's English title is set and its detail is a sentence."""
    for code, (zh_title, zh_detail, title, detail) in PROBLEMS.items():
        assert zh_title and zh_detail and title, code
        assert re.match(r"^[A-Z].*[.)]$", detail), (code, detail)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_catalog_rule_reads_in_english_as_a_sentence_naming_the_field(app, rule):
    """The catalog's rule texts (fragments like ``is required``) reach a client as sentences naming the field."""
    found = violation("onsite_reason", rule, value="x", low=2, high=5)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert _is_sentence_naming(violation_message(found), "onsite_reason"), violation_message(found)
    with app.test_request_context():
        assert violation_message(found) == found.message_zh


def test_english_messages_of_a_request_name_their_fields(client):
    """A request missing fields gets, in English, one sentence per field naming it."""
    body = client.post("/api/v1/auth/register", json={"phone": "123", "hobby": "x"},
                       headers={"Accept-Language": "en"}).json
    by_field = {e["field"]: e["message"] for e in body["errors"]}
    assert by_field["name"] == "The field 'name' is required."
    assert by_field["hobby"] == "The field 'hobby' is not allowed here."
    assert all(_is_sentence_naming(message, field) for field, message in by_field.items())
