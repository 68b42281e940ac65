"""Each rule a request can break, answered with the contract's message for it.

The texts are written out here, not imported: they are the contract (docs/contract.md,
"Messages"), and the NestJS stack's suite asserts the same ones.
"""

import json
from typing import Any

import pytest
from httpx import AsyncClient

from tests.helpers import PASSWORD, assert_problem, register, signed_in_user

REGISTER = "/api/v1/auth/register"
EMAIL = "rules@example.com"

# (body of a registration, the field it breaks, the message)
REGISTRATION_CASES: list[tuple[Any, str, str]] = [
    ({"password": PASSWORD}, "email", "Field required"),
    ({"email": None, "password": PASSWORD}, "email", "Must not be null"),
    ({"email": 5, "password": PASSWORD}, "email", "Must be a string"),
    ({"email": "not-an-email", "password": PASSWORD}, "email", "Must be a valid email address"),
    ({"email": EMAIL, "password": "short"}, "password", "Must be at least 8 characters"),
    ({"email": EMAIL, "password": "p" * 129}, "password", "Must be at most 128 characters"),
    ({"email": EMAIL, "password": PASSWORD, "role": "admin"}, "role", "Unknown field"),
    (
        {"email": EMAIL, "password": PASSWORD, "full_name": "a\u0000b"},
        "full_name",
        "Must not contain NUL or unpaired surrogate characters",
    ),
    ([EMAIL, PASSWORD], "", "Must be an object"),
]


@pytest.mark.parametrize(("body", "field", "message"), REGISTRATION_CASES)
async def test_each_broken_rule_has_its_message(
    client: AsyncClient, body: Any, field: str, message: str
) -> None:
    response = await client.post(REGISTER, json=body)
    assert assert_problem(response, 422, "Unprocessable Content") == {
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "The request is not valid; see errors.",
        "errors": [{"location": "body", "field": field, "message": message}],
    }


async def test_a_missing_body_is_a_required_field(client: AsyncClient) -> None:
    body = assert_problem(await client.post(REGISTER), 422, "Unprocessable Content")
    assert body["errors"] == [{"location": "body", "field": "", "message": "Field required"}]


async def test_an_unpaired_surrogate_is_refused(client: AsyncClient) -> None:
    # json.dumps writes the lone surrogate as the escape \ud800, as a client would send it.
    raw = json.dumps({"email": EMAIL, "password": PASSWORD, "full_name": "\ud800"})
    response = await client.post(
        REGISTER, content=raw, headers={"Content-Type": "application/json"}
    )
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {
            "location": "body",
            "field": "full_name",
            "message": "Must not contain NUL or unpaired surrogate characters",
        }
    ]


async def test_errors_come_one_per_field_sorted_by_field(client: AsyncClient) -> None:
    response = await client.post(REGISTER, json={"zeta": 1, "password": 5, "alpha": None})
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {"location": "body", "field": "alpha", "message": "Unknown field"},
        {"location": "body", "field": "email", "message": "Field required"},
        {"location": "body", "field": "password", "message": "Must be a string"},
        {"location": "body", "field": "zeta", "message": "Unknown field"},
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": ""}, "title", "Must be at least 1 character"),
        ({"title": "t" * 201}, "title", "Must be at most 200 characters"),
        ({"title": 5}, "title", "Must be a string"),
        (
            {"title": "ok", "description": "d" * 2001},
            "description",
            "Must be at most 2000 characters",
        ),
    ],
)
async def test_item_fields_name_their_rule(
    client: AsyncClient, body: dict[str, Any], field: str, message: str
) -> None:
    _, auth = await signed_in_user(client)
    response = await client.post("/api/v1/items", json=body, headers=auth)
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {"location": "body", "field": field, "message": message}
    ]


