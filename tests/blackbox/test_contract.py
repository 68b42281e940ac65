"""The HTTP contract (docs/contract.md), route by route, against a running service.

Every assertion here is the same for every stack: a test that fails for one stack only is
a bug in that stack's template.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import httpx
import jwt
import pytest

from tests.blackbox.helpers import (
    PASSWORD,
    UUID_RE,
    Member,
    assert_invalid,
    assert_item,
    assert_page,
    assert_problem,
    assert_timestamp,
    assert_user,
    bearer,
    every_entry,
    login,
    new_user,
    register,
    unique_email,
)
from tests.blackbox.services import ALLOWED_ORIGIN, Service

# Every route of the contract, with path parameters written as `{}`.
ROUTES = {
    ("get", "/health"),
    ("get", "/health/ready"),
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/users/me"),
    ("patch", "/api/v1/users/me"),
    ("post", "/api/v1/users/me/password"),
    ("get", "/api/v1/users"),
    ("get", "/api/v1/users/{}"),
    ("patch", "/api/v1/users/{}"),
    ("delete", "/api/v1/users/{}"),
    ("post", "/api/v1/items"),
    ("get", "/api/v1/items"),
    ("get", "/api/v1/items/{}"),
    ("patch", "/api/v1/items/{}"),
    ("delete", "/api/v1/items/{}"),
}


# --- health, docs, every-response headers -------------------------------------------------


def test_health(http: httpx.Client) -> None:
    response = http.get("/health")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_ready(http: httpx.Client) -> None:
    response = http.get("/health/ready")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_unknown_route_is_a_404_problem(http: httpx.Client) -> None:
    assert_problem(http.get("/no/such/route"), 404)
    assert_problem(http.get("/api/v1/nothing-here"), 404)


def test_wrong_method_is_a_405_problem(http: httpx.Client) -> None:
    assert_problem(http.delete("/health"), 405)
    assert_problem(http.put("/api/v1/items"), 405)


def test_openapi_documents_every_route_and_the_password_flow(http: httpx.Client) -> None:
    response = http.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    documented = {
        (method, re.sub(r"\{[^}]+\}", "{}", path))
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    missing = {r for r in ROUTES - documented if not r[1].startswith("/health")}
    assert not missing, f"undocumented routes: {sorted(missing)}"
    flows = [
        scheme["flows"]["password"]
        for scheme in document["components"]["securitySchemes"].values()
        if scheme.get("type") == "oauth2" and "password" in scheme.get("flows", {})
    ]
    assert flows, document["components"]["securitySchemes"]
    assert flows[0]["tokenUrl"] == "/api/v1/auth/login"


def test_openapi_documents_the_login_form_of_the_password_grant(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    body = document["paths"]["/api/v1/auth/login"]["post"]["requestBody"]
    schema = body["content"]["application/x-www-form-urlencoded"]["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    properties = schema["properties"]
    fields = {"grant_type", "username", "password", "scope", "client_id", "client_secret"}
    assert set(properties) == fields, properties
    assert set(schema["required"]) == {"username", "password"}, schema
    # A field may be documented as a string or as a choice between a string and null.
    strings = {
        name: [s for s in field.get("anyOf", [field]) if s.get("type") == "string"]
        for name, field in properties.items()
    }
    assert all(strings.values()), properties
    assert [s.get("pattern") for s in strings["grant_type"]] == ["^password$"], properties


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_use_only_local_assets(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    remote = re.findall(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""", html)
    assert not remote, f"{path} loads remote assets: {remote}"
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"'#]+\.(?:js|css))""", html)
    assert assets, f"{path} references no script or stylesheet"
    for asset in assets:
        served = http.get(httpx.URL(path).join(asset).path)
        assert served.status_code == 200, asset
        assert len(served.content) > 500, f"{asset} is not the real script or stylesheet"


