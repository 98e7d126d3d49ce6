"""Accounts over HTTP: register, login, refresh rotation, logout and /me."""

from __future__ import annotations

import datetime as dt

import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token, create_refresh_token

from wallet.identifiers import resident_id_check_digit


def test_register_returns_tokens_and_masked_account(client, auth):
    """Sign-up signs the citizen in and shows the ID number and phone masked."""
    citizen = auth.register(phone="13812345678")
    me = client.get("/api/v1/me", headers=citizen.headers).json
    assert me["role"] == "citizen"
    assert me["id_number_masked"] == citizen.id_number[:4] + "*" * 10 + citizen.id_number[-4:]
    assert me["phone_masked"] == "138****5678"
    assert me["subject"].startswith("u_") and citizen.id_number not in me["subject"]


@pytest.mark.parametrize("id_number, code", [
    ("370202198803124530", "check_digit"),
    ("370202198802304538", "birth_date"),
    ("37020219880312453", "format"),
    ("ABCDEFGHIJKLMNOPQR", "format"),
])
def test_register_rejects_bad_id_numbers(client, id_number, code):
    """A wrong check digit, impossible birth date or bad shape is a 422 naming ``id_number``."""
    response = client.post("/api/v1/auth/register", json={
        "name": "李雷", "id_number": id_number, "phone": "13900000009", "password": "abc12345x"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert {"field": "id_number", "code": code} == {k: response.json["errors"][0][k] for k in ("field", "code")}


def test_register_refuses_mass_assignment_of_role(client):
    """A citizen cannot choose a role: unknown fields are a 422 and nothing is written."""
    first17 = "37020219850101001"
    response = client.post("/api/v1/auth/register", json={
        "name": "李雷", "id_number": first17 + resident_id_check_digit(first17), "phone": "13900000008",
        "password": "abc12345x", "role": "platform_admin"})
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "role", "code": "unknown_field", "message": "不允许的字段。"}]
    assert client.post("/api/v1/auth/login", json={"username": "13900000008", "password": "abc12345x"}
                       ).status_code == 401


@pytest.mark.parametrize("password", ["short1", "onlyletters", "1234567890", "x1" * 70])
def test_register_enforces_password_policy(client, password):
    """Weak passwords are refused with ``weak_password`` on the password field."""
    first17 = "37020219850101002"
    response = client.post("/api/v1/auth/register", json={
        "name": "李雷", "id_number": first17 + resident_id_check_digit(first17), "phone": "13900000007",
        "password": password})
    assert response.status_code == 422
    error = response.json["errors"][0]
    assert (error["field"], error["code"]) == ("password", "weak_password")


@pytest.mark.parametrize("password", ["Pw13900000006", "pw{id}", "pw{id_lower}"])
def test_a_password_holding_the_phone_or_id_number_has_its_own_message(client, password):
    """A password containing the phone or ID number (either case of its X) is refused as such, not as weak."""
    first17 = "37020219850101005"  # check character X
    id_number = first17 + resident_id_check_digit(first17)
    response = client.post("/api/v1/auth/register", headers={"Accept-Language": "en"}, json={
        "name": "李雷", "id_number": id_number, "phone": "13900000006",
        "password": password.format(id=id_number, id_lower=id_number.lower())})
    assert response.status_code == 422
    assert response.json["errors"] == [{
        "field": "password", "code": "password_contains_identifier",
        "message": "The field 'password' must not contain your phone number or ID number."}]


def test_a_weak_password_is_reported_with_the_other_field_errors(client):
    """The password policy is checked with the other fields, so one answer lists every problem of a sign-up."""
    response = client.post("/api/v1/auth/register", json={
        "name": "李雷", "id_number": "1", "phone": "2", "password": "short"})
    assert {(e["field"], e["code"]) for e in response.json["errors"]} == {
        ("id_number", "format"), ("phone", "format"), ("password", "weak_password")}


def test_registering_a_known_id_number_or_phone_answers_like_a_new_one(client, auth):
    """Finding 2: no ``taken`` oracle. The answer has the same status and shape; only the phone hears the difference."""
    citizen = auth.register()
    first17 = "37020219850101003"
    fresh_id = first17 + resident_id_check_digit(first17)
    answers = [client.post("/api/v1/auth/register", json={
        "name": "王五", "id_number": id_number, "phone": phone, "password": "abc12345x"})
        for id_number, phone in ((citizen.id_number, "13700000001"), (fresh_id, "13700000002"),
                                 (fresh_id, citizen.phone))]
    assert [a.status_code for a in answers] == [202, 202, 202]
    assert len({tuple(sorted(a.json)) for a in answers}) == 1
    assert {a.json["expires_in"] for a in answers} == {300}
    assert "验证码" in auth.last_text("13700000002")
    assert "已注册" in auth.last_text(citizen.phone) and "验证码" not in auth.last_text(citizen.phone)


