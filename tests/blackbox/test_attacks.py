"""Forged and misused tokens, and hostile input: clear 4xx answers, and the service stays up."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import jwt
import pytest

from tests.blackbox.helpers import (
    PASSWORD,
    Member,
    assert_invalid,
    assert_problem,
    bearer,
    new_user,
    unique_email,
)
from tests.blackbox.services import Service

# The REST suite in depth on each stack's variant without GraphQL or WebSockets; the
# others run the REST contract (test_contract.py), their options' suites and their own
# projects' whole suites, and two pairs compare both stacks side by side (README.md,
# "Time budget").
pytestmark = pytest.mark.only(graphql=False, websockets=False)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(user_id: str, token_type: str = "access", **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": user_id,
        "iat": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
        "type": token_type,
        **overrides,
    }


def _me(http: httpx.Client, token: str) -> httpx.Response:
    return http.get("/api/v1/users/me", headers=bearer(token))


# --- tokens ---------------------------------------------------------------------------------


def test_a_token_forged_with_the_real_secret_is_accepted(
    member: Member, http: httpx.Client, service: Service
) -> None:
    """The control for the attacks below: the suite forges tokens the way the service signs."""
    user = member.user
    token = jwt.encode(_claims(user["id"]), service.jwt_secret, algorithm="HS256")
    response = _me(http, token)
    assert response.status_code == 200, response.text
    assert response.json()["id"] == user["id"]


def test_alg_none_is_401(member: Member, http: httpx.Client) -> None:
    user = member.user
    for alg in ("none", "None", "NONE"):
        unsigned = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64(_claims(user['id']))}."
        assert_problem(_me(http, unsigned), 401)


def test_wrong_key_is_401(member: Member, http: httpx.Client) -> None:
    user = member.user
    token = jwt.encode(_claims(user["id"]), "another-secret-" * 4, algorithm="HS256")
    assert_problem(_me(http, token), 401)


def test_other_hmac_algorithms_with_the_right_key_are_401(
    member: Member, http: httpx.Client, service: Service
) -> None:
    user = member.user
    for alg in ("HS384", "HS512"):
        token = jwt.encode(_claims(user["id"]), service.jwt_secret, algorithm=alg)
        assert_problem(_me(http, token), 401)


def test_expired_is_401(member: Member, http: httpx.Client, service: Service) -> None:
    user = member.user
    past = int(time.time()) - 3600
    token = jwt.encode(
        _claims(user["id"], iat=past - 900, exp=past), service.jwt_secret, algorithm="HS256"
    )
    assert_problem(_me(http, token), 401)


def test_tampered_payload_is_401(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    admin_user, _ = new_user(http)
    header, payload, signature = tokens["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    for change in ({"sub": admin_user["id"]}, {"exp": claims["exp"] + 86400}, {"role": "admin"}):
        forged = f"{header}.{_b64({**claims, **change})}.{signature}"
        assert_problem(_me(http, forged), 401)
    # A flipped signature bit.
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert_problem(_me(http, f"{header}.{payload}.{flipped}"), 401)


def test_refresh_as_access_and_access_as_refresh_are_401(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    assert_problem(_me(http, tokens["refresh_token"]), 401)
    refresh = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["access_token"]})
    assert_problem(refresh, 401)


def test_forged_refresh_token_that_was_never_issued_is_401(
    member: Member, http: httpx.Client, service: Service
) -> None:
    """Correctly signed, but its jti is not in the server's table of issued refresh tokens."""
    user = member.user
    token = jwt.encode(
        _claims(user["id"], "refresh", exp=int(time.time()) + 3600),
        service.jwt_secret,
        algorithm="HS256",
    )
    assert_problem(http.post("/api/v1/auth/refresh", json={"refresh_token": token}), 401)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": None},
        {"sub": "not-a-uuid"},
        {"sub": str(uuid.uuid4())},
        {"type": None},
        {"type": "admin"},
        {"exp": None},
        {"exp": "tomorrow"},
    ],
    ids=["no-sub", "bad-sub", "unknown-sub", "no-type", "odd-type", "no-exp", "text-exp"],
)
def test_well_signed_but_wrong_claims_are_401(
    member: Member, http: httpx.Client, service: Service, claims: dict[str, Any]
) -> None:
    user = member.user
    payload = {k: v for k, v in {**_claims(user["id"]), **claims}.items() if v is not None}
    token = jwt.encode(payload, service.jwt_secret, algorithm="HS256")
    assert_problem(_me(http, token), 401)