def test_request_id_is_echoed_when_safe_and_replaced_otherwise(
    http: httpx.Client, service: Service
) -> None:
    safe = f"trace-{uuid.uuid4().hex}:1.2_x"
    assert http.get("/health", headers={"X-Request-ID": safe}).headers["x-request-id"] == safe
    for unsafe in ("has space", "x" * 129, "semi;colon", "é", ""):
        got = http.get("/health", headers={"X-Request-ID": unsafe.encode()})
        new_id = got.headers["x-request-id"]
        assert uuid.UUID(new_id).version == 4, new_id
    generated = http.get("/api/v1/users/me").headers["x-request-id"]
    assert uuid.UUID(generated).version == 4
    # Each request's id is in its (JSON) log line.
    lines = service.json_log(wait_for=generated)
    for line in lines:
        assert {"time", "level", "message"} <= set(line), line
    assert any(line.get("request_id") == safe for line in lines), lines[-5:]
    assert any(line.get("request_id") == generated for line in lines), lines[-5:]


def test_access_log_line_per_request(http: httpx.Client, service: Service) -> None:
    request_id = f"access-{uuid.uuid4().hex}"
    http.get("/api/v1/items", headers={"X-Request-ID": request_id})
    lines = service.json_log(wait_for=request_id)
    mine = [line for line in lines if line.get("request_id") == request_id]
    access = [line for line in mine if {"method", "path", "status", "duration_ms"} <= set(line)]
    assert len(access) == 1, mine
    assert (access[0]["method"], access[0]["path"], access[0]["status"]) == (
        "GET",
        "/api/v1/items",
        401,
    )


def test_cors_only_for_listed_origins(http: httpx.Client) -> None:
    allowed = http.get("/health", headers={"Origin": ALLOWED_ORIGIN})
    assert allowed.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN
    preflight = http.options(
        "/api/v1/items",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code in (200, 204), preflight.text
    assert preflight.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN
    allowed_headers = preflight.headers.get("access-control-allow-headers", "").lower()
    assert "authorization" in allowed_headers or allowed_headers == "*"
    # Every method the API uses can be called from the allowed origin.
    for method in ("GET", "POST", "PATCH", "DELETE"):
        check = http.options(
            "/api/v1/items/00000000-0000-4000-8000-000000000000",
            headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": method},
        )
        assert check.status_code in (200, 204), check.text
        assert check.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN
        methods = check.headers.get("access-control-allow-methods", "").upper()
        assert method in re.split(r"\s*,\s*", methods) or methods == "*", (method, methods)

    other = "https://evil.example"
    assert (
        "access-control-allow-origin" not in http.get("/health", headers={"Origin": other}).headers
    )
    refused = http.options(
        "/api/v1/items",
        headers={"Origin": other, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in refused.headers


# --- registration -------------------------------------------------------------------------


def test_register_returns_the_user_with_a_lower_cased_email(http: httpx.Client) -> None:
    email = unique_email("Mixed.Case")
    response = http.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "full_name": "Ada Lovelace"},
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    user = response.json()
    assert_user(user)
    assert user["email"] == email.lower()
    assert (user["full_name"], user["role"], user["is_active"]) == ("Ada Lovelace", "user", True)
    assert "password" not in response.text.lower() and "$argon2" not in response.text


def test_register_without_full_name(http: httpx.Client) -> None:
    user = register(http)
    assert_user(user)
    assert user["full_name"] is None


def test_register_taken_email_is_409(http: httpx.Client) -> None:
    email = unique_email()
    register(http, email=email)
    again = http.post("/api/v1/auth/register", json={"email": email.upper(), "password": PASSWORD})
    assert_problem(again, 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "email"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "a@example.com"}, "password"),
        ({"email": "a@example.com", "password": "short77"}, "password"),
        ({"email": "a@example.com", "password": "x" * 129}, "password"),
        ({"email": "a@example.com", "password": 12345678}, "password"),
        ({"email": "a@example.com", "password": PASSWORD, "full_name": 5}, "full_name"),
    ],
)
def test_register_validation(http: httpx.Client, body: dict[str, Any], field: str) -> None:
    assert_invalid(http.post("/api/v1/auth/register", json=body), "body", field)


def test_register_password_length_bounds_are_inclusive(http: httpx.Client) -> None:
    for password in ("x" * 8, "y" * 128):
        response = http.post(
            "/api/v1/auth/register", json={"email": unique_email(), "password": password}
        )
        assert response.status_code == 201, response.text