@pytest.mark.parametrize("which", ["phone", "id_number", "id_number_lower_x"])
def test_login_by_phone_or_id_number(auth, which):
    """Citizens sign in with their phone number or their resident ID number."""
    citizen = auth.register(id_number="11010519491231002X")
    username = {"phone": citizen.phone, "id_number": citizen.id_number,
                "id_number_lower_x": citizen.id_number.lower()}[which]
    response = auth.login(username, citizen.password)
    assert response.status_code == 200
    assert response.json["token_type"] == "Bearer" and response.json["expires_in"] == 900


def test_wrong_password_and_unknown_account_answer_alike(auth):
    """Bad credentials do not reveal whether the account exists."""
    citizen = auth.register()
    wrong = auth.login(citizen.phone, "nope12345")
    unknown = auth.login("13000000000", "nope12345")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["code"] == unknown.json["code"] == "bad_credentials"


def test_staff_login_by_username_carries_role(client, auth):
    """Staff created by the CLI sign in with a username and see their scope."""
    headers = auth.staff("dept_admin", "police_admin", department_code="police")
    me = client.get("/api/v1/me", headers=headers).json
    assert me["role"] == "dept_admin" and me["department_code"] == "police"


def test_refresh_rotates_and_reuse_revokes_the_family(client, auth):
    """Each refresh token works once; replaying one kills every token of that sign-in."""
    citizen = auth.register()
    first = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {citizen.refresh_token}"})
    assert first.status_code == 200
    new_access, new_refresh = first.json["access_token"], first.json["refresh_token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new_access}"}).status_code == 200

    replay = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {citizen.refresh_token}"})
    assert replay.status_code == 401 and replay.json["code"] == "token_reused"
    for token in (new_access, citizen.access_token):
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["code"] == "token_revoked"
    assert client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {new_refresh}"}
                       ).status_code == 401


def test_refreshed_access_token_is_not_fresh(app, client, auth):
    """Only a password login yields a fresh token (needed to see full numbers later)."""
    citizen = auth.register()
    refreshed = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {citizen.refresh_token}"})
    with app.app_context():
        from flask_jwt_extended import decode_token

        assert decode_token(citizen.access_token)["fresh"] is True
        assert decode_token(refreshed.json["access_token"])["fresh"] is False


def test_logout_revokes_access_and_refresh(client, auth):
    """After logout neither the access token nor its refresh token works."""
    citizen = auth.register()
    assert client.post("/api/v1/auth/logout", headers=citizen.headers).status_code == 204
    assert client.get("/api/v1/me", headers=citizen.headers).json["code"] == "token_revoked"
    refresh = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {citizen.refresh_token}"})
    assert refresh.status_code == 401


def test_logout_on_one_node_is_seen_by_another(make_app, auth):
    """The blocklist is shared: a second app instance on the same store refuses the revoked token."""
    citizen = auth.register()
    other = make_app().test_client()
    assert other.get("/api/v1/me", headers=citizen.headers).status_code == 200
    assert auth.client.post("/api/v1/auth/logout", headers=citizen.headers).status_code == 204
    assert other.get("/api/v1/me", headers=citizen.headers).status_code == 401


def _forge(app, kind, subject):
    """Build a token that must be refused, of the given kind."""
    secret = app.config["JWT_SECRET_KEY"]
    now = dt.datetime.now(dt.timezone.utc)
    base = {"sub": subject, "iss": "zwt", "type": "access", "jti": "x" * 32, "fresh": False,
            "iat": now, "nbf": now, "exp": now + dt.timedelta(minutes=5), "role": "platform_admin"}
    if kind == "alg_none":
        return pyjwt.encode(base, key=None, algorithm="none")
    if kind in {"alg_hs384", "alg_hs512"}:  # the right secret under an algorithm the service does not accept
        return pyjwt.encode(base, secret, algorithm=kind[4:].upper())
    if kind == "alg_rs256":  # an asymmetric algorithm with the attacker's own key in place of the secret
        from cryptography.hazmat.primitives.asymmetric import rsa

        return pyjwt.encode(base, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256")
    if kind == "alg_confused":  # RS256 in the header, HMAC-signed with the secret (key confusion)
        header = pyjwt.utils.base64url_encode(b'{"alg":"RS256","typ":"JWT"}').decode()
        hs = pyjwt.encode(base, secret, algorithm="HS256").split(".")
        return f"{header}.{hs[1]}.{hs[2]}"
    if kind == "wrong_signature":
        return pyjwt.encode(base, "not-the-secret-" * 4, algorithm="HS256")
    if kind == "tampered_role":
        with app.app_context():
            good = create_access_token(identity=subject)
        header, payload, sig = good.split(".")
        forged = pyjwt.encode(base, "x" * 64, algorithm="HS256").split(".")[1]
        return f"{header}.{forged}.{sig}"
    if kind == "expired":
        with app.app_context():
            return create_access_token(identity=subject, expires_delta=dt.timedelta(seconds=-30))
    if kind == "refresh_as_access":
        with app.app_context():
            return create_refresh_token(identity=subject)
    if kind == "wrong_issuer":
        return pyjwt.encode(base | {"iss": "someone-else"}, secret, algorithm="HS256")
    if kind == "unknown_subject":
        return pyjwt.encode(base | {"sub": "u_nobody"}, secret, algorithm="HS256")
    if kind == "garbage":
        return "not.a.jwt"
    raise AssertionError(kind)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the HS512 forgery's key
@pytest.mark.parametrize("kind", ["alg_none", "alg_hs384", "alg_hs512", "alg_rs256", "alg_confused",
                                  "wrong_signature", "tampered_role", "expired",
                                  "refresh_as_access", "wrong_issuer", "unknown_subject", "garbage"])
def test_forged_tokens_get_401(app, client, auth, kind):
    """Every kind of bad token is a 401 problem, never flask-jwt-extended's default 422."""
    citizen = auth.register()
    token = _forge(app, kind, citizen.subject)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header, code", [(None, "unauthorized"), ("Basic abc", "unauthorized"),
                                          ("Bearer", "token_invalid"), ("Bearer  ", "token_invalid"),
                                          ("Bearer a b", "token_invalid")])