def test_deactivated_users_tokens_are_401(http: httpx.Client, admin: dict[str, str]) -> None:
    user, tokens = new_user(http)
    response = http.patch(f"/api/v1/users/{user['id']}", json={"is_active": False}, headers=admin)
    assert response.status_code == 200, response.text
    assert_problem(_me(http, tokens["access_token"]), 401)
    refresh = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refresh, 401)


def test_deleted_users_tokens_are_401(
    http: httpx.Client, service: Service, admin: dict[str, str]
) -> None:
    user, tokens = new_user(http)
    assert http.delete(f"/api/v1/users/{user['id']}", headers=admin).status_code == 204
    assert_problem(_me(http, tokens["access_token"]), 401)
    forged = jwt.encode(_claims(user["id"]), service.jwt_secret, algorithm="HS256")
    assert_problem(_me(http, forged), 401)
    refresh = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refresh, 401)


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "bearer", "Token abc", "Bearer a.b", "Bearer a.b.c.d", "Bearer ....."],
)
def test_malformed_authorization_headers_are_401(http: httpx.Client, authorization: str) -> None:
    assert_problem(http.get("/api/v1/users/me", headers={"Authorization": authorization}), 401)


# --- bad input ------------------------------------------------------------------------------


def _post_json(http: httpx.Client, path: str, body: bytes, **headers: str) -> httpx.Response:
    return http.post(path, content=body, headers={"Content-Type": "application/json", **headers})


def test_oversized_bodies_are_413_everywhere(member: Member, http: httpx.Client) -> None:
    auth = member.auth
    big = json.dumps({"title": "x", "description": "y" * (1024 * 1024 + 1)}).encode()
    assert_problem(_post_json(http, "/api/v1/items", big, **auth), 413)
    assert_problem(_post_json(http, "/api/v1/auth/register", b" " * (2 * 1024 * 1024)), 413)
    form = b"username=a%40example.com&password=" + b"p" * (1024 * 1024 + 1)
    assert_problem(
        http.post(
            "/api/v1/auth/login",
            content=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        413,
    )
    # Just under the limit is parsed (and then refused for its content, not its size).
    near = json.dumps({"title": "x", "description": "y" * (1024 * 1024 - 100)}).encode()
    assert_invalid(_post_json(http, "/api/v1/items", near, **auth), "body", "description")
    assert http.get("/health").status_code == 200


def test_chunked_oversized_body_is_413(http: httpx.Client) -> None:
    """No Content-Length to trust: the limit applies to the bytes actually received."""

    def chunks() -> Iterator[bytes]:
        yield b'{"email": "chunk@example.com", "password": "'
        for _ in range(40):
            yield b"p" * 32768
        yield b'"}'

    response = http.post(
        "/api/v1/auth/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413)
    assert http.get("/health").status_code == 200


@pytest.mark.parametrize("depth", [64, 5000, 100_000])
def test_deeply_nested_json_is_a_clean_4xx(http: httpx.Client, depth: int) -> None:
    body = b'{"email": "deep@example.com", "password": "pppppppp", "full_name": '
    body += b"[" * depth + b"]" * depth + b"}"
    response = _post_json(http, "/api/v1/auth/register", body)
    assert response.status_code in (400, 413, 422), response.text
    assert_problem(response, response.status_code)
    assert http.get("/health").status_code == 200


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
    ],
)
def test_wrong_content_types_on_json_routes_are_415(
    member: Member, http: httpx.Client, content_type: str
) -> None:
    body = json.dumps({"title": "typed"}).encode()
    response = http.post(
        "/api/v1/items",
        content=body,
        headers={"Content-Type": content_type, **member.auth},
    )
    detail = assert_problem(response, 415)["detail"]
    assert detail == "The request body must be sent as application/json."


def test_json_content_type_with_charset_is_accepted(member: Member, http: httpx.Client) -> None:
    response = http.post(
        "/api/v1/items",
        content=json.dumps({"title": "charset"}).encode(),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            **member.auth,
        },
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "body",
    [b"{", b"{'single': 'quotes'}", b'{"a": 1,}', b"\xff\xfe\x00garbage", b'{"title": NaN]'],
    ids=["truncated", "single-quotes", "trailing-comma", "binary", "nan"],
)
def test_malformed_json_everywhere_is_400(member: Member, http: httpx.Client, body: bytes) -> None:
    assert_problem(_post_json(http, "/api/v1/items", body, **member.auth), 400)