async def test_a_field_that_may_be_omitted_must_not_be_null(client: AsyncClient) -> None:
    _, auth = await signed_in_user(client)
    item = (await client.post("/api/v1/items", json={"title": "t"}, headers=auth)).json()
    response = await client.patch(f"/api/v1/items/{item['id']}", json={"title": None}, headers=auth)
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {"location": "body", "field": "title", "message": "Must not be null"}
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"role": "boss"}, "role", "Must be one of: user, admin"),
        ({"is_active": "maybe"}, "is_active", "Must be a boolean"),
        ({"is_active": None}, "is_active", "Must not be null"),
    ],
)
async def test_admin_updates_name_their_rule(
    client: AsyncClient,
    admin_headers: dict[str, str],
    body: dict[str, Any],
    field: str,
    message: str,
) -> None:
    user = await register(client)
    response = await client.patch(f"/api/v1/users/{user['id']}", json=body, headers=admin_headers)
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {"location": "body", "field": field, "message": message}
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=abc", "limit", "Must be an integer"),
        ("limit=1.5", "limit", "Must be an integer"),
        ("limit=0", "limit", "Must be at least 1"),
        ("limit=101", "limit", "Must be at most 100"),
        ("offset=-1", "offset", "Must be at least 0"),
    ],
)
async def test_query_parameters_name_their_rule(
    client: AsyncClient, query: str, field: str, message: str
) -> None:
    _, auth = await signed_in_user(client)
    response = await client.get(f"/api/v1/items?{query}", headers=auth)
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {"location": "query", "field": field, "message": message}
    ]


async def test_a_path_id_must_be_a_uuid(client: AsyncClient) -> None:
    _, auth = await signed_in_user(client)
    response = await client.get("/api/v1/items/42", headers=auth)
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {"location": "path", "field": "id", "message": "Must be a valid UUID"}
    ]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"username": EMAIL}, "password", "Field required"),
        (
            {"username": EMAIL, "password": PASSWORD, "grant_type": "implicit"},
            "grant_type",
            "Must be 'password'",
        ),
    ],
)
async def test_login_form_fields_name_their_rule(
    client: AsyncClient, form: dict[str, str], field: str, message: str
) -> None:
    response = await client.post("/api/v1/auth/login", data=form)
    assert assert_problem(response, 422, "Unprocessable Content")["errors"] == [
        {"location": "body", "field": field, "message": message}
    ]


async def test_problem_details_are_the_contracts_sentences(
    client: AsyncClient, admin_headers: dict[str, str]
) -> None:
    user, auth = await signed_in_user(client)
    missing = "/api/v1/items/00000000-0000-4000-8000-000000000000"
    cases = [
        (await client.get("/api/v1/users/me"), 401, "Not authenticated."),
        (
            await client.get("/api/v1/users/me", headers={"Authorization": "Bearer nope"}),
            401,
            "Invalid or expired token.",
        ),
        (
            await client.post("/api/v1/auth/login", data={"username": EMAIL, "password": "x"}),
            401,
            "Incorrect email or password.",
        ),
        (await client.get("/api/v1/users", headers=auth), 403, "Administrator role required."),
        (await client.get(missing, headers=auth), 404, "Item not found."),
        (
            await client.get(missing.replace("items", "users"), headers=admin_headers),
            404,
            "User not found.",
        ),
        (await client.get("/api/v1/nowhere"), 404, "The requested resource was not found."),
        (
            await client.put("/api/v1/users/me", headers=auth),
            405,
            "The method is not allowed for the requested resource.",
        ),
        (
            await client.post(REGISTER, json={"email": user["email"], "password": PASSWORD}),
            409,
            "A user with this email already exists.",
        ),
        (
            await client.post(REGISTER, content=b"{", headers={"Content-Type": "application/json"}),
            400,
            "The request body is not valid JSON.",
        ),
        (
            await client.post(
                "/api/v1/users/me/password",
                json={"current_password": "wrong-password", "new_password": PASSWORD},
                headers=auth,
            ),
            400,
            "The current password is incorrect.",
        ),
        (
            await client.post(REGISTER, content=b"x", headers={"Content-Type": "text/plain"}),
            415,
            "The request body must be sent as application/json.",
        ),
        (
            await client.post(
                REGISTER,
                content=b"x" * (1024 * 1024 + 1),
                headers={"Content-Type": "application/json"},
            ),
            413,
            "The request body is larger than 1 MiB.",
        ),
    ]
    for response, status, detail in cases:
        assert (response.status_code, response.json()["detail"]) == (status, detail), response.text