def test_missing_or_malformed_authorization_is_401(client, header, code):
    """No token, or an Authorization header of the wrong shape, is a 401 problem naming which."""
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json["status"] == 401 and response.json["code"] == code
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_auth_scheme_is_case_insensitive(client, auth):
    """RFC 9110 auth schemes ignore case: ``bearer <token>`` is the same as ``Bearer <token>``."""
    citizen = auth.register()
    response = client.get("/api/v1/me", headers={"Authorization": f"bearer {citizen.access_token}"})
    assert response.status_code == 200 and response.json["subject"] == citizen.subject


def test_the_api_keeps_no_cookie_session(app, client, auth):
    """Clients sign in by bearer token only: no response sets a cookie, and writing Flask's session fails loudly."""
    citizen = auth.register()
    assert "Set-Cookie" not in client.get("/api/v1/me", headers=citizen.headers).headers
    from flask import session

    with app.test_request_context("/"), pytest.raises(RuntimeError):
        session["account"] = citizen.subject


def _set_account(app, subject, **values):
    """Change an account's row directly, as an operator's tool would (there is no route for it)."""
    from zwt.db import session
    from zwt.models import Account

    with app.app_context():
        account = session().query(Account).filter_by(subject=subject).one()
        for name, value in values.items():
            setattr(account, name, value)
        session().commit()


def test_a_demoted_admins_old_token_stops_working_on_its_next_request(app, client, auth):
    """The role a token was issued for must still be the account's: after a demotion every route refuses it,
    the ones the new role could call included, until the person signs in again."""
    headers = auth.staff("platform_admin", "boss")
    assert client.get("/api/v1/admin/services", headers=headers).status_code == 200
    subject = client.get("/api/v1/me", headers=headers).json["subject"]
    _set_account(app, subject, role="dept_admin", department_code="police")
    for path in ("/api/v1/admin/services", "/api/v1/me"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401 and response.json["code"] == "token_revoked", path
    again = auth.login("boss", "Staff2026ok").json["access_token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {again}"}).json["role"] == "dept_admin"


def test_a_disabled_accounts_tokens_stop_working_on_their_next_request(app, client, auth):
    """Access and refresh tokens both die with the account."""
    citizen = auth.register()
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200
    _set_account(app, citizen.subject, status="disabled")
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 401
    refreshed = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {citizen.refresh_token}"})
    assert refreshed.status_code == 401


def test_tokens_from_before_a_password_change_stop_working(client, auth):
    """Changing the password ends every other sign-in: its access and refresh tokens get 401 at once; the
    session that changed it goes on."""
    citizen = auth.register()
    other = auth.login(citizen.phone, citizen.password).json
    changed = client.post("/api/v1/me/password", headers=citizen.headers,
                          json={"current_password": citizen.password, "new_password": "Another2026ok"})
    assert changed.status_code == 200, changed.json
    old = {"Authorization": f"Bearer {other['access_token']}"}
    assert client.get("/api/v1/me", headers=old).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       headers={"Authorization": f"Bearer {other['refresh_token']}"}).status_code == 401
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 200


def test_tokens_from_before_a_password_reset_stop_working(client, auth):
    """A reset by SMS code (the phone's owner, not the signed-in device) ends every sign-in."""
    citizen = auth.register()
    started = client.post("/api/v1/auth/password-reset", json={"username": citizen.phone})
    assert started.status_code == 202, started.json
    done = client.post("/api/v1/auth/password-reset/confirm", json={
        "challenge_id": started.json["challenge_id"], "code": auth.code(citizen.phone),
        "new_password": "Another2026ok"})
    assert done.status_code in (200, 204), done.json
    assert client.get("/api/v1/me", headers=citizen.headers).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       headers={"Authorization": f"Bearer {citizen.refresh_token}"}).status_code == 401
