"""The same requests to FastAPI and NestJS side by side: their answers must be identical.

Each case below runs against both stacks (`stacks`: SQLite, and PostgreSQL with NestJS on
Express), each on a database of its own that saw the same requests before; every answer
is normalised (tests/blackbox/differential.py) and compared in full. A difference fails
the case and prints both answers side by side. docs/contract.md says what the answers
are; the other black-box modules check them against it on each stack.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
import pytest

from tests.blackbox.conftest import Stacks
from tests.blackbox.differential import Case, Side, run_case
from tests.blackbox.helpers import PASSWORD, bearer
from tests.blackbox.services import ALLOWED_ORIGIN

CASES: dict[str, Case] = {}
JSON = {"Content-Type": "application/json"}
ABSENT = "00000000-0000-4000-8000-000000000000"


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


def _token(side: Side, user_id: str, key: str | None = None, **claims: Any) -> str:
    now = int(time.time())
    payload = {"sub": user_id, "iat": now, "exp": now + 600, "jti": str(uuid.uuid4())}
    payload.update({"type": "access", **claims})
    return jwt.encode(payload, key or side.service.jwt_secret, algorithm="HS256")


def _unsigned(user_id: str) -> str:
    """A token that says `alg: none`, with no signature."""
    header, claims = {"alg": "none", "typ": "JWT"}, {"sub": user_id, "type": "access"}
    claims["exp"] = int(time.time()) + 600
    parts = (
        base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=") for p in (header, claims)
    )
    return b".".join(parts).decode() + "."


# --- health, routing ---------------------------------------------------------------------


@case
def health(side: Side) -> None:
    side.get("/health")
    side.get("/health/ready")
    side.request("HEAD", "/health")
    side.request("HEAD", "/health/ready")


@case
def routing(side: Side) -> None:
    side.get("/nowhere")
    side.get("/api/v1/nowhere")
    side.get("/health/")
    side.get("/api/v1/items/", headers=side.admin)
    side.post("/health")
    side.request("PUT", "/api/v1/items", headers=side.admin)
    side.delete("/api/v1/users/me", headers=side.admin)
    side.request("OPTIONS", "/api/v1/items")


@case
def cors(side: Side) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    side.get("/health", headers={"Origin": ALLOWED_ORIGIN})
    side.get("/health", headers={"Origin": "https://other.example"})
    side.request("OPTIONS", "/api/v1/items", headers={"Origin": ALLOWED_ORIGIN, **preflight})
    side.request(
        "OPTIONS",
        "/api/v1/items",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    side.request(
        "OPTIONS", "/api/v1/items", headers={"Origin": "https://other.example", **preflight}
    )
    side.get("/api/v1/users/me", headers={"Origin": ALLOWED_ORIGIN})


# --- registration ---------------------------------------------------------------------------


@case
def registration(side: Side) -> None:
    email = side.email("Registration").replace("registration", "ReGistration")
    side.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    side.post("/api/v1/auth/register", json={"email": email.lower(), "password": PASSWORD})
    side.post(
        "/api/v1/auth/register",
        json={"email": side.email("registration"), "password": PASSWORD, "full_name": "Ada"},
    )


@case
def registration_refusals(side: Side) -> None:
    post = side.post
    email = side.email("refused")
    for body in [
        {},
        {"email": email},
        {"password": PASSWORD},
        {"email": "not-an-email", "password": PASSWORD},
        {"email": email, "password": "short"},
        {"email": email, "password": "x" * 129},
        {"email": email, "password": PASSWORD, "role": "admin"},
        {"email": email, "password": PASSWORD, "full_name": 5},
        {"email": 5, "password": PASSWORD},
        {"email": email, "password": 12345678},
        {"email": email, "password": None},
        {"email": "a" * 310 + "@example.com", "password": PASSWORD},
        {"email": email, "password": PASSWORD, "full_name": "x" * 201},
        {"email": f"  {email}  ", "password": PASSWORD},
        {"email": email, "password": "\u0000" * 8},
        [],
        [{"email": email, "password": PASSWORD}],
        "text",
        42,
        None,
    ]:
        post("/api/v1/auth/register", json=body)


@case
def bodies_that_are_not_json(side: Side) -> None:
    for content in [
        b"",
        b"{",
        b"{'email': 'x'}",
        b'{"email": "a@example.com",}',
        b"\xef\xbb\xbf{}",
        b'{"email": "\xff@example.com", "password": "correct horse"}',
        b"NaN",
        b'{"a": 1e999}',
        b"[" * 100 + b"]" * 100,
        b'{"email": ' * 40 + b"1" + b"}" * 40,
    ]:
        side.post("/api/v1/auth/register", content=content, headers=JSON)


@case
def content_types(side: Side) -> None:
    body = json.dumps({"email": side.email("types"), "password": PASSWORD})
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"]:
        side.post("/api/v1/auth/register", content=body, headers={"Content-Type": content_type})
    side.post("/api/v1/auth/register", content=body)
    side.post(
        "/api/v1/auth/register",
        content=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    side.post("/api/v1/auth/register", content=b"x" * 2_000_000, headers=JSON)


# --- signing in ---------------------------------------------------------------------------


@case
def login(side: Side) -> None:
    email = side.email("login")
    side.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    login = "/api/v1/auth/login"
    side.post(login, data={"username": email, "password": PASSWORD})
    side.post(login, data={"username": email.upper(), "password": PASSWORD})
    side.post(login, data={"username": email, "password": "wrong password"})
    side.post(login, data={"username": "nobody@example.com", "password": PASSWORD})
    side.post(login, data={"username": email, "password": PASSWORD, "grant_type": "password"})
    side.post(login, data={"username": email, "password": PASSWORD, "grant_type": "client"})
    side.post(
        login,
        data={
            "username": email,
            "password": PASSWORD,
            "grant_type": "",
            "scope": "",
            "client_id": "docs",
            "client_secret": "",
            "unknown": "ignored",
        },
    )
    side.post(login, data={"username": email})
    side.post(login, data={"password": PASSWORD})
    side.post(login, data={})
    side.post(login, json={"username": email, "password": PASSWORD})
    side.post(
        login,
        content=b"username=%ff&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


@case
def inactive_user(side: Side) -> None:
    user, _ = side.user("inactive")
    side.patch(f"/api/v1/users/{user['id']}", json={"is_active": False}, headers=side.admin)
    side.post("/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD})


@case
def refresh_and_logout(side: Side) -> None:
    email = side.email("refresh")
    side.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    tokens = side.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD}).json()
    refresh = "/api/v1/auth/refresh"
    rotated = side.post(refresh, json={"refresh_token": tokens["refresh_token"]}).json()
    side.post(refresh, json={"refresh_token": tokens["refresh_token"]})
    side.post(refresh, json={"refresh_token": tokens["access_token"]})
    side.post(refresh, json={"refresh_token": "not a token"})
    side.post(refresh, json={})
    side.post(refresh, json={"refresh_token": 5})
    side.post(refresh, json={"refresh_token": rotated["refresh_token"], "extra": 1})
    auth = bearer(rotated["access_token"])
    side.post("/api/v1/auth/logout", json={"refresh_token": rotated["refresh_token"]}, headers=auth)
    side.post(refresh, json={"refresh_token": rotated["refresh_token"]})
    side.post("/api/v1/auth/logout", json={"refresh_token": rotated["refresh_token"]}, headers=auth)
    side.post("/api/v1/auth/logout", json={"refresh_token": "x"})


@case
def credentials(side: Side) -> None:
    user, auth = side.user("credentials")
    me = "/api/v1/users/me"
    now = int(time.time())
    side.get(me)
    side.get(me, headers=auth)
    for authorization in [
        "",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "bearer " + auth["Authorization"].split()[1],
        "Bearer not.a.token",
        "Bearer " + _token(side, user["id"], key="another-secret-that-is-long-enough-0000"),
        "Bearer " + _token(side, user["id"], exp=now - 60, iat=now - 120),
        "Bearer " + _token(side, user["id"], iat=now + 3600),
        "Bearer " + _token(side, user["id"], type="refresh"),
        "Bearer " + _token(side, ABSENT),
        "Bearer " + _token(side, "not-a-uuid"),
        "Bearer " + _unsigned(user["id"]),
    ]:
        side.get(me, headers={"Authorization": authorization})


# --- users ---------------------------------------------------------------------------------


@case
def me(side: Side) -> None:
    _, auth = side.user("me")
    taken = side.email("me-taken")
    side.post("/api/v1/auth/register", json={"email": taken, "password": PASSWORD})
    me = "/api/v1/users/me"
    side.patch(me, json={"full_name": "Grace Hopper"}, headers=auth)
    side.patch(me, json={"full_name": None}, headers=auth)
    side.patch(me, json={"email": side.email("Me-Renamed")}, headers=auth)
    side.patch(me, json={"email": taken}, headers=auth)
    side.patch(me, json={"email": "nope"}, headers=auth)
    side.patch(me, json={"role": "admin"}, headers=auth)
    side.patch(me, json={"is_active": False}, headers=auth)
    side.patch(me, json={}, headers=auth)
    side.patch(me, json={"full_name": 7}, headers=auth)
    side.get(me, headers=auth)


@case
def password_change(side: Side) -> None:
    user, auth = side.user("password")
    path = "/api/v1/users/me/password"
    side.post(
        path,
        json={"current_password": "wrong password", "new_password": "brand new pass"},
        headers=auth,
    )
    side.post(path, json={"current_password": PASSWORD, "new_password": "short"}, headers=auth)
    side.post(path, json={"current_password": PASSWORD}, headers=auth)
    side.post(
        path, json={"current_password": PASSWORD, "new_password": "brand new pass"}, headers=auth
    )
    side.post("/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD})
    side.post("/api/v1/auth/login", data={"username": user["email"], "password": "brand new pass"})


@case
def administration(side: Side) -> None:
    user, auth = side.user("administered")
    admin = side.admin
    users = f"/api/v1/users/{user['id']}"
    side.get(users, headers=admin)
    side.get(users, headers=auth)
    side.get("/api/v1/users", headers=auth)
    side.get(f"/api/v1/users/{ABSENT}", headers=admin)
    side.get("/api/v1/users/not-a-uuid", headers=admin)
    side.get(f"/api/v1/users/{ABSENT.upper()}", headers=admin)
    side.patch(users, json={"role": "admin"}, headers=admin)
    side.patch(users, json={"role": "owner"}, headers=admin)
    side.patch(users, json={"is_active": "yes"}, headers=admin)
    side.patch(users, json={"is_active": 1}, headers=admin)
    side.patch(users, json={"email": "x@example.com"}, headers=admin)
    side.patch(
        users, json={"full_name": "Renamed", "role": "user", "is_active": True}, headers=admin
    )
    side.delete(users, headers=auth)
    side.delete(users, headers=admin)
    side.get(users, headers=admin)
    side.delete(users, headers=admin)
    side.get("/api/v1/users/me", headers=auth)


@case
def pagination(side: Side) -> None:
    admin = side.admin
    for query in [
        "",
        "?limit=1",
        "?limit=100&offset=0",
        "?limit=0",
        "?limit=101",
        "?limit=-1",
        "?offset=-1",
        "?limit=abc",
        "?limit=5.0",
        "?limit=%2B5",
        "?limit=05",
        "?limit=",
        "?limit=%205",
        "?limit=5&limit=6",
        "?offset=1&offset=1",
        "?limit=1&offset=99999",
        "?unknown=1",
        "?limit=99999999999999999999",
    ]:
        side.get(f"/api/v1/users{query}", headers=admin)


# --- items ---------------------------------------------------------------------------------


@case
def items(side: Side) -> None:
    _, auth = side.user("items")
    _, other = side.user("items-other")
    items = "/api/v1/items"
    first = side.post(items, json={"title": "First", "description": "one"}, headers=auth).json()
    side.post(items, json={"title": "Second"}, headers=auth)
    theirs = side.post(items, json={"title": "Theirs"}, headers=other).json()
    side.get(items, headers=auth)
    side.get(f"{items}?limit=1&offset=1", headers=auth)
    side.get(f"{items}/{first['id']}", headers=auth)
    side.get(f"{items}/{theirs['id']}", headers=auth)
    side.patch(f"{items}/{theirs['id']}", json={"title": "Mine now"}, headers=auth)
    side.delete(f"{items}/{theirs['id']}", headers=auth)
    side.patch(f"{items}/{first['id']}", json={"title": "Renamed"}, headers=auth)
    side.patch(f"{items}/{first['id']}", json={"description": None}, headers=auth)
    side.patch(f"{items}/{first['id']}", json={"title": None}, headers=auth)
    side.patch(f"{items}/{first['id']}", json={"owner_id": theirs["owner_id"]}, headers=auth)
    side.get(f"{items}/{theirs['id']}", headers=side.admin)
    side.delete(f"{items}/{first['id']}", headers=auth)
    side.get(f"{items}/{first['id']}", headers=auth)
    side.delete(f"{items}/{first['id']}", headers=auth)
    side.get(f"{items}/{ABSENT}", headers=auth)
    side.patch(f"{items}/{ABSENT}", json={"title": None}, headers=auth)
    side.patch(f"/api/v1/users/{ABSENT}", json={"role": "owner"}, headers=side.admin)
    side.get(f"{items}/42", headers=auth)
    side.get(items)


@case
def item_refusals(side: Side) -> None:
    _, auth = side.user("item-refusals")
    for body in [
        {},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "x" * 200, "description": "y" * 2001},
        {"title": 5},
        {"title": True},
        {"title": ["a"]},
        {"title": {"nested": "x"}},
        {"title": "ok", "description": 5},
        {"title": "ok", "id": ABSENT},
        {"title": "é" * 200},
        {"title": "\U0001f600" * 200},
        {"title": "a\u0000b"},
        {"title": "ok", "extra": {"deep": [[[[{"x": 1}]]]]}},
    ]:
        side.post("/api/v1/items", json=body, headers=auth)
    side.post("/api/v1/items", content=b'{"title": "\\ud800"}', headers={**auth, **JSON})
    side.post("/api/v1/items", content=b'{"title": "a", "title": "b"}', headers={**auth, **JSON})


@pytest.mark.parametrize("name", list(CASES))
def test_both_stacks_answer_the_same(name: str, stacks: Stacks) -> None:
    different = run_case(CASES[name], (stacks.fastapi, stacks.nestjs))
    assert not different, f"{name}: the stacks answer differently\n{different}"