def test_unknown_field_is_refused_never_applied(http: httpx.Client) -> None:
    email = unique_email("would.be.admin")
    response = http.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "role": "admin"}
    )
    assert_invalid(response, "body", "role", "Unknown field")
    # Nothing was created.
    assert_problem(
        http.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD}), 401
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "Must be an object"),
        (b'"text"', "Must be an object"),
        (b"42", "Must be an object"),
        (b"null", "Must not be null"),
    ],
)
def test_json_body_that_is_not_an_object(http: httpx.Client, body: bytes, message: str) -> None:
    response = http.post(
        "/api/v1/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    assert_invalid(response, "body", "", message)


def test_missing_body_is_422(http: httpx.Client) -> None:
    response = http.post("/api/v1/auth/register", headers={"Content-Type": "application/json"})
    assert_invalid(response, "body", "", "Field required")


def test_malformed_json_is_400(http: httpx.Client) -> None:
    response = http.post(
        "/api/v1/auth/register",
        content=b'{"email": "a@example.com", ',
        headers={"Content-Type": "application/json"},
    )
    assert assert_problem(response, 400)["detail"] == "The request body is not valid JSON."


def test_json_route_with_another_content_type_is_415(http: httpx.Client) -> None:
    body = json.dumps({"email": unique_email(), "password": PASSWORD})
    response = http.post(
        "/api/v1/auth/register", content=body, headers={"Content-Type": "text/plain"}
    )
    detail = assert_problem(response, 415)["detail"]
    assert detail == "The request body must be sent as application/json."


def test_body_over_one_mebibyte_is_413(http: httpx.Client) -> None:
    body = json.dumps({"email": unique_email(), "password": PASSWORD, "full_name": "x" * 1_100_000})
    response = http.post(
        "/api/v1/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    assert assert_problem(response, 413)["detail"] == "The request body is larger than 1 MiB."


# --- login and tokens ---------------------------------------------------------------------


def test_login_issues_hs256_tokens_signed_with_the_configured_secret(
    http: httpx.Client, service: Service
) -> None:
    user, tokens = new_user(http)
    assert set(tokens) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 900
    for kind in ("access", "refresh"):
        token = tokens[f"{kind}_token"]
        assert jwt.get_unverified_header(token)["alg"] == "HS256"
        claims = jwt.decode(token, service.jwt_secret, algorithms=["HS256"])
        assert claims["sub"] == user["id"] and claims["type"] == kind, claims
        assert {"exp", "iat", "jti"} <= set(claims), claims
    access = jwt.decode(tokens["access_token"], service.jwt_secret, algorithms=["HS256"])
    assert access["exp"] - access["iat"] == 900


def test_login_with_the_email_in_another_case(http: httpx.Client) -> None:
    user = register(http)
    login(http, user["email"].upper())


def test_login_failures_share_one_message(http: httpx.Client) -> None:
    user = register(http)
    wrong = http.post(
        "/api/v1/auth/login", data={"username": user["email"], "password": "wrong-password"}
    )
    unknown = http.post(
        "/api/v1/auth/login", data={"username": unique_email("nobody"), "password": PASSWORD}
    )
    assert assert_problem(wrong, 401)["detail"] == "Incorrect email or password."
    assert assert_problem(unknown, 401)["detail"] == "Incorrect email or password."


def test_login_missing_field_is_422(http: httpx.Client) -> None:
    response = http.post("/api/v1/auth/login", data={"username": "someone@example.com"})
    assert_invalid(response, "body", "password", "Field required")


# What Swagger UI's Authorize dialog and OAuth2 clients send besides the credentials
# (RFC 6749 section 4.3.2); empty parameters count as omitted, unknown ones are ignored
# (section 3.2).
@pytest.mark.parametrize(
    "parameters",
    [
        {
            "grant_type": "password",
            "scope": "items:read me",
            "client_id": "docs",
            "client_secret": "s3cret",
        },
        {"grant_type": "password", "scope": "", "client_id": "", "client_secret": ""},
        {"grant_type": ""},
        {"audience": "https://api.example"},
    ],
    ids=["filled", "empty", "empty-grant-type", "unknown"],
)
def test_login_accepts_the_oauth2_token_request_parameters(
    http: httpx.Client, parameters: dict[str, str]
) -> None:
    user = register(http)
    response = http.post(
        "/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD, **parameters}
    )
    assert response.status_code == 200, response.text
    me = http.get("/api/v1/users/me", headers=bearer(response.json()["access_token"]))
    assert me.json() == user


@pytest.mark.parametrize("grant_type", ["client_credentials", "PASSWORD"])
def test_login_refuses_another_grant_type_alike_in_every_stack(
    http: httpx.Client, grant_type: str
) -> None:
    user = register(http)
    response = http.post(
        "/api/v1/auth/login",
        data={"username": user["email"], "password": PASSWORD, "grant_type": grant_type},
    )
    assert assert_invalid(response, "body", "grant_type") == {
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "The request is not valid; see errors.",
        "errors": [
            {
                "location": "body",
                "field": "grant_type",
                "message": "Must be 'password'",
            }
        ],
    }


def test_inactive_user_login_is_403_after_the_password_check(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    user = register(http)
    deactivated = http.patch(
        f"/api/v1/users/{user['id']}", json={"is_active": False}, headers=admin
    )
    assert deactivated.status_code == 200, deactivated.text
    assert deactivated.json()["is_active"] is False
    good = http.post("/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD})
    assert_problem(good, 403)
    bad = http.post("/api/v1/auth/login", data={"username": user["email"], "password": "nope-nope"})
    assert_problem(bad, 401)


def test_refresh_rotates_and_the_old_token_is_single_use(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    first = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert first.status_code == 200, first.text
    pair = first.json()
    assert set(pair) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert pair["refresh_token"] != tokens["refresh_token"]
    assert http.get("/api/v1/users/me", headers=bearer(pair["access_token"])).status_code == 200
    reused = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(reused, 401)
    second = http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert second.status_code == 200, second.text


def test_refresh_refuses_access_tokens_and_garbage(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    for token in (tokens["access_token"], "not.a.jwt", "a.b.c"):
        assert_problem(http.post("/api/v1/auth/refresh", json={"refresh_token": token}), 401)


def test_refresh_validation(http: httpx.Client) -> None:
    missing = http.post("/api/v1/auth/refresh", json={})
    assert_invalid(missing, "body", "refresh_token", "Field required")
    extra = http.post("/api/v1/auth/refresh", json={"refresh_token": "x", "sub": "admin"})
    assert_invalid(extra, "body", "sub", "Unknown field")


def test_logout_revokes_the_refresh_token(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    body = {"refresh_token": tokens["refresh_token"]}
    assert_problem(http.post("/api/v1/auth/logout", json=body), 401)  # no access token
    auth = bearer(tokens["access_token"])
    response = http.post("/api/v1/auth/logout", json=body, headers=auth)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert_problem(http.post("/api/v1/auth/refresh", json=body), 401)
    assert_problem(http.post("/api/v1/auth/logout", json=body, headers=auth), 401)


def test_logout_with_someone_elses_refresh_token_is_401(http: httpx.Client) -> None:
    _, mine = new_user(http)
    _, theirs = new_user(http)
    response = http.post(
        "/api/v1/auth/logout",
        json={"refresh_token": theirs["refresh_token"]},
        headers=bearer(mine["access_token"]),
    )
    assert_problem(response, 401)
    still = http.post("/api/v1/auth/refresh", json={"refresh_token": theirs["refresh_token"]})
    assert still.status_code == 200, still.text


def test_logout_with_an_access_token_as_refresh_token_is_401(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    response = http.post(
        "/api/v1/auth/logout",
        json={"refresh_token": tokens["access_token"]},
        headers=bearer(tokens["access_token"]),
    )
    assert_problem(response, 401)


# --- the signed-in user ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["none", "garbage", "basic"],
)
def test_me_needs_a_bearer_token(http: httpx.Client, headers: dict[str, str]) -> None:
    assert_problem(http.get("/api/v1/users/me", headers=headers), 401)


def test_me(http: httpx.Client) -> None:
    user, tokens = new_user(http, full_name="Grace Hopper")
    response = http.get("/api/v1/users/me", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.json() == user


def test_update_me(http: httpx.Client) -> None:
    user, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    email = unique_email("Renamed")
    response = http.patch(
        "/api/v1/users/me", json={"full_name": "New Name", "email": email}, headers=auth
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert_user(updated)
    assert (updated["full_name"], updated["email"], updated["id"]) == (
        "New Name",
        email.lower(),
        user["id"],
    )
    assert http.get("/api/v1/users/me", headers=auth).json() == updated
    login(http, email)


def test_update_me_to_a_taken_email_is_409(http: httpx.Client) -> None:
    other = register(http)
    _, tokens = new_user(http)
    response = http.patch(
        "/api/v1/users/me",
        json={"email": other["email"]},
        headers=bearer(tokens["access_token"]),
    )
    assert_problem(response, 409)


def test_update_me_cannot_grant_a_role(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    for body, field in (({"role": "admin"}, "role"), ({"is_active": False}, "is_active")):
        response = http.patch("/api/v1/users/me", json=body, headers=auth)
        assert_invalid(response, "body", field, "Unknown field")
    me = http.get("/api/v1/users/me", headers=auth).json()
    assert (me["role"], me["is_active"]) == ("user", True)
    assert_invalid(
        http.patch("/api/v1/users/me", json={"email": "nope"}, headers=auth), "body", "email"
    )


def test_change_password(http: httpx.Client) -> None:
    user, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    wrong = http.post(
        "/api/v1/users/me/password",
        json={"current_password": "not-the-password", "new_password": "another password"},
        headers=auth,
    )
    assert_problem(wrong, 400)
    short = http.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=auth,
    )
    assert_invalid(short, "body", "new_password", "Must be at least 8 characters")
    done = http.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "another password"},
        headers=auth,
    )
    assert done.status_code == 204, done.text
    old = http.post("/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD})
    assert_problem(old, 401)
    # A password change signs the user out everywhere: older refresh tokens are revoked.
    stale = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(stale, 401)
    login(http, user["email"], "another password")


# --- administration -------------------------------------------------------------------------


def test_first_admin_exists_once(
    http: httpx.Client, service: Service, admin: dict[str, str]
) -> None:
    me = http.get("/api/v1/users/me", headers=admin).json()
    assert (me["email"], me["role"], me["is_active"]) == (service.admin_email, "admin", True)
    emails = [u["email"] for u in every_entry(http, "/api/v1/users", admin)]
    assert emails.count(service.admin_email) == 1


def test_admin_routes_are_403_for_users(http: httpx.Client) -> None:
    other = register(http)
    _, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    for method, path, body in (
        ("GET", "/api/v1/users", None),
        ("GET", f"/api/v1/users/{other['id']}", None),
        ("PATCH", f"/api/v1/users/{other['id']}", {"role": "admin"}),
        ("DELETE", f"/api/v1/users/{other['id']}", None),
    ):
        assert_problem(http.request(method, path, json=body, headers=auth), 403)
    assert_problem(http.get("/api/v1/users"), 401)


def test_list_users_pagination(http: httpx.Client, admin: dict[str, str]) -> None:
    for _ in range(3):
        register(http)
    default = http.get("/api/v1/users", headers=admin)
    assert default.status_code == 200
    page = default.json()
    users = assert_page(page, 20, 0)
    assert page["total"] >= 4
    for user in users:
        assert_user(user)
    two = assert_page(http.get("/api/v1/users?limit=2&offset=1", headers=admin).json(), 2, 1)
    assert [u["id"] for u in two] == [u["id"] for u in users[1:3]]
    assert_page(http.get("/api/v1/users?limit=100", headers=admin).json(), 100, 0)
    beyond = http.get(f"/api/v1/users?offset={page['total']}", headers=admin).json()
    assert beyond["items"] == [] and beyond["total"] == page["total"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
    ],
)
@pytest.mark.parametrize("resource", ["users", "items"])
def test_pagination_bounds(
    http: httpx.Client, admin: dict[str, str], resource: str, query: str, field: str
) -> None:
    assert_invalid(http.get(f"/api/v1/{resource}?{query}", headers=admin), "query", field)


def test_admin_reads_and_updates_a_user(http: httpx.Client, admin: dict[str, str]) -> None:
    user = register(http, full_name="Before")
    got = http.get(f"/api/v1/users/{user['id']}", headers=admin)
    assert got.status_code == 200 and got.json() == user
    response = http.patch(
        f"/api/v1/users/{user['id']}",
        json={"full_name": "After", "role": "admin", "is_active": True},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert_user(updated)
    assert (updated["full_name"], updated["role"], updated["email"]) == (
        "After",
        "admin",
        user["email"],
    )
    # The promoted user now passes the admin check.
    promoted = bearer(login(http, user["email"])["access_token"])
    assert http.get("/api/v1/users", headers=promoted).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "root"}, "role"),
        ({"is_active": "sometimes"}, "is_active"),
        ({"email": "x@example.com"}, "email"),
        ({"password": "new password"}, "password"),
    ],
)
def test_admin_update_validation(
    http: httpx.Client, admin: dict[str, str], body: dict[str, Any], field: str
) -> None:
    user = register(http)
    assert_invalid(
        http.patch(f"/api/v1/users/{user['id']}", json=body, headers=admin), "body", field
    )


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_absent_user_is_404_and_bad_id_is_422(
    http: httpx.Client, admin: dict[str, str], method: str
) -> None:
    body = {"full_name": "x"} if method == "PATCH" else None
    absent = http.request(method, f"/api/v1/users/{uuid.uuid4()}", json=body, headers=admin)
    assert_problem(absent, 404)
    bad = http.request(method, "/api/v1/users/not-a-uuid", json=body, headers=admin)
    assert_invalid(bad, "path", "id", "Must be a valid UUID")


def test_deleting_a_user_deletes_their_items_and_tokens(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    user, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    item = http.post("/api/v1/items", json={"title": "doomed"}, headers=auth).json()
    response = http.delete(f"/api/v1/users/{user['id']}", headers=admin)
    assert response.status_code == 204 and response.content == b""
    assert_problem(http.get(f"/api/v1/users/{user['id']}", headers=admin), 404)
    assert_problem(http.get(f"/api/v1/items/{item['id']}", headers=admin), 404)
    assert_problem(http.get("/api/v1/users/me", headers=auth), 401)
    assert_problem(
        http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401
    )
    assert_problem(
        http.post("/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD}),
        401,
    )
    # The email is free again.
    register(http, email=user["email"])


# --- items ------------------------------------------------------------------------------------


def test_item_lifecycle(http: httpx.Client) -> None:
    user, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    created = http.post("/api/v1/items", json={"title": "Write tests"}, headers=auth)
    assert created.status_code == 201, created.text
    item = created.json()
    assert_item(item)
    assert (item["title"], item["description"], item["owner_id"]) == (
        "Write tests",
        None,
        user["id"],
    )
    assert http.get(f"/api/v1/items/{item['id']}", headers=auth).json() == item

    patched = http.patch(
        f"/api/v1/items/{item['id']}", json={"description": "all of them"}, headers=auth
    )
    assert patched.status_code == 200, patched.text
    updated = patched.json()
    assert_item(updated)
    assert (updated["title"], updated["description"]) == ("Write tests", "all of them")
    assert updated["created_at"] == item["created_at"]
    assert assert_timestamp(updated["updated_at"]) >= assert_timestamp(item["updated_at"])

    deleted = http.delete(f"/api/v1/items/{item['id']}", headers=auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert_problem(http.get(f"/api/v1/items/{item['id']}", headers=auth), 404)
    assert_problem(http.delete(f"/api/v1/items/{item['id']}", headers=auth), 404)


def test_items_need_a_user(http: httpx.Client) -> None:
    assert_problem(http.get("/api/v1/items"), 401)
    assert_problem(http.post("/api/v1/items", json={"title": "x"}), 401)
    assert_problem(http.get(f"/api/v1/items/{uuid.uuid4()}"), 401)


def test_another_users_item_is_404_never_403(http: httpx.Client) -> None:
    _, owner = new_user(http)
    _, intruder = new_user(http)
    item = http.post(
        "/api/v1/items", json={"title": "private"}, headers=bearer(owner["access_token"])
    ).json()
    auth = bearer(intruder["access_token"])
    assert_problem(http.get(f"/api/v1/items/{item['id']}", headers=auth), 404)
    assert_problem(
        http.patch(f"/api/v1/items/{item['id']}", json={"title": "x"}, headers=auth), 404
    )
    assert_problem(http.delete(f"/api/v1/items/{item['id']}", headers=auth), 404)
    assert http.get("/api/v1/items", headers=auth).json()["total"] == 0
    still = http.get(f"/api/v1/items/{item['id']}", headers=bearer(owner["access_token"]))
    assert still.json()["title"] == "private"


def test_items_list_own_items_newest_first_and_admin_sees_all(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    _, tokens = new_user(http)
    _, other = new_user(http)
    auth = bearer(tokens["access_token"])
    titles = [f"item {n}" for n in range(3)]
    ids = [http.post("/api/v1/items", json={"title": t}, headers=auth).json()["id"] for t in titles]
    http.post("/api/v1/items", json={"title": "not mine"}, headers=bearer(other["access_token"]))
    page = http.get("/api/v1/items", headers=auth).json()
    items = assert_page(page, 20, 0)
    assert page["total"] == 3
    assert {i["id"] for i in items} == set(ids)
    for item in items:
        assert_item(item)
    first_two = assert_page(http.get("/api/v1/items?limit=2", headers=auth).json(), 2, 0)
    last = assert_page(http.get("/api/v1/items?limit=2&offset=2", headers=auth).json(), 2, 2)
    assert [i["id"] for i in first_two + last] == [i["id"] for i in items]

    everything = {i["id"] for i in every_entry(http, "/api/v1/items", admin)}
    assert set(ids) <= everything and len(everything) >= 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": 7}, "title"),
        ({"title": "ok", "description": "d" * 2001}, "description"),
        ({"title": "ok", "owner_id": str(uuid.uuid4())}, "owner_id"),
    ],
)
def test_item_validation(
    member: Member, http: httpx.Client, body: dict[str, Any], field: str
) -> None:
    response = http.post("/api/v1/items", json=body, headers=member.auth)
    assert_invalid(response, "body", field)


def test_item_length_bounds_are_inclusive(member: Member, http: httpx.Client) -> None:
    body = {"title": "t" * 200, "description": "d" * 2000}
    response = http.post("/api/v1/items", json=body, headers=member.auth)
    assert response.status_code == 201, response.text
    assert response.json()["title"] == body["title"]


def test_item_update_validation(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    item = http.post("/api/v1/items", json={"title": "t"}, headers=auth).json()
    for body, field in (
        ({"title": ""}, "title"),
        ({"owner_id": str(uuid.uuid4())}, "owner_id"),
        ({"description": "d" * 2001}, "description"),
    ):
        assert_invalid(
            http.patch(f"/api/v1/items/{item['id']}", json=body, headers=auth), "body", field
        )
    assert http.get(f"/api/v1/items/{item['id']}", headers=auth).json() == item


def test_null_is_refused_where_a_field_cannot_be_null(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    user, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    item = http.post("/api/v1/items", json={"title": "t", "description": "d"}, headers=auth).json()
    for path, body, field, headers in (
        (f"/api/v1/items/{item['id']}", {"title": None}, "title", auth),
        ("/api/v1/users/me", {"email": None}, "email", auth),
        (f"/api/v1/users/{user['id']}", {"role": None}, "role", admin),
        (f"/api/v1/users/{user['id']}", {"is_active": None}, "is_active", admin),
    ):
        response = http.patch(path, json=body, headers=headers)
        assert_invalid(response, "body", field, "Must not be null")
    # Nullable fields may be cleared.
    cleared = http.patch(f"/api/v1/items/{item['id']}", json={"description": None}, headers=auth)
    assert cleared.status_code == 200 and cleared.json()["description"] is None, cleared.text
    me = http.patch("/api/v1/users/me", json={"full_name": None}, headers=auth)
    assert me.status_code == 200 and me.json()["full_name"] is None, me.text


@pytest.mark.parametrize("query", ["offset=1e308", "offset=2.5e%2B307", "limit=1e1", "limit=2.5"])
def test_numeric_but_not_integer_query_values_are_422(
    http: httpx.Client, admin: dict[str, str], query: str
) -> None:
    response = http.get(f"/api/v1/items?{query}", headers=admin)
    assert_invalid(response, "query", query.split("=")[0], "Must be an integer")


def test_malformed_percent_encoding_in_the_path_is_a_4xx_problem(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    response = http.get("/api/v1/items/%zz", headers=admin)
    assert response.status_code in (400, 404, 422), response.text
    assert_problem(response, response.status_code)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_bad_item_id_is_422(member: Member, http: httpx.Client, method: str) -> None:
    body = {"title": "x"} if method == "PATCH" else None
    response = http.request(method, "/api/v1/items/12345", json=body, headers=member.auth)
    assert_invalid(response, "path", "id", "Must be a valid UUID")


def test_user_shape_never_leaks_secrets(http: httpx.Client, admin: dict[str, str]) -> None:
    page = http.get("/api/v1/users?limit=100", headers=admin)
    assert "argon2" not in page.text and "password" not in page.text
    for user in page.json()["items"]:
        assert UUID_RE.match(user["id"])
