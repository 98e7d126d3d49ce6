"""Issue 12: strict configuration and input, headers and links (findings 4 to 7)."""

from __future__ import annotations

import base64
import os

import pytest

from zwt.config import Config, ConfigError
from zwt.pii import PiiCipher

KEY = base64.b64encode(os.urandom(32)).decode()
PRODUCTION = {"ZWT_ENV": "production", "ZWT_SECRET_KEY": "s" * 64, "ZWT_DATABASE_URL": "postgresql://db/zwt",
              "ZWT_PII_KEYS": "1:" + KEY, "ZWT_KEY_ENCRYPTION_KEY": KEY, "ZWT_BLIND_INDEX_KEY": KEY,
              "ZWT_PUBLIC_BASE_URL": "https://zwt.example.gov.cn"}


# -- finding 4: production checks that cannot be bypassed ------------------------------------------------

@pytest.mark.parametrize("env", ["Production", "prod", "PRODUCTION", "production ", "dev", "staging", "test"])
def test_an_unknown_environment_refuses_to_start(env):
    """Only ``development`` and ``production`` exist: a near miss never starts as development."""
    with pytest.raises(ConfigError, match="ZWT_ENV must be `development` or `production`"):
        Config.from_env(PRODUCTION | {"ZWT_ENV": env})


def test_the_two_environments_start():
    """The exact names work."""
    assert Config.from_env(PRODUCTION).is_production
    assert not Config.from_env({"ZWT_ENV": "development"}).is_production


@pytest.mark.parametrize("field", ["blind_index_key", "key_encryption_key"])
@pytest.mark.parametrize("length", [0, 1, 16, 31, 33])
def test_short_or_long_keys_are_refused_however_the_config_is_built(field, length):
    """Key lengths are checked on every path: parsing, and a Config changed in code."""
    good = Config.from_env(PRODUCTION)
    with pytest.raises(ConfigError, match="must be 32 bytes"):
        good.with_changes(**{field: b"k" * length}).check()
    encoded = base64.b64encode(b"k" * length).decode()
    variable = "ZWT_" + field.upper()
    with pytest.raises(ConfigError):
        Config.from_env(PRODUCTION | {variable: encoded or "="})


def test_a_short_pii_key_or_blind_index_key_is_refused_by_the_cipher_too():
    """The cipher itself refuses a blind-index key shorter than 32 bytes."""
    with pytest.raises(ValueError, match="blind-index key"):
        PiiCipher({1: os.urandom(32)}, 1, b"x")
    with pytest.raises(ConfigError, match="32-byte keys"):
        Config.from_env(PRODUCTION).with_changes(pii_keys={1: b"short"}).check()


# -- finding 5: look-alike phone numbers and identifiers -------------------------------------------------

@pytest.mark.parametrize("phone", ["13８00000001", "13800000001\n", "138000000０1", "١٣٨٠٠٠٠٠٠٠١", " 13800000001"])
def test_look_alike_phone_numbers_are_refused(client, phone):
    """Full-width or other-script digits and a trailing newline are a 422 on ``phone``."""
    response = client.post("/api/v1/auth/register", json={
        "name": "李雷", "id_number": "11010519491231002X", "phone": phone, "password": "abc12345x"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["phone"]


@pytest.mark.parametrize("id_number", ["１1010519491231002X", "11010519491231002X\n",
                                       "1101051949123100２X"])
def test_look_alike_id_numbers_are_refused(client, id_number):
    """ID numbers take ASCII digits only."""
    response = client.post("/api/v1/auth/register", json={
        "name": "李雷", "id_number": id_number, "phone": "13800000001", "password": "abc12345x"})
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "id_number"


def test_a_code_with_a_trailing_newline_is_not_a_code(client):
    """``\\Z`` anchors: a six-digit code followed by a newline is refused, not trimmed."""
    response = client.post("/api/v1/auth/register/confirm", json={
        "challenge_id": "sms_" + "0" * 32, "code": "123456\n"})
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "code"


# -- finding 6: nested JSON ------------------------------------------------------------------------------

@pytest.mark.parametrize("route", ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/admin/services"])
@pytest.mark.parametrize("depth", [401, 1000, 50_000])
def test_deeply_nested_json_is_a_400_not_a_500(client, route, depth):
    """Past 400 levels any JSON route answers 400 ``json_too_deep``, before login."""
    response = client.post(route, data="[" * depth + "]" * depth, content_type="application/json")
    assert response.status_code == 400 and response.json["code"] == "json_too_deep"
    assert response.mimetype == "application/problem+json"


def test_nesting_up_to_the_cap_reaches_validation(client):
    """Exactly 400 levels is parsed and then judged on its content (a 422, not a 400)."""
    response = client.post("/api/v1/auth/login", data="[" * 400 + "]" * 400, content_type="application/json")
    assert response.status_code == 422


# -- finding 7: headers and links ------------------------------------------------------------------------

def test_every_answer_carries_nosniff_frame_protection_and_a_default_csp(client):
    """Public, error and docs answers alike."""
    for path in ("/api/v1/services", "/api/v1/nope", "/healthz", "/api/v1/openapi.yaml"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert client.get("/api/v1/services").headers["Content-Security-Policy"] == "default-src 'none'; " \
        "frame-ancestors 'none'"
    assert "script-src 'self'" in client.get("/docs/").headers["Content-Security-Policy"]


def test_sign_in_and_personal_answers_are_never_stored(client, auth):
    """``no-store`` on login, registration and every answer to a bearer token."""
    citizen = auth.register()
    assert auth.login(citizen.phone, citizen.password).headers["Cache-Control"] == "no-store"
    assert client.post("/api/v1/auth/register", json={}).headers["Cache-Control"] == "no-store"
    for path in ("/api/v1/me", "/api/v1/me/licenses", "/api/v1/me/sessions"):
        assert client.get(path, headers=citizen.headers).headers["Cache-Control"] == "no-store"


def test_links_come_from_the_public_base_url_not_the_host_header(make_app, auth):
    """A forged ``Host`` never reaches a QR link; the configured base does."""
    from services_catalog.fakes import fake_departments
    from services_catalog.sandbox.citizens import DEMO_CITIZENS

    app = make_app({"ZWT_PUBLIC_BASE_URL": "https://zwt.example.gov.cn"}, departments=fake_departments())
    auth.client, auth.app = app.test_client(), app
    demo = DEMO_CITIZENS[0]
    citizen = auth.register(name=demo.citizen.name, id_number=demo.citizen.id_number, phone=demo.phone)
    license_id = auth.client.get("/api/v1/me/licenses", headers=citizen.headers).json["items"][0]["id"]
    made = auth.client.post(f"/api/v1/me/licenses/{license_id}/presentations", json={},
                            headers=citizen.headers | {"Host": "evil.example"})
    assert made.status_code == 201, made.json
    assert made.json["png_url"].startswith("https://zwt.example.gov.cn/api/v1/me/presentations/")
    assert "evil" not in str(made.json)


@pytest.mark.parametrize("base", ["ftp://x", "https://", "https://a.example/path", "https://a.example?x=1",
                                  "zwt.example"])
def test_a_public_base_url_that_is_not_an_origin_is_refused(base):
    """The base URL is an origin; production wants https."""
    with pytest.raises(ConfigError, match="ZWT_PUBLIC_BASE_URL"):
        Config.from_env({"ZWT_PUBLIC_BASE_URL": base})
    with pytest.raises(ConfigError, match="ZWT_PUBLIC_BASE_URL must use https"):
        Config.from_env(PRODUCTION | {"ZWT_PUBLIC_BASE_URL": "http://zwt.example.gov.cn"})
