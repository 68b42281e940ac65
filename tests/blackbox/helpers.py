"""What every black-box test needs: a checking HTTP client, users, tokens, problem checks."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from tests.blackbox.services import Service

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    426: "Upgrade Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PASSWORD = "correct horse battery"


def _check_every_response(response: httpx.Response) -> None:
    """Headers the contract puts on every response, errors and docs included."""
    headers = response.headers
    where = (
        f"{response.request.method} {response.request.url.path} -> {response.status_code}"
        f" with headers {dict(headers)}"
    )
    assert headers.get("x-content-type-options") == "nosniff", where
    framing = headers.get("x-frame-options", "").upper() == "DENY" or (
        "frame-ancestors 'none'" in headers.get("content-security-policy", "")
    )
    assert framing, f"{where}: framing not denied"
    assert re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", headers.get("x-request-id", "")), where


def client(service: Service, **kwargs: Any) -> httpx.Client:
    """An httpx client for `service` that checks the every-response headers."""
    return httpx.Client(
        base_url=service.base_url,
        timeout=30,
        event_hooks={"response": [_check_every_response]},
        **kwargs,
    )


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@Example.COM"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def register(http: httpx.Client, email: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {"email": email or unique_email(), "password": PASSWORD, **extra}
    response = http.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def login(http: httpx.Client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = http.post("/api/v1/auth/login", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def new_user(http: httpx.Client, **extra: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A freshly registered user and its token pair."""
    user = register(http, **extra)
    return user, login(http, user["email"])


@dataclass(frozen=True)
class Member:
    """A signed-in ordinary user shared by tests that only need someone to be signed in."""

    user: dict[str, Any]
    tokens: dict[str, Any]

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.tokens["access_token"])


def admin_token(http: httpx.Client, service: Service) -> str:
    return str(login(http, service.admin_email, service.admin_password)["access_token"])


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """An RFC 9457 problem document with the agreed title for `status`."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.text}"
    )
    assert response.headers["content-type"].split(";")[0].strip() == "application/problem+json"
    body = dict(response.json())
    assert body["type"] == "about:blank", body
    assert body["title"] == TITLES[status], body
    assert body["status"] == status, body
    assert isinstance(body["detail"], str) and body["detail"], body
    if status == 401:
        assert response.headers.get("www-authenticate", "").startswith("Bearer"), response.headers
    return body


LOCATIONS = ("path", "query", "body")


def assert_invalid(
    response: httpx.Response, location: str, field: str, message: str | None = None
) -> dict[str, Any]:
    """A 422 whose `errors` names `field` at `location` (with `message`, when given).

    As the contract says: the detail is the catalogue's, there is one error per field, and
    errors are ordered by location (path, query, body), then by field in code point order.
    """
    body = assert_problem(response, 422)
    assert body["detail"] == "The request is not valid; see errors.", body
    errors = body["errors"]
    assert isinstance(errors, list) and errors, body
    for error in errors:
        assert set(error) == {"location", "field", "message"}, error
        assert error["location"] in LOCATIONS, error
        assert isinstance(error["message"], str) and error["message"], error
    keys = [(LOCATIONS.index(e["location"]), e["field"]) for e in errors]
    assert keys == sorted(set(keys)), f"not one error per field, in order: {body}"
    messages = {(e["location"], e["field"]): e["message"] for e in errors}
    assert (location, field) in messages, body
    if message is not None:
        assert messages[location, field] == message, body
    return body


def assert_user(user: dict[str, Any]) -> None:
    assert set(user) == {
        "id",
        "email",
        "full_name",
        "role",
        "is_active",
        "email_verified",
        "created_at",
    }, user
    assert UUID_RE.match(user["id"]), user
    assert user["role"] in ("user", "admin"), user
    assert isinstance(user["is_active"], bool), user
    assert isinstance(user["email_verified"], bool), user
    assert user["full_name"] is None or isinstance(user["full_name"], str), user
    assert_timestamp(user["created_at"])


def assert_item(item: dict[str, Any]) -> None:
    assert set(item) == {"id", "title", "description", "owner_id", "created_at", "updated_at"}, item
    assert UUID_RE.match(item["id"]) and UUID_RE.match(item["owner_id"]), item
    assert_timestamp(item["created_at"])
    assert_timestamp(item["updated_at"])


def assert_timestamp(value: str) -> datetime:
    """ISO 8601 with a zone."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, value
    return parsed


def assert_page(page: dict[str, Any], limit: int, offset: int) -> list[dict[str, Any]]:
    """A Page, newest first (created_at desc, then id desc)."""
    assert set(page) == {"items", "total", "limit", "offset"}, page
    assert (page["limit"], page["offset"]) == (limit, offset), page
    assert isinstance(page["total"], int) and page["total"] >= len(page["items"]), page
    assert len(page["items"]) <= limit
    keys = [(assert_timestamp(e["created_at"]), e["id"]) for e in page["items"]]
    assert keys == sorted(keys, reverse=True), page
    return list(page["items"])


def every_entry(http: httpx.Client, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every entry of a paginated list, fetched 100 at a time."""
    entries: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = http.get(f"{path}?limit=100&offset={offset}", headers=headers).json()
        entries += page["items"]
        offset += 100
        if offset >= page["total"]:
            return entries