SQL_LOOKING = [
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    "Robert'); DROP TABLE items;--",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "%' UNION SELECT * FROM users --",
]


def test_sql_looking_strings_are_plain_data(http: httpx.Client, admin: dict[str, str]) -> None:
    _, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    for text in SQL_LOOKING:
        created = http.post(
            "/api/v1/items", json={"title": text, "description": text}, headers=auth
        )
        assert created.status_code == 201, created.text
        item = created.json()
        assert (item["title"], item["description"]) == (text, text)
        assert http.get(f"/api/v1/items/{item['id']}", headers=auth).json() == item
        login = http.post("/api/v1/auth/login", data={"username": text, "password": text})
        assert_problem(login, 401)
        login = http.post(
            "/api/v1/auth/login", data={"username": f"x{text}@example.com", "password": text}
        )
        assert_problem(login, 401)
        assert_invalid(http.get(f"/api/v1/items?limit={text}", headers=auth), "query", "limit")
        response = http.get(f"/api/v1/items/{quote(text, safe='')}", headers=auth)
        assert response.status_code in (404, 422), response.text
        assert_problem(response, response.status_code)
    page = http.get("/api/v1/items?limit=100", headers=auth).json()
    assert page["total"] == len(SQL_LOOKING)
    # The tables are all still there.
    assert http.get("/api/v1/users", headers=admin).status_code == 200


UNICODE = [
    "Zoë Ångström",
    "名前テスト",
    "emoji 🙂👍🏽 and ZWJ 👩‍👩‍👧",
    "right-to-left \u202e reversed",
    "combining e\u0301\u0301\u0301",
    "zero\u200bwidth",
    "\U0010fffd plane 16",
]


def test_unicode_round_trips(member: Member, http: httpx.Client) -> None:
    auth = member.auth
    for text in UNICODE:
        created = http.post(
            "/api/v1/items", json={"title": text, "description": text}, headers=auth
        )
        assert created.status_code == 201, created.text
        item = created.json()
        assert item["title"] == text
        assert http.get(f"/api/v1/items/{item['id']}", headers=auth).json()["title"] == text


def test_unicode_full_name_and_password(http: httpx.Client) -> None:
    email = unique_email("uni")
    password = "pässwörd-🙂-密码"
    response = http.post(
        "/api/v1/auth/register", json={"email": email, "password": password, "full_name": "Zoë 🙂"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["full_name"] == "Zoë 🙂"
    login = http.post("/api/v1/auth/login", data={"username": email, "password": password})
    assert login.status_code == 200, login.text


def test_nul_and_lone_surrogates_are_refused_cleanly(member: Member, http: httpx.Client) -> None:
    auth = member.auth
    unsafe = "Must not contain NUL or unpaired surrogate characters"
    # A NUL character is valid JSON text, but no database stores it as text: refused, never a 500.
    nul = http.post("/api/v1/items", json={"title": "nul\u0000byte"}, headers=auth)
    assert_invalid(nul, "body", "title", unsafe)
    # A lone surrogate escape is not a character at all.
    surrogate = _post_json(http, "/api/v1/items", b'{"title": "\\ud800 lone"}', **auth)
    assert_invalid(surrogate, "body", "title", unsafe)
    assert http.get("/health/ready").status_code == 200


def test_title_length_counts_characters_not_bytes(member: Member, http: httpx.Client) -> None:
    auth = member.auth
    ok = http.post("/api/v1/items", json={"title": "é" * 200}, headers=auth)
    assert ok.status_code == 201, ok.text
    too_long = http.post("/api/v1/items", json={"title": "é" * 201}, headers=auth)
    assert_invalid(too_long, "body", "title", "Must be at most 200 characters")


def test_service_is_healthy_after_the_abuse(http: httpx.Client) -> None:
    assert http.get("/health").json() == {"status": "ok"}
    assert http.get("/health/ready").json() == {"status": "ok", "checks": {"database": "ok"}}
    _, tokens = new_user(http)
    me = http.get("/api/v1/users/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert PASSWORD not in me.text
