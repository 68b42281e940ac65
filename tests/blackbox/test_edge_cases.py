"""The HTTP edge cases of docs/contract.md ("Edge cases"), one answer on every stack.

Each test states the whole answer: status, the headers the case is about, and the body.
Problem `detail` and field `message` texts are the message catalogue's: they are checked
here only where the edge case itself defines them (a repeated parameter, the nesting limit).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import jwt
import pytest

from tests.blackbox.helpers import (
    Member,
    assert_invalid,
    assert_problem,
    bearer,
    new_user,
    register,
    unique_email,
)
from tests.blackbox.services import ALLOWED_ORIGIN, Service

# The REST suite in depth on each stack's variant without GraphQL or WebSockets; the
# others run the REST contract (test_contract.py), their options' suites and their own
# projects' whole suites, and two pairs compare both stacks side by side (README.md,
# "Time budget").
pytestmark = pytest.mark.only(graphql=False, websockets=False)

JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MAX_DEPTH = 32
SINGLE_VALUE = "Must be a single value"
TOO_DEEP = f"Must not be nested more than {MAX_DEPTH} levels deep"
IAT_LEEWAY_SECONDS = 5
CORS_METHODS = "GET, HEAD, POST, PATCH, DELETE"
CORS_HEADERS = "Authorization, Content-Type, X-Request-ID"
# A fixed id, not uuid4(): parameters are part of test ids, which every xdist worker must
# collect alike.
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"


def _errors(problem: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["location"], e["field"]) for e in problem["errors"]]


def _messages(problem: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["location"], e["field"], e["message"]) for e in problem["errors"]]


def _access_control(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


# --- HEAD -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/health", "/health/ready", "/openapi.json", "/docs", "/redoc"])
def test_head_is_the_get_without_a_body(http: httpx.Client, path: str) -> None:
    get, head = http.get(path), http.head(path)
    assert (head.status_code, get.status_code) == (200, 200)
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_head_on_an_api_route_answers_as_its_get(member: Member, http: httpx.Client) -> None:
    head = http.head("/api/v1/items", headers=member.auth)
    get = http.get("/api/v1/items", headers=member.auth)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    refused = http.head("/api/v1/items")
    assert (refused.status_code, refused.content) == (401, b"")
    assert refused.headers["www-authenticate"] == "Bearer"
    absent = http.head(f"/api/v1/items/{uuid.uuid4()}", headers=member.auth)
    assert (absent.status_code, absent.content) == (404, b"")
    assert absent.headers["content-type"].startswith("application/problem+json")


def test_head_is_no_documented_operation(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    assert [path for path, operations in paths.items() if "head" in operations] == []


# --- Allow, trailing slashes, unknown routes -------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/health", "GET, HEAD"),
        ("POST", "/health/ready", "GET, HEAD"),
        ("PUT", "/api/v1/items", "GET, HEAD, POST"),
        ("PUT", f"/api/v1/items/{NO_SUCH_ID}", "GET, HEAD, PATCH, DELETE"),
        # /me is also an {id}: the admin routes' methods are the path's too.
        ("POST", "/api/v1/users/me", "GET, HEAD, PATCH, DELETE"),
        ("GET", "/api/v1/auth/login", "POST"),
        ("HEAD", "/api/v1/auth/login", "POST"),
        ("PUT", "/openapi.json", "GET, HEAD"),
    ],
)
def test_every_405_lists_allow_in_one_order(
    http: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = http.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    if method != "HEAD":
        assert_problem(response, 405)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health/"),
        ("GET", "/health/ready/"),
        ("GET", "/api/v1/items/"),
        ("POST", "/api/v1/items/"),
        ("GET", "/api/v1/users/me/"),
        ("GET", "/docs/"),
        ("GET", "/openapi.json/"),
        ("GET", "/no/such/route"),
    ],
)
def test_a_trailing_slash_is_a_404_never_a_redirect(
    member: Member, http: httpx.Client, method: str, path: str
) -> None:
    response = http.request(method, path, headers=member.auth)
    assert_problem(response, 404)
    assert "location" not in response.headers
    assert "allow" not in response.headers


# --- query strings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "repeated"),
    [
        ("limit=5&limit=6", ["limit"]),
        ("limit=5&limit=5", ["limit"]),
        ("offset=1&offset=2", ["offset"]),
        ("offset=1&limit=2&offset=3&limit=4", ["limit", "offset"]),
    ],
)
def test_a_query_parameter_given_twice_is_a_422(
    member: Member, http: httpx.Client, query: str, repeated: list[str]
) -> None:
    problem = assert_problem(http.get(f"/api/v1/items?{query}", headers=member.auth), 422)
    assert _messages(problem) == [("query", field, SINGLE_VALUE) for field in repeated]


def test_an_unknown_query_parameter_given_twice_is_ignored(
    member: Member, http: httpx.Client
) -> None:
    response = http.get("/api/v1/items?tag=a&tag=b&limit=3", headers=member.auth)
    assert response.status_code == 200, response.text
    assert response.json()["limit"] == 3


@pytest.mark.parametrize("limit", ["+5", " 5", "5 ", "5.0", "1e1", "1_0", "0x5", "", "\u0665"])
def test_query_integers_are_decimal_digits_only(
    member: Member, http: httpx.Client, limit: str
) -> None:
    response = http.get("/api/v1/items", params={"limit": limit}, headers=member.auth)
    assert _errors(assert_invalid(response, "query", "limit")) == [("query", "limit")]


@pytest.mark.parametrize(
    "query",
    [
        "offset=9007199254740992",
        "offset=99999999999999999999",
        "offset=-9007199254740992",
        "limit=99999999999999999999",
    ],
)
def test_integers_past_two_to_the_53_are_not_integers_here(
    member: Member, http: httpx.Client, query: str
) -> None:
    # Never a 500 from the database, and one answer whatever the stack's integers hold.
    field = query.split("=")[0]
    response = http.get(f"/api/v1/items?{query}", headers=member.auth)
    assert _errors(assert_invalid(response, "query", field)) == [("query", field)]


def test_the_largest_safe_offset_is_read(member: Member, http: httpx.Client) -> None:
    response = http.get("/api/v1/items?offset=9007199254740991", headers=member.auth)
    assert response.status_code == 200, response.text
    assert response.json()["offset"] == 9007199254740991
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    ("query", "limit", "offset"), [("limit=05", 5, 0), ("offset=-0", 20, 0), ("limit=100", 100, 0)]
)
def test_leading_zeros_and_a_minus_sign_are_digits_too(
    member: Member, http: httpx.Client, query: str, limit: int, offset: int
) -> None:
    page = http.get(f"/api/v1/items?{query}", headers=member.auth)
    assert page.status_code == 200, page.text
    assert (page.json()["limit"], page.json()["offset"]) == (limit, offset)


@pytest.mark.parametrize("query", ["limit=-1", "limit=-9007199254740991", "offset=-1"])
def test_a_negative_integer_is_refused_by_the_minimum(
    member: Member, http: httpx.Client, query: str
) -> None:
    field = query.split("=")[0]
    response = http.get(f"/api/v1/items?{query}", headers=member.auth)
    assert _errors(assert_invalid(response, "query", field)) == [("query", field)]


# --- strict JSON types --------------------------------------------------------------------


@pytest.mark.parametrize("is_active", ["yes", "true", "false", 1, 0, 1.0, [], {}])
def test_a_boolean_is_never_coerced(
    http: httpx.Client, admin: dict[str, str], is_active: object
) -> None:
    user = register(http)
    response = http.patch(
        f"/api/v1/users/{user['id']}", json={"is_active": is_active}, headers=admin
    )
    assert _errors(assert_invalid(response, "body", "is_active")) == [("body", "is_active")]
    assert http.get(f"/api/v1/users/{user['id']}", headers=admin).json()["is_active"] is True


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/items", {"title": 5}, "title"),
        ("/api/v1/items", {"title": True}, "title"),
        ("/api/v1/items", {"title": "ok", "description": 1.5}, "description"),
        ("/api/v1/items", {"title": ["a"]}, "title"),
        ("/api/v1/users/me", {"full_name": 7}, "full_name"),
        ("/api/v1/auth/refresh", {"refresh_token": 123}, "refresh_token"),
    ],
)
def test_a_string_is_never_made_from_another_type(
    member: Member, http: httpx.Client, path: str, body: dict[str, Any], field: str
) -> None:
    method = "PATCH" if path.endswith("/me") else "POST"
    response = http.request(method, path, json=body, headers=member.auth)
    assert _errors(assert_invalid(response, "body", field)) == [("body", field)]


@pytest.mark.parametrize("role", ["ADMIN", "Admin", 1, True, None])
def test_a_role_is_one_of_its_strings(
    http: httpx.Client, admin: dict[str, str], role: object
) -> None:
    user = register(http)
    response = http.patch(f"/api/v1/users/{user['id']}", json={"role": role}, headers=admin)
    assert _errors(assert_invalid(response, "body", "role")) == [("body", "role")]


def test_a_role_string_is_still_read(http: httpx.Client, admin: dict[str, str]) -> None:
    user = register(http)
    promoted = http.patch(f"/api/v1/users/{user['id']}", json={"role": "admin"}, headers=admin)
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["role"] == "admin"
    demoted = http.patch(f"/api/v1/users/{user['id']}", json={"role": "user"}, headers=admin)
    assert demoted.json()["role"] == "user"


# --- bytes that are not UTF-8 JSON ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'\xef\xbb\xbf{"title": "bom"}',
        b'{"title": "a\xffb"}',
        b'{"title": "\xc3"}',
        b'{"title": "\xed\xa0\x80"}',
        '{"title": "latin-1 é"}'.encode("latin-1"),
    ],
    ids=["byte-order-mark", "invalid-byte", "truncated", "encoded-surrogate", "latin-1"],
)
def test_json_that_is_not_utf8_is_a_400_and_nothing_is_stored(
    http: httpx.Client, body: bytes
) -> None:
    _, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    response = http.post("/api/v1/items", content=body, headers={**JSON, **auth})
    assert_problem(response, 400)
    assert "errors" not in response.json()
    assert http.get("/api/v1/items", headers=auth).json()["total"] == 0


def test_a_byte_order_mark_is_refused_on_every_json_route(
    member: Member, http: httpx.Client
) -> None:
    bom = b"\xef\xbb\xbf"
    cases = [
        ("POST", "/api/v1/auth/register", b'{"email": "bom@example.com", "password": "pppppppp"}'),
        ("PATCH", "/api/v1/users/me", b'{"full_name": "bom"}'),
        ("POST", "/api/v1/auth/refresh", b'{"refresh_token": "x"}'),
    ]
    for method, path, body in cases:
        response = http.request(method, path, content=bom + body, headers={**JSON, **member.auth})
        assert_problem(response, 400)
    assert http.get("/api/v1/users/me", headers=member.auth).json()["full_name"] != "bom"


@pytest.mark.parametrize(
    "body",
    [b"username=a\xffb%40example.com&password=x", b"username=a%FFb%40example.com&password=x"],
    ids=["raw-byte", "escaped-byte"],
)
def test_a_login_form_that_is_not_utf8_is_a_400(http: httpx.Client, body: bytes) -> None:
    response = http.post("/api/v1/auth/login", content=body, headers=FORM)
    assert_problem(response, 400)
    assert "www-authenticate" not in response.headers


def test_a_percent_sign_that_escapes_nothing_is_itself(http: httpx.Client) -> None:
    email, password = unique_email(), "100%-sure password"
    created = http.post("/api/v1/auth/register", json={"email": email, "password": password})
    assert created.status_code == 201, created.text
    body = f"username={email}&password=100%-sure+password".encode()
    response = http.post("/api/v1/auth/login", content=body, headers=FORM)
    assert response.status_code == 200, response.text


def test_utf8_text_round_trips_unaltered(member: Member, http: httpx.Client) -> None:
    title = "ünï 😀 e\u0301"
    created = http.post(
        "/api/v1/items", content=f'{{"title": "{title}"}}'.encode(), headers={**JSON, **member.auth}
    )
    assert created.status_code == 201, created.text
    assert created.json()["title"] == title


# --- nesting --------------------------------------------------------------------------------


def _nested(depth: int) -> bytes:
    """An item whose title holds `depth` nested arrays: the body is one level deeper."""
    return b'{"title": ' + b"[" * depth + b"]" * depth + b"}"


def test_nesting_within_the_limit_is_judged_on_the_fields(
    member: Member, http: httpx.Client
) -> None:
    response = http.post(
        "/api/v1/items", content=_nested(MAX_DEPTH - 1), headers={**JSON, **member.auth}
    )
    assert _errors(assert_invalid(response, "body", "title")) == [("body", "title")]


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 1000, 5000, 100_000])
def test_nesting_past_the_limit_is_a_422_where_it_passes(
    member: Member, http: httpx.Client, depth: int
) -> None:
    response = http.post("/api/v1/items", content=_nested(depth), headers={**JSON, **member.auth})
    where = ".".join(["title", *["0"] * (MAX_DEPTH - 1)])
    assert _messages(assert_problem(response, 422)) == [("body", where, TOO_DEEP)]


def test_the_first_container_too_deep_in_document_order_is_named(
    member: Member, http: httpx.Client
) -> None:
    deep: list[Any] = []
    for _ in range(MAX_DEPTH - 3):
        deep = [deep]
    body = {"title": [{"a": "x,}", "b": [{}, "y", deep]}], "description": [[[deep]]]}
    response = http.post("/api/v1/items", json=body, headers=member.auth)
    where = ".".join(["title", "0", "b", "2", *["0"] * (MAX_DEPTH - 4)])
    assert _messages(assert_problem(response, 422)) == [("body", where, TOO_DEEP)]


# --- CORS -----------------------------------------------------------------------------------


def _preflight(http: httpx.Client, origin: str, method: str, **headers: str) -> httpx.Response:
    return http.options(
        "/api/v1/items",
        headers={"Origin": origin, "Access-Control-Request-Method": method, **headers},
    )


@pytest.mark.parametrize(
    ("method", "request_headers"),
    [
        ("POST", {"Access-Control-Request-Headers": "authorization,content-type"}),
        ("GET", {}),
        ("DELETE", {"Access-Control-Request-Headers": "x-request-id"}),
        # Not allowed, yet answered with the lists: the browser compares and refuses.
        ("PUT", {}),
        ("POST", {"Access-Control-Request-Headers": "x-other"}),
    ],
)
def test_a_preflight_from_a_listed_origin_is_a_204_with_the_fixed_lists(
    http: httpx.Client, method: str, request_headers: dict[str, str]
) -> None:
    response = _preflight(http, ALLOWED_ORIGIN, method, **request_headers)
    assert response.status_code == 204
    assert response.content == b""
    assert _access_control(response) == {
        "access-control-allow-origin": ALLOWED_ORIGIN,
        "access-control-allow-methods": CORS_METHODS,
        "access-control-allow-headers": CORS_HEADERS,
        "access-control-max-age": "600",
    }
    assert response.headers["vary"] == "Origin"


def test_a_preflight_from_another_origin_is_a_bare_204(http: httpx.Client) -> None:
    response = _preflight(
        http, "https://evil.example", "POST", **{"Access-Control-Request-Headers": "authorization"}
    )
    assert response.status_code == 204
    assert response.content == b""
    assert _access_control(response) == {}
    assert response.headers["vary"] == "Origin"


def test_simple_requests_get_the_same_cors_headers(http: httpx.Client) -> None:
    allowed = http.get("/health", headers={"Origin": ALLOWED_ORIGIN})
    assert _access_control(allowed) == {
        "access-control-allow-origin": ALLOWED_ORIGIN,
        "access-control-expose-headers": "X-Request-ID, Retry-After",
    }
    assert allowed.headers["vary"] == "Origin"
    other = http.get("/health", headers={"Origin": "https://evil.example"})
    assert _access_control(other) == {"access-control-expose-headers": "X-Request-ID, Retry-After"}
    assert other.headers["vary"] == "Origin"
    assert _access_control(http.get("/health")) == {}


@pytest.mark.parametrize("headers", [{}, {"Origin": ALLOWED_ORIGIN}], ids=["bare", "origin-only"])
def test_an_options_request_that_is_no_preflight_is_a_405(
    http: httpx.Client, headers: dict[str, str]
) -> None:
    response = http.options("/api/v1/items", headers=headers)
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, POST"


# --- tokens ---------------------------------------------------------------------------------


def _token(service: Service, user_id: str, iat_offset: int) -> str:
    now = int(time.time())
    claims = {
        "sub": user_id,
        "iat": now + iat_offset,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
        "type": "access",
    }
    return jwt.encode(claims, service.jwt_secret, algorithm="HS256")


@pytest.mark.parametrize("offset", [IAT_LEEWAY_SECONDS + 5, 3600, 10 * 365 * 86400])
def test_a_token_issued_in_the_future_is_a_401(
    member: Member, http: httpx.Client, service: Service, offset: int
) -> None:
    token = _token(service, member.user["id"], offset)
    response = http.get("/api/v1/users/me", headers=bearer(token))
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_issued_within_the_leeway_is_accepted(
    member: Member, http: httpx.Client, service: Service
) -> None:
    token = _token(service, member.user["id"], IAT_LEEWAY_SECONDS - 3)
    response = http.get("/api/v1/users/me", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.json()["id"] == member.user["id"]


# --- bodies and media types -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["application/merge-patch+json", "application/problem+json", "text/json", "application/jsonx"],
)
def test_json_routes_take_application_json_only(
    member: Member, http: httpx.Client, content_type: str
) -> None:
    response = http.post(
        "/api/v1/items",
        content=b'{"title": "typed"}',
        headers={"Content-Type": content_type, **member.auth},
    )
    assert_problem(response, 415)


def test_a_json_body_without_a_content_type_is_a_415(member: Member, http: httpx.Client) -> None:
    response = http.post("/api/v1/items", content=b'{"title": "untyped"}', headers=member.auth)
    assert_problem(response, 415)


def test_the_login_form_takes_urlencoded_only(http: httpx.Client) -> None:
    response = http.post(
        "/api/v1/auth/login", files={"username": (None, "a@example.com"), "password": (None, "x")}
    )
    assert_problem(response, 415)


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"'])
def test_a_utf8_charset_parameter_is_accepted(
    member: Member, http: httpx.Client, charset: str
) -> None:
    response = http.post(
        "/api/v1/items",
        content=b'{"title": "charset"}',
        headers={"Content-Type": f"application/json; charset={charset}", **member.auth},
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("body", [b"", b"[]", b"[{}]", b'"text"', b"42", b"true", b"null"])
def test_an_empty_or_non_object_body_is_a_422_on_the_body(
    member: Member, http: httpx.Client, body: bytes
) -> None:
    response = http.post("/api/v1/items", content=body, headers={**JSON, **member.auth})
    assert _errors(assert_invalid(response, "body", "")) == [("body", "")]


@pytest.mark.parametrize("size", [1024 * 1024 + 1, 2 * 1024 * 1024])
def test_a_body_past_one_mebibyte_is_a_413(member: Member, http: httpx.Client, size: int) -> None:
    body = b'{"title": "' + b"x" * (size - 13) + b'"}'
    assert len(body) == size
    response = http.post("/api/v1/items", content=body, headers={**JSON, **member.auth})
    assert_problem(response, 413)


def test_a_body_of_exactly_one_mebibyte_is_read(member: Member, http: httpx.Client) -> None:
    body = b'{"title": "' + b"x" * (1024 * 1024 - 13) + b'"}'
    response = http.post("/api/v1/items", content=body, headers={**JSON, **member.auth})
    # Read, then refused for the title's length: not a 413.
    assert _errors(assert_invalid(response, "body", "title")) == [("body", "title")]


@pytest.mark.parametrize("item_id", ["not-a-uuid", "1", "00000000-0000-4000-8000-00000000000g"])
def test_a_path_id_that_is_no_uuid_is_a_422(
    member: Member, http: httpx.Client, item_id: str
) -> None:
    response = http.get(f"/api/v1/items/{item_id}", headers=member.auth)
    assert _errors(assert_invalid(response, "path", "id")) == [("path", "id")]
