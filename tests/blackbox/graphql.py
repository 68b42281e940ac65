"""GraphQL over HTTP for the black-box suite: requests, answer checks, the printed schema
(docs/contract.md, "GraphQL")."""

from __future__ import annotations

import re
from typing import Any

import httpx
from graphql import (
    build_client_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)

from tests.support import REPO_ROOT

SCHEMA = (REPO_ROOT / "templates" / "shared" / "schema.graphql").read_text()
USER_FIELDS = "id email fullName role isActive emailVerified createdAt"
ITEM_FIELDS = "id title description ownerId createdAt updatedAt"
# The codes of errors raised before any field runs (the request, its parse, validation or
# variables): answered with status 400 (405 for a mutation over GET).
REQUEST_CODES = {
    "BAD_REQUEST",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_USER_INPUT",
}
FIELD_CODES = {"UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "NOT_FOUND", "CONFLICT"}


def gql(
    http: httpx.Client,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST /graphql with `{query, variables?}`."""
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return http.post("/graphql", json=body, headers=headers)


def _body(response: httpx.Response) -> dict[str, Any]:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    assert media_type == "application/json", f"{response.status_code} {media_type}: {response.text}"
    body = response.json()
    assert isinstance(body, dict), body
    return body


def data(response: httpx.Response) -> dict[str, Any]:
    """The `data` of a 200 answer without errors."""
    body = _body(response)
    assert response.status_code == 200 and "errors" not in body, (
        f"{response.status_code}: {response.text[:2000]}"
    )
    return dict(body["data"])


def error(
    response: httpx.Response, code: str, status: int = 200, message: str | None = None
) -> dict[str, Any]:
    """The answer's one error, with `code` (and `message`), at `status`. A field's error
    (status 200) nulls `data`: every root field is non-null."""
    assert response.status_code == status, f"expected {status}: {response.text[:2000]}"
    body = _body(response)
    errors = body.get("errors")
    assert isinstance(errors, list) and len(errors) == 1, body
    (found,) = errors
    assert_error_shape(found)
    assert found["extensions"]["code"] == code, body
    if message is not None:
        assert found["message"] == message, body
    if status == 200:
        assert body["data"] is None and found.get("path"), body
    else:
        assert "data" not in body or body["data"] is None, body
    return dict(found)


def assert_error_shape(found: dict[str, Any]) -> None:
    """A GraphQL error as the contract has it: a message and a code, and nothing that
    would tell a client about the implementation (no stack trace, no exception)."""
    assert set(found) <= {"message", "locations", "path", "extensions"}, found
    assert isinstance(found["message"], str) and found["message"], found
    extensions = found.get("extensions")
    assert isinstance(extensions, dict), found
    assert set(extensions) <= {"code", "errors"}, found
    assert extensions["code"] in REQUEST_CODES | FIELD_CODES, found
    if "errors" in extensions:
        assert extensions["code"] == "BAD_USER_INPUT", found


def invalid(response: httpx.Response) -> list[dict[str, str]]:
    """The `{location, field, message}` entries of a field's BAD_USER_INPUT error."""
    found = error(response, "BAD_USER_INPUT", message="The request is not valid; see errors.")
    entries = found["extensions"]["errors"]
    assert isinstance(entries, list) and entries, found
    return list(entries)


def printed_schema(http: httpx.Client, headers: dict[str, str] | None = None) -> str:
    """The schema the service introspects to, sorted and printed as the contract says."""
    introspected = data(gql(http, get_introspection_query(descriptions=True), headers=headers))
    return print_schema(lexicographic_sort_schema(build_client_schema(introspected))) + "\n"  # type: ignore[arg-type]


def as_rest(value: Any) -> Any:
    """A GraphQL answer the way REST writes it: snake_case names, lower-case roles."""
    if isinstance(value, dict):
        return {
            re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), key): (
                child.lower() if key == "role" else as_rest(child)
            )
            for key, child in value.items()
        }
    if isinstance(value, list):
        return [as_rest(child) for child in value]
    return value
