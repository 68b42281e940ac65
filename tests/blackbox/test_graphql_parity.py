"""The same GraphQL requests to FastAPI and NestJS side by side: the same schema, the same
IDE, and the same answers (tests/blackbox/differential.py normalises ids, timestamps and
tokens; a difference fails the case and prints both answers side by side).

One difference the contract allows: the text of an error that the GraphQL implementation
itself raises while parsing or validating (graphql-core quotes names 'x' where graphql-js
writes "x"). Those messages are compared as a placeholder; their code, status, locations
and everything else are compared as they are.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.blackbox.conftest import Stacks
from tests.blackbox.differential import Answer, Case, Side, differences, sides
from tests.blackbox.graphql import ITEM_FIELDS, SCHEMA, USER_FIELDS, printed_schema
from tests.blackbox.helpers import client

CASES: dict[str, Case] = {}
ABSENT = "00000000-0000-4000-8000-000000000000"
IMPLEMENTATION_CODES = {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}
# The contract's own texts among errors of those codes (the rest are the implementation's).
OWN_PREFIXES = ("The query ", "GraphQL introspection", "The request ")


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


def _gql(
    side: Side, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = side.post("/graphql", json=body, **kwargs)
    return dict(response.json())


@case
def requests_that_cannot_run(side: Side) -> None:
    _, auth = side.user("gql-requests")
    for query in [
        "{ me { id }",
        "{ me { nope } }",
        "{ nope }",
        '{ item(id: "not-a-uuid") { id } }',
        '{ items(limit: "5") { total } }',
        "mutation { createItem { id } }",
    ]:
        _gql(side, query, headers=auth)
    by_id = "query($id: UUID!) { item(id: $id) { id } }"
    _gql(side, by_id, {"id": "x"}, headers=auth)
    _gql(side, by_id, {}, headers=auth)
    _gql(side, "query($n: Int!) { items(limit: $n) { total } }", {"n": 2**40}, headers=auth)
    for body in [{}, [], 42, [{"query": "{ me { id } }"}]]:
        side.post("/graphql", json=body, headers=auth)
    side.get("/graphql", headers={**auth, "Accept": "application/json"})
    side.get("/graphql", params={"query": "{ me { email } }"}, headers=auth)
    side.get("/graphql", params={"query": f'mutation {{ deleteItem(id: "{ABSENT}") }}'})
    side.post("/graphql", content=b"{ me { id } }", headers={"Content-Type": "text/plain"})
    side.post("/graphql", content=b'{"query"', headers={"Content-Type": "application/json"})


@case
def signing_in(side: Side) -> None:
    _, auth = side.user("gql-sign-in")
    _gql(side, "{ me { id } }")
    _gql(side, "{ me { id } }", headers={"Authorization": "Bearer nonsense"})
    _gql(side, "{ me { id } }", headers={"Authorization": "Basic nonsense"})
    _gql(side, f"{{ me {{ {USER_FIELDS} }} }}", headers=auth)
    _gql(side, 'mutation { createItem(input: {title: ""}) { id } }')


@case
def items(side: Side) -> None:
    _, auth = side.user("gql-items")
    _, other = side.user("gql-items-other")
    create = (
        f"mutation($input: ItemCreateInput!) {{ createItem(input: $input) {{ {ITEM_FIELDS} }} }}"
    )
    first = _gql(side, create, {"input": {"title": "first", "description": "one"}}, headers=auth)
    item_id = first["data"]["createItem"]["id"]
    _gql(side, create, {"input": {"title": "second"}}, headers=auth)
    for invalid in [{"title": ""}, {"title": None}, {"title": "t" * 201, "description": "d" * 2001},
                    {"title": "nul\u0000"}, {"description": "no title"}, {"title": 5}]:  # fmt: skip
        _gql(side, create, {"input": invalid}, headers=auth)
    page = f"{{ items(limit: 1, offset: 1) {{ items {{ {ITEM_FIELDS} owner {{ {USER_FIELDS} }} }} total limit offset }} }}"  # noqa: E501
    _gql(side, page, headers=auth)
    for arguments in ["limit: 0", "limit: 101", "offset: -1", "limit: 0, offset: -1"]:
        _gql(side, f"{{ items({arguments}) {{ total }} }}", headers=auth)
    one = f"query($id: UUID!) {{ item(id: $id) {{ {ITEM_FIELDS} }} }}"
    _gql(side, one, {"id": item_id}, headers=auth)
    _gql(side, one, {"id": item_id}, headers=other)
    _gql(side, one, {"id": ABSENT}, headers=auth)
    update = f"mutation($id: UUID!, $input: ItemUpdateInput!) {{ updateItem(id: $id, input: $input) {{ {ITEM_FIELDS} }} }}"  # noqa: E501
    for changes in [{"title": "renamed"}, {"description": None}, {}, {"title": None}]:
        _gql(side, update, {"id": item_id, "input": changes}, headers=auth)
    _gql(side, update, {"id": item_id, "input": {"title": "theirs"}}, headers=other)
    delete = "mutation($id: UUID!) { deleteItem(id: $id) }"
    _gql(side, delete, {"id": item_id}, headers=other)
    _gql(side, delete, {"id": item_id}, headers=auth)
    _gql(side, delete, {"id": item_id}, headers=auth)
    side.get(f"/api/v1/items/{item_id}", headers=auth)


@case
def me(side: Side) -> None:
    _, auth = side.user("gql-me")
    taken = side.email("gql-me-taken")
    side.post("/api/v1/auth/register", json={"email": taken, "password": "long enough pw"})
    update = (
        f"mutation($input: UserUpdateMeInput!) {{ updateMe(input: $input) {{ {USER_FIELDS} }} }}"
    )
    for changes in [{"fullName": "Ada"}, {"fullName": None}, {"email": taken},
                    {"email": "not-an-email"}, {"email": None}, {"email": side.email("gql-moved")},
                    {"fullName": "f" * 1000}, {}]:  # fmt: skip
        _gql(side, update, {"input": changes}, headers=auth)
    side.get("/api/v1/users/me", headers=auth)


@case
def users(side: Side) -> None:
    user, auth = side.user("gql-users")
    admin = side.admin
    one = f"query($id: UUID!) {{ user(id: $id) {{ {USER_FIELDS} }} }}"
    _gql(side, one, {"id": user["id"]}, headers=admin)
    _gql(side, one, {"id": user["id"]}, headers=auth)
    _gql(side, one, {"id": ABSENT}, headers=admin)
    _gql(side, f"{{ users(limit: 1) {{ items {{ {USER_FIELDS} }} total limit offset }} }}",
         headers=admin)  # fmt: skip
    _gql(side, "{ users(limit: 1000) { total } }", headers=admin)
    _gql(side, "{ users(limit: 1000) { total } }", headers=auth)
    update = f"mutation($id: UUID!, $input: UserUpdateInput!) {{ updateUser(id: $id, input: $input) {{ {USER_FIELDS} }} }}"  # noqa: E501
    for changes in [{"fullName": "Grace", "role": "ADMIN"}, {"role": "USER"}, {"isActive": None},
                    {"role": None}, {"role": "OWNER"}, {"isActive": False}]:  # fmt: skip
        _gql(side, update, {"id": user["id"], "input": changes}, headers=admin)
    _gql(side, "{ me { id } }", headers=auth)
    delete = "mutation($id: UUID!) { deleteUser(id: $id) }"
    _gql(side, delete, {"id": user["id"]}, headers=admin)
    _gql(side, delete, {"id": user["id"]}, headers=admin)


@case
def limits(side: Side) -> None:
    admin = side.admin
    full = f"items(limit: 100) {{ items {{ {ITEM_FIELDS} owner {{ id email fullName }} }} total limit offset }}"  # noqa: E501
    _gql(side, f"{{ {full} }}", headers=admin)
    _gql(side, f"{{ a: {full} b: {full} }}", headers=admin)
    _gql(side, f"{{ a: {full} b: {full} c: {full} }}", headers=admin)
    _gql(side, '{ __type(name: "Item") { name kind } __typename }')


def _in_own_words(answer: Answer) -> Answer:
    """The answer with the implementation's own error texts replaced by a placeholder."""
    body = answer.body
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return answer
    errors = []
    for error in body["errors"]:
        code = (error.get("extensions") or {}).get("code")
        message = error.get("message", "")
        if code in IMPLEMENTATION_CODES and not message.startswith(OWN_PREFIXES):
            error = {**error, "message": "<the implementation's message>"}
        errors.append(error)
    return dataclasses.replace(answer, body={**body, "errors": errors})


@pytest.mark.parametrize("name", list(CASES))
def test_both_stacks_answer_graphql_the_same(name: str, graphql_stacks: Stacks) -> None:
    with sides((graphql_stacks.fastapi, graphql_stacks.nestjs)) as (left, right):
        CASES[name](left)
        CASES[name](right)
        for side in (left, right):
            side.answers[:] = map(_in_own_words, side.answers)
        found = differences(left, right)
        assert not found, found


def test_both_stacks_print_the_same_schema(graphql_stacks: Stacks) -> None:
    printed = []
    for service in graphql_stacks:
        with client(service) as http:
            printed.append(printed_schema(http))
    assert printed == [SCHEMA, SCHEMA]


def test_both_stacks_serve_the_same_graphiql(graphql_stacks: Stacks) -> None:
    served = []
    for service in graphql_stacks:
        with client(service) as http:
            page = http.get("/graphql", headers={"Accept": "text/html"})
            assert page.status_code == 200, page.text
            files = ["graphiql.min.js", "graphiql.min.css", "react.production.min.js",
                     "react-dom.production.min.js", "start.js"]  # fmt: skip
            served.append([page.content] + [http.get(f"/graphql/ide/{f}").content for f in files])
    assert served[0] == served[1]
