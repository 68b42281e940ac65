"""The contract's messages (docs/contract.md, "Messages"): one violating request per rule.

Every stack of the matrix runs these with the same expected texts, so passing them on each
is parity: the same broken rule reads the same whichever stack answers.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.blackbox.helpers import (
    PASSWORD,
    Member,
    assert_invalid,
    assert_problem,
    bearer,
    register,
    unique_email,
)

# The REST suite in depth on each stack's variant without GraphQL or WebSockets; the
# others run the REST contract (test_contract.py), their options' suites and their own
# projects' whole suites, and two pairs compare both stacks side by side (README.md,
# "Time budget").
pytestmark = pytest.mark.only(graphql=False, websockets=False)

REGISTER = "/api/v1/auth/register"
EMAIL = "rules@example.com"
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
UNSAFE_TEXT = "Must not contain NUL or unpaired surrogate characters"


def _only_error(response: httpx.Response, location: str, field: str, message: str) -> None:
    body = assert_invalid(response, location, field, message)
    assert body["errors"] == [{"location": location, "field": field, "message": message}], body


# (registration body, the field it breaks, the message)
REGISTRATION_RULES: list[tuple[Any, str, str]] = [
    ({"password": PASSWORD}, "email", "Field required"),
    ({"email": None, "password": PASSWORD}, "email", "Must not be null"),
    ({"email": 5, "password": PASSWORD}, "email", "Must be a string"),
    ({"email": "not-an-email", "password": PASSWORD}, "email", "Must be a valid email address"),
    ({"email": EMAIL, "password": "short"}, "password", "Must be at least 8 characters"),
    ({"email": EMAIL, "password": "p" * 129}, "password", "Must be at most 128 characters"),
    ({"email": EMAIL, "password": ["p" * 8]}, "password", "Must be a string"),
    ({"email": EMAIL, "password": PASSWORD, "role": "admin"}, "role", "Unknown field"),
    (
        {"email": EMAIL, "password": PASSWORD, "full_name": "n" * 201},
        "full_name",
        "Must be at most 200 characters",
    ),
    ({"email": EMAIL, "password": PASSWORD, "full_name": "a\u0000b"}, "full_name", UNSAFE_TEXT),
    ([EMAIL, PASSWORD], "", "Must be an object"),
    ("text", "", "Must be an object"),
]


@pytest.mark.parametrize(("body", "field", "message"), REGISTRATION_RULES)
def test_each_registration_rule_has_its_message(
    http: httpx.Client, body: Any, field: str, message: str
) -> None:
    _only_error(http.post(REGISTER, json=body), "body", field, message)


def test_a_missing_body_is_a_required_field(http: httpx.Client) -> None:
    _only_error(http.post(REGISTER), "body", "", "Field required")


def test_an_unpaired_surrogate_is_unsafe_text(http: httpx.Client) -> None:
    # json.dumps writes the lone surrogate as the escape \ud800, as a client would send it.
    raw = json.dumps({"email": EMAIL, "password": PASSWORD, "full_name": "\ud800"})
    response = http.post(REGISTER, content=raw, headers={"Content-Type": "application/json"})
    _only_error(response, "body", "full_name", UNSAFE_TEXT)


def test_several_bad_fields_come_one_each_sorted_by_field(http: httpx.Client) -> None:
    response = http.post(REGISTER, json={"zeta": 1, "password": 5, "alpha": None})
    assert assert_invalid(response, "body", "email", "Field required")["errors"] == [
        {"location": "body", "field": "alpha", "message": "Unknown field"},
        {"location": "body", "field": "email", "message": "Field required"},
        {"location": "body", "field": "password", "message": "Must be a string"},
        {"location": "body", "field": "zeta", "message": "Unknown field"},
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "title", "Field required"),
        ({"title": ""}, "title", "Must be at least 1 character"),
        ({"title": "t" * 201}, "title", "Must be at most 200 characters"),
        ({"title": 5}, "title", "Must be a string"),
        ({"title": None}, "title", "Must not be null"),
        (
            {"title": "ok", "description": "d" * 2001},
            "description",
            "Must be at most 2000 characters",
        ),
        ({"title": "ok", "owner_id": NO_SUCH_ID}, "owner_id", "Unknown field"),
    ],
)
def test_each_item_rule_has_its_message(
    http: httpx.Client, member: Member, body: dict[str, Any], field: str, message: str
) -> None:
    _only_error(http.post("/api/v1/items", json=body, headers=member.auth), "body", field, message)


def test_a_field_that_may_be_omitted_must_not_be_null(http: httpx.Client, member: Member) -> None:
    item = http.post("/api/v1/items", json={"title": "t"}, headers=member.auth).json()
    response = http.patch(f"/api/v1/items/{item['id']}", json={"title": None}, headers=member.auth)
    _only_error(response, "body", "title", "Must not be null")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"role": "boss"}, "role", "Must be one of: user, admin"),
        ({"role": None}, "role", "Must not be null"),
        ({"is_active": "maybe"}, "is_active", "Must be a boolean"),
        ({"is_active": None}, "is_active", "Must not be null"),
        ({"full_name": 5}, "full_name", "Must be a string"),
    ],
)
def test_each_admin_update_rule_has_its_message(
    http: httpx.Client, admin: dict[str, str], body: dict[str, Any], field: str, message: str
) -> None:
    user = register(http)
    response = http.patch(f"/api/v1/users/{user['id']}", json=body, headers=admin)
    _only_error(response, "body", field, message)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"email": None}, "email", "Must not be null"),
        ({"email": "nope"}, "email", "Must be a valid email address"),
    ],
)
def test_each_profile_rule_has_its_message(
    http: httpx.Client, member: Member, body: dict[str, Any], field: str, message: str
) -> None:
    response = http.patch("/api/v1/users/me", json=body, headers=member.auth)
    _only_error(response, "body", field, message)


def test_a_new_password_names_its_rule(http: httpx.Client, member: Member) -> None:
    body = {"current_password": PASSWORD, "new_password": "short"}
    response = http.post("/api/v1/users/me/password", json=body, headers=member.auth)
    _only_error(response, "body", "new_password", "Must be at least 8 characters")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=abc", "limit", "Must be an integer"),
        ("limit=1.5", "limit", "Must be an integer"),
        ("limit=0", "limit", "Must be at least 1"),
        ("limit=101", "limit", "Must be at most 100"),
        ("offset=-1", "offset", "Must be at least 0"),
        ("offset=x", "offset", "Must be an integer"),
    ],
)
def test_each_query_rule_has_its_message(
    http: httpx.Client, member: Member, query: str, field: str, message: str
) -> None:
    response = http.get(f"/api/v1/items?{query}", headers=member.auth)
    _only_error(response, "query", field, message)


@pytest.mark.parametrize("path", ["/api/v1/items/42", "/api/v1/users/not-a-uuid"])
def test_a_path_id_must_be_a_uuid(http: httpx.Client, admin: dict[str, str], path: str) -> None:
    _only_error(http.get(path, headers=admin), "path", "id", "Must be a valid UUID")


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"username": EMAIL}, "password", "Field required"),
        ({"password": PASSWORD}, "username", "Field required"),
        # RFC 6749 section 3.2: a parameter sent without a value counts as omitted.
        ({"username": "", "password": PASSWORD}, "username", "Field required"),
        (
            {"username": EMAIL, "password": PASSWORD, "grant_type": "implicit"},
            "grant_type",
            "Must be 'password'",
        ),
    ],
)
def test_each_login_form_rule_has_its_message(
    http: httpx.Client, form: dict[str, str], field: str, message: str
) -> None:
    _only_error(http.post("/api/v1/auth/login", data=form), "body", field, message)


def test_a_refresh_token_is_required(http: httpx.Client) -> None:
    _only_error(
        http.post("/api/v1/auth/refresh", json={}), "body", "refresh_token", "Field required"
    )


def _detail(response: httpx.Response, status: int) -> str:
    return str(assert_problem(response, status)["detail"])


def test_each_problem_detail_is_the_contracts_sentence(
    http: httpx.Client, member: Member, admin: dict[str, str]
) -> None:
    auth = member.auth
    user = register(http)
    wrong_password = {"current_password": "wrong-password", "new_password": PASSWORD}
    cases = [
        (http.get("/api/v1/users/me"), 401, "Not authenticated."),
        (http.get("/api/v1/users/me", headers=bearer("nope")), 401, "Invalid or expired token."),
        (
            http.post("/api/v1/auth/refresh", json={"refresh_token": "nope"}),
            401,
            "Invalid or expired token.",
        ),
        (
            http.post("/api/v1/auth/login", data={"username": unique_email(), "password": "x"}),
            401,
            "Incorrect email or password.",
        ),
        (http.get("/api/v1/users", headers=auth), 403, "Administrator role required."),
        (http.get(f"/api/v1/items/{NO_SUCH_ID}", headers=auth), 404, "Item not found."),
        (http.get(f"/api/v1/users/{NO_SUCH_ID}", headers=admin), 404, "User not found."),
        (http.get("/api/v1/nowhere"), 404, "The requested resource was not found."),
        (
            http.put("/api/v1/users/me", headers=auth),
            405,
            "The method is not allowed for the requested resource.",
        ),
        (
            http.post(REGISTER, json={"email": user["email"], "password": PASSWORD}),
            409,
            "A user with this email already exists.",
        ),
        (
            http.post(REGISTER, content=b"{", headers={"Content-Type": "application/json"}),
            400,
            "The request body is not valid JSON.",
        ),
        (
            http.post("/api/v1/users/me/password", json=wrong_password, headers=auth),
            400,
            "The current password is incorrect.",
        ),
        (
            http.post(REGISTER, content=b"x", headers={"Content-Type": "text/plain"}),
            415,
            "The request body must be sent as application/json.",
        ),
        (
            http.post("/api/v1/auth/login", json={"username": EMAIL, "password": PASSWORD}),
            415,
            "The request body must be sent as application/x-www-form-urlencoded.",
        ),
        (
            http.post(
                REGISTER,
                content=b"x" * (1024 * 1024 + 1),
                headers={"Content-Type": "application/json"},
            ),
            413,
            "The request body is larger than 1 MiB.",
        ),
    ]
    assert [(status, _detail(response, status)) for response, status, _ in cases] == [
        (status, detail) for _, status, detail in cases
    ]


def test_an_inactive_account_is_refused_in_words_of_its_own(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    user = register(http)
    http.patch(f"/api/v1/users/{user['id']}", json={"is_active": False}, headers=admin)
    response = http.post(
        "/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD}
    )
    assert _detail(response, 403) == "This account is deactivated."
